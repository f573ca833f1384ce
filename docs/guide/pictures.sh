#!/usr/bin/env bash
# Regenerates docs/guide/pictures/: LeNet-5 trained on Fashion-MNIST (1 epoch; apt-get install
# dataset-fashion-mnist), then its first-layer filters, their spectra, feature maps, ERF and Grad-CAM.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
run="${1:-$(mktemp -d)/lenet5-fmnist}"
convkit() { node "$root/packages/cli/bin/run.js" "$@"; }
[ -d "$run/model" ] || convkit train --arch lenet5 --data fashion-mnist --epochs 1 --seed 0 --out "$run"
out="$root/docs/guide/pictures"
for inspection in filters frequency feature-maps erf gradcam; do convkit inspect "$inspection" --model "$run" --out "$out"; done
