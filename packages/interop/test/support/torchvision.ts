import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plugin as classicPlugin } from '@convkit/arch-classic';
import { plugin as modernPlugin } from '@convkit/arch-modern';
import { Registry } from '@convkit/core';
import { plugin as layersPlugin } from '@convkit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { decodeToFloat32, readSafetensors } from '../../src/index.js';

/** The Python with PyTorch and torchvision (Debian's python3-torch), or the one on the PATH. */
export const PYTHON = process.env.CONVKIT_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/** True when {@link PYTHON} imports torchvision; the equivalence tests need it to make their references. */
export const hasTorchvision = spawnSync(PYTHON, ['-c', 'import torchvision'], { stdio: 'ignore' }).status === 0;

/** A registry of every architecture package this package is tested against, as the CLI's holds them. */
export const registry = new Registry().use(layersPlugin).use(classicPlugin).use(modernPlugin);

const SCRIPT = fileURLToPath(new URL('../fixtures/torchvision_fixture.py', import.meta.url));

/** Options of the fixture script (see torchvision_fixture.py). */
export interface FixtureOptions {
  width?: number;
  input?: number;
  classes?: number;
  batch?: number;
  dtype?: 'float32' | 'float16' | 'bfloat16';
}

/** A torchvision reference: its state_dict file, the NHWC input and torchvision's logits. */
export interface TorchvisionReference {
  weights: string;
  input: tf.Tensor4D;
  logits: tf.Tensor2D;
}

/** Runs torchvision_fixture.py for `torchvisionName` in a new temporary folder and reads what it wrote. */
export async function torchvisionReference(torchvisionName: string, options: FixtureOptions = {}): Promise<TorchvisionReference> {
  const out = mkdtempSync(join(tmpdir(), 'convkit-tv-'));
  const flags = Object.entries(options).flatMap(([key, value]) => [`--${key}`, String(value)]);
  execFileSync(PYTHON, [SCRIPT, out, torchvisionName, ...flags], { stdio: ['ignore', 'ignore', 'inherit'] });
  const io = await readSafetensors(join(out, `${torchvisionName}.io.safetensors`));
  const tensor = (name: string) => {
    const t = io.tensors.get(name)!;
    return tf.tensor(decodeToFloat32(t.bytes, t.dtype), t.shape, 'float32');
  };
  const nchw = tensor('input') as tf.Tensor4D;
  const input = tf.transpose(nchw, [0, 2, 3, 1]);
  nchw.dispose();
  return { weights: join(out, `${torchvisionName}.safetensors`), input, logits: tensor('logits') as tf.Tensor2D };
}

/** max |a - b| / max |b|: the relative error of `actual` against `expected` as a whole. */
export function relativeError(actual: tf.Tensor, expected: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0]! / tf.max(tf.abs(expected)).dataSync()[0]!);
}
