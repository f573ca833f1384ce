#!/usr/bin/env bash
# Regenerates test/fixtures/lenet5-shapes: LeNet-5 trained on `shapes` (seed 0, 4 epochs, wasm), the
# trained model the Grad-CAM test inspects. Training it inside the test would cost minutes per run.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
run="$(mktemp -d)/lenet5-shapes"
node "$here/../cli/bin/run.js" train --arch lenet5 --data shapes --epochs 4 --seed 0 --backend wasm --out "$run"
rm -rf "$here/test/fixtures/lenet5-shapes"
cp -r "$run/model" "$here/test/fixtures/lenet5-shapes"
