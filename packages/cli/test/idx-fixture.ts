import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateShapes, type LabeledImages } from '@convkit/train';

function idx(magic: number, dims: number[], data: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, magic);
  for (const [i, d] of dims.entries()) header.setUint32(4 + 4 * i, d);
  return Buffer.concat([new Uint8Array(header.buffer), data]);
}

const images = (set: LabeledImages) => idx(0x803, [set.size, set.shape[0], set.shape[1]], set.images);
const labels = (set: LabeledImages) => idx(0x801, [set.size], Uint8Array.from(set.labels));

/** Breakages of a dataset folder that `convkit train` must refuse. */
export type IdxDamage = 'none' | 'wrong-magic' | 'truncated' | 'count-mismatch';

/**
 * Writes a small MNIST-format dataset folder (`shapes` of `side` x `side`, 28 by default as MNIST's,
 * `train` + `test` images), optionally damaged, and returns its path.
 */
export function writeIdxDataset(damage: IdxDamage = 'none', trainSize = 64, testSize = 32, side = 28): string {
  const folder = mkdtempSync(join(tmpdir(), 'convkit-idx-'));
  const { train, test } = generateShapes({ seed: 1, trainSize, testSize, shape: [side, side, 1] });
  let trainImages = images(train);
  let trainLabels = labels(train);
  if (damage === 'wrong-magic') trainImages = labels(train);
  if (damage === 'truncated') trainImages = trainImages.subarray(0, trainImages.length - 100);
  if (damage === 'count-mismatch') trainLabels = labels(train.subset(Array.from({ length: trainSize - 1 }, (_, i) => i)));
  writeFileSync(join(folder, 'train-images-idx3-ubyte'), trainImages);
  writeFileSync(join(folder, 'train-labels-idx1-ubyte'), trainLabels);
  writeFileSync(join(folder, 't10k-images-idx3-ubyte'), images(test));
  writeFileSync(join(folder, 't10k-labels-idx1-ubyte'), labels(test));
  return folder;
}
