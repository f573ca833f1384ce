import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateShapes, type LabeledImages } from '@convkit/train';
import { PNG } from 'pngjs';

function writeSplit(folder: string, set: LabeledImages): void {
  const [h, w] = set.shape;
  for (let i = 0; i < set.size; i++) {
    const png = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false });
    const grey = set.pixels(i);
    for (let p = 0; p < h * w; p++) png.data.set([grey[p] as number, grey[p] as number, grey[p] as number, 255], 4 * p);
    const classFolder = join(folder, set.classNames[set.labels[i] as number] as string);
    mkdirSync(classFolder, { recursive: true });
    writeFileSync(join(classFolder, `${String(i).padStart(4, '0')}.png`), PNG.sync.write(png, { colorType: 0 }));
  }
}

/** Writes `shapes` as a folder of grey PNG files, `train/CLASS/*.png` and `test/CLASS/*.png`, and returns its path. */
export function writeImageFolder(trainSize = 64, testSize = 32, size = 28): string {
  const folder = mkdtempSync(join(tmpdir(), 'convkit-images-'));
  const { train, test } = generateShapes({ seed: 2, trainSize, testSize, shape: [size, size, 1] });
  writeSplit(join(folder, 'train'), train);
  writeSplit(join(folder, 'test'), test);
  return folder;
}

/** Removes every class folder of an image folder's splits but the first `count` by name, for data with fewer classes. */
export function keepClasses(folder: string, count: number): void {
  for (const split of ['train', 'test']) {
    for (const name of readdirSync(join(folder, split)).sort().slice(count)) rmSync(join(folder, split, name), { recursive: true });
  }
}
