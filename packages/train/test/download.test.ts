import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '@convkit/core';
import { describe, expect, it } from 'vitest';
import { CIFAR10 } from '../src/data/cifar.js';
import { downloadDataset, md5, verifyFile } from '../src/data/download.js';
import { DATASET_SOURCES } from '../src/data/download-sources.js';
import { FASHION_MNIST, MNIST } from '../src/data/idx-datasets.js';
import { openDataset } from '../src/data/open-dataset.js';
import { readTar } from '../src/data/tar.js';
import { plugin } from '../src/plugin.js';
import { expectOneLineError } from './fixtures/one-line-error.js';

describe('dataset download', () => {
  it('lists the official files of fashion-mnist, mnist and cifar10 with 32-hex MD5s', () => {
    for (const source of Object.values(DATASET_SOURCES)) {
      expect(source.mirrors[0]).toMatch(/^https?:\/\//);
      for (const file of source.files) expect(file.md5).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(DATASET_SOURCES['fashion-mnist'].files[0]?.md5).toBe('8d4fb7e6c68d591d4c3dfef9ec88bf0d');
  });

  it('downloads by default to where the registered dataset of the same name looks', async () => {
    // IDX datasets look in their default folders (Debian's first, which may be installed here).
    expect(MNIST.defaultFolders).toContain(DATASET_SOURCES.mnist.defaultOut);
    expect(FASHION_MNIST.defaultFolders).toContain(DATASET_SOURCES['fashion-mnist'].defaultOut);
    // CIFAR-10's archive unpacks into cifar-10-batches-bin/ under the download folder.
    const cwd = process.cwd();
    process.chdir(await mkdtemp(join(tmpdir(), 'convkit-default-out-')));
    try {
      const folder = join(DATASET_SOURCES.cifar10.defaultOut, 'cifar-10-batches-bin');
      await mkdir(folder, { recursive: true });
      for (const file of [...CIFAR10.trainFiles, CIFAR10.testFile]) await writeFile(join(folder, file), new Uint8Array(3073));
      const splits = await openDataset('cifar10', new Registry().use(plugin), { seed: 0 });
      expect(splits.test.size).toBe(1);
    } finally {
      process.chdir(cwd);
    }
  });

  it('accepts a local file with the expected checksum and rejects one without', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'convkit-md5-'));
    const path = join(folder, 'f.bin');
    await writeFile(path, 'hello');
    await verifyFile(path, '5d41402abc4b2a76b9719d911017c592');
    const message = await expectOneLineError(verifyFile(path, md5(new TextEncoder().encode('other'))), 'checksum-mismatch');
    expect(message).toContain('5d41402abc4b2a76b9719d911017c592');
  });

  it('writes nothing when a download does not match its published checksum', async () => {
    const out = await mkdtemp(join(tmpdir(), 'convkit-dl-'));
    const fakeFetch = async () => ({
      ok: true,
      status: 200,
      arrayBuffer: async () => new TextEncoder().encode('tampered').buffer as ArrayBuffer,
    });
    const message = await expectOneLineError(downloadDataset('mnist', { out, fetch: fakeFetch }), 'download-failed');
    expect(message).toContain('expected the published');
    expect(await readdir(out)).toEqual([]);
  });

  it('names the downloadable datasets when asked for another', async () => {
    const message = await expectOneLineError(downloadDataset('imagenet', { out: tmpdir() }), 'unknown-dataset');
    expect(message).toContain('cifar10');
  });

  it('reads regular files out of a ustar archive', () => {
    const header = new Uint8Array(512);
    header.set(new TextEncoder().encode('dir/a.bin'));
    header.set(new TextEncoder().encode('00000000003 '), 124);
    header[156] = '0'.charCodeAt(0);
    const archive = new Uint8Array(2048);
    archive.set(header);
    archive.set([7, 8, 9], 512);
    const entries = readTar(archive, 'x.tar');
    expect(entries.map((e) => [e.path, Array.from(e.data)])).toEqual([['dir/a.bin', [7, 8, 9]]]);
  });
});
