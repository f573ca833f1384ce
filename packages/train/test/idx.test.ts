import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdx, readIdxPair } from '../src/data/idx.js';
import { FASHION_MNIST, openIdxDataset } from '../src/data/idx-datasets.js';
import { expectOneLineError } from './fixtures/one-line-error.js';

function idx(magic: number, dims: number[], data: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, magic);
  for (const [i, d] of dims.entries()) header.setUint32(4 + 4 * i, d);
  const out = new Uint8Array(header.byteLength + data.length);
  out.set(new Uint8Array(header.buffer));
  out.set(data, header.byteLength);
  return out;
}

const images = (count: number) =>
  idx(
    IDX_IMAGES_MAGIC,
    [count, 2, 3],
    Uint8Array.from({ length: count * 6 }, (_, i) => i),
  );
const labels = (count: number) =>
  idx(
    IDX_LABELS_MAGIC,
    [count],
    Uint8Array.from({ length: count }, (_, i) => i % 10),
  );

async function folderWith(files: Record<string, Uint8Array>): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'convkit-idx-'));
  for (const [name, data] of Object.entries(files)) await writeFile(join(folder, name), data);
  return folder;
}

describe('IDX files', () => {
  it('reads a raw image file and a gzipped label file into uint8 images of their declared shape', async () => {
    const folder = await folderWith({ 'i-idx3-ubyte': images(4), 'l-idx1-ubyte.gz': gzipSync(labels(4)) });
    const set = await readIdxPair(join(folder, 'i-idx3-ubyte'), join(folder, 'l-idx1-ubyte.gz'), FASHION_MNIST.classNames);
    expect(set.size).toBe(4);
    expect(set.shape).toEqual([2, 3, 1]);
    expect(Array.from(set.pixels(1))).toEqual([6, 7, 8, 9, 10, 11]);
    expect(Array.from(set.labels)).toEqual([0, 1, 2, 3]);
  });

  it('names classes by index for a label file of 200,000 labels (more than EMNIST-balanced)', async () => {
    const count = 200_000;
    const folder = await folderWith({
      i: idx(IDX_IMAGES_MAGIC, [count, 1, 1], new Uint8Array(count)),
      l: idx(
        IDX_LABELS_MAGIC,
        [count],
        Uint8Array.from({ length: count }, (_, i) => i % 47),
      ),
    });
    const set = await readIdxPair(join(folder, 'i'), join(folder, 'l'));
    expect(set.size).toBe(count);
    expect(set.numClasses).toBe(47);
  });

  it('rejects a wrong magic number, naming the file and both numbers', async () => {
    const message = await expectOneLineError(
      Promise.resolve().then(() => parseIdx(labels(3), IDX_IMAGES_MAGIC, 'x.idx')),
      'bad-idx-magic',
    );
    expect(message).toContain('x.idx');
    expect(message).toContain('0x00000801');
    expect(message).toContain('0x00000803');
  });

  it.each([
    ['float32 data (type byte 0x0d)', 0x00000d03],
    ['non-zero leading bytes', 0x12000803],
    ['signed bytes (type byte 0x09)', 0x00000903],
  ])('rejects a magic number whose dimension byte fits but whose other bytes do not: %s', async (_, magic) => {
    const bytes = images(2);
    new DataView(bytes.buffer).setUint32(0, magic);
    await expectOneLineError(
      Promise.resolve().then(() => parseIdx(bytes, IDX_IMAGES_MAGIC, 'f.idx')),
      'bad-idx-magic',
    );
  });

  it('rejects a truncated file, saying how many bytes the header declares', async () => {
    const whole = images(5);
    const message = await expectOneLineError(
      Promise.resolve().then(() => parseIdx(whole.subarray(0, whole.length - 7), IDX_IMAGES_MAGIC, 't.idx')),
      'truncated-idx',
    );
    expect(message).toContain('30 bytes');
  });

  it('rejects a truncated gzip stream', async () => {
    const gz = gzipSync(images(50));
    const folder = await folderWith({ 'i.gz': gz.subarray(0, gz.length >> 1), l: labels(50) });
    await expectOneLineError(readIdxPair(join(folder, 'i.gz'), join(folder, 'l')), 'corrupted-dataset');
  });

  it('rejects a label file whose count differs from the image file', async () => {
    const folder = await folderWith({ i: images(5), l: labels(4) });
    const message = await expectOneLineError(readIdxPair(join(folder, 'i'), join(folder, 'l')), 'label-count-mismatch');
    expect(message).toMatch(/4 labels but .* 5 images/);
  });

  it('finds Fashion-MNIST in a given folder and reports a missing one', async () => {
    const folder = await folderWith({
      'train-images-idx3-ubyte.gz': gzipSync(images(6)),
      'train-labels-idx1-ubyte.gz': gzipSync(labels(6)),
      't10k-images-idx3-ubyte': images(2),
      't10k-labels-idx1-ubyte': labels(2),
    });
    const splits = await openIdxDataset(FASHION_MNIST, folder);
    expect([splits.train.size, splits.test.size]).toEqual([6, 2]);
    expect(splits.train.classNames[9]).toBe('Ankle boot');
    await expectOneLineError(openIdxDataset(FASHION_MNIST, join(folder, 'nope')), 'missing-dataset-path');
  });
});
