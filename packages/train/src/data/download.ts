import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ConvkitError, writeFileAtomic } from '@convkit/core';
import { DATASET_SOURCES, type DatasetSource } from './download-sources.js';
import { pathExists } from './find-file.js';
import { readTar } from './tar.js';

/** Hex MD5 of `data` (the checksum dataset publishers list). */
export function md5(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

/** Throws a {@link ConvkitError} when `data` does not have the published checksum. */
export function verifyChecksum(data: Uint8Array, expectedMd5: string, what: string): void {
  const actual = md5(data);
  if (actual !== expectedMd5) {
    throw new ConvkitError(
      'checksum-mismatch',
      `${what} has MD5 ${actual}, expected the published ${expectedMd5}; the download is corrupted or was tampered with, download again`,
    );
  }
}

/** Verifies a file already on disk against its published checksum. */
export async function verifyFile(path: string, expectedMd5: string): Promise<void> {
  verifyChecksum(await readFile(path), expectedMd5, path);
}

/** The dataset source named `name`, or an error listing the known ones. */
export function datasetSource(name: string): DatasetSource {
  const source = (DATASET_SOURCES as Record<string, DatasetSource | undefined>)[name];
  if (source) return source;
  throw new ConvkitError('unknown-dataset', `cannot download "${name}"; downloadable datasets: ${Object.keys(DATASET_SOURCES).join(', ')}`);
}

/** Progress of a download, reported per file. */
export interface DownloadEvent {
  file: string;
  status: 'cached' | 'downloading' | 'verified' | 'unpacked';
  url?: string;
}

/** Options of {@link downloadDataset}. */
export interface DownloadOptions {
  /** Folder the files go to. */
  out: string;
  /** Called once per step of each file. */
  onEvent?: (event: DownloadEvent) => void;
  /** Fetch implementation (tests pass a fake; default the global `fetch`). */
  fetch?: (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
}

/** What {@link downloadDataset} left on disk. */
export interface DownloadResult {
  dataset: string;
  /** The folder to pass as `--data`. */
  folder: string;
  files: string[];
}

/**
 * Why a fetch failed, down to the network's reason: Node's fetch says only "fetch failed" and keeps
 * the cause (`getaddrinfo ENOTFOUND host`, `connect ECONNREFUSED`) one level down.
 */
function fetchFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const reason = cause?.message ?? cause?.code;
  return reason && reason !== message ? `${message}: ${reason}` : message;
}

async function fetchVerified(source: DatasetSource, file: DatasetSource['files'][number], options: DownloadOptions): Promise<Uint8Array> {
  const get = options.fetch ?? fetch;
  const failures: string[] = [];
  for (const mirror of source.mirrors) {
    const url = mirror + file.name;
    options.onEvent?.({ file: file.name, status: 'downloading', url });
    try {
      const response = await get(url);
      if (!response.ok) {
        failures.push(`${url}: HTTP ${response.status}`);
        continue;
      }
      const data = new Uint8Array(await response.arrayBuffer());
      verifyChecksum(data, file.md5, url);
      return data;
    } catch (error) {
      failures.push(`${url}: ${fetchFailure(error)}`);
    }
  }
  throw new ConvkitError(
    'download-failed',
    `could not download ${file.name} into ${options.out} (${failures.join('; ')}); check the network, or copy ${source.files.map((f) => f.name).join(', ')} into ${options.out} by hand`,
  );
}

/**
 * Downloads an official dataset into `out`, verifying every file against its published MD5 before it
 * is written (atomically), and unpacks CIFAR's tar archive. Files already present with the right
 * checksum are kept, so a rerun only fetches what is missing.
 */
export async function downloadDataset(name: string, options: DownloadOptions): Promise<DownloadResult> {
  const source = datasetSource(name);
  const written: string[] = [];
  let folder = options.out;
  for (const file of source.files) {
    const path = join(options.out, file.name);
    let data: Uint8Array | undefined;
    if (await pathExists(path)) {
      const existing = await readFile(path);
      if (md5(existing) === file.md5) {
        data = existing;
        options.onEvent?.({ file: file.name, status: 'cached' });
      }
    }
    if (!data) {
      data = await fetchVerified(source, file, options);
      await writeFileAtomic(path, data);
      options.onEvent?.({ file: file.name, status: 'verified' });
    }
    written.push(path);
    if (source.archive === 'tar.gz') {
      for (const entry of readTar(gunzipSync(data), path)) {
        const target = join(options.out, entry.path);
        await writeFileAtomic(target, entry.data);
        written.push(target);
        folder = join(options.out, entry.path.split('/')[0] ?? '');
      }
      options.onEvent?.({ file: basename(path), status: 'unpacked' });
    }
  }
  return { dataset: source.name, folder, files: written };
}
