import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConvkitError, folderIO, type RngState, saveModel, sha256, writeFileAtomic } from '@convkit/core';
import { io, type Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { pathExists } from '../data/find-file.js';
import type { ChannelStatistics } from '../data/normalization.js';
import type { LossScalerState } from '../techniques/loss-scaler.js';
import type { EpochMetrics } from './epoch-metrics.js';
import { weightShapes } from './fresh-state.js';
import type { OptimizerState } from './optimizer.js';
import type { TrainConfig } from './train-config.js';

export { weightShapes } from './fresh-state.js';

/** Folder of a run's checkpoints inside its output folder. */
export const CHECKPOINTS = 'checkpoints';
const LATEST = 'latest.json';
const STATE = 'trainer-state.json';
const OPTIMIZER = 'optimizer.bin';

/** Everything besides weights that a resumed run needs to continue exactly where it stopped. */
export interface TrainerState {
  format: 1;
  arch: string;
  /** The `data` the run was started with (a registered name or a folder), so a resume can reopen it. */
  data: string;
  /** Shape of every weight, in model order: a guard against options that change the architecture. */
  weightShapes: number[][];
  dataset: string;
  classNames: string[];
  normalization: ChannelStatistics;
  config: TrainConfig;
  /** Completed epochs. */
  epoch: number;
  /** Completed optimizer steps. */
  step: number;
  /** State of the run's generator at the end of `epoch` (shuffling, augmentation, dropout). */
  rng: RngState;
  history: EpochMetrics[];
  /** Best monitored loss so far, the epoch that reached it, and epochs since it improved (early stopping). */
  best: number | null;
  bestEpoch: number | null;
  badEpochs: number;
  stopped: boolean;
  optimizer: { step: number; slotShapes: number[][]; sha256: string };
  /** SHA-256 of each technique's file in the checkpoint folder (`ema.bin`), by file name. */
  files?: Record<string, string>;
  /** Dynamic loss scaling's state at the end of `epoch`, with `lossScale`. */
  lossScale?: LossScalerState;
}

/** A checkpoint read back: trainer state, optimizer state and the folder holding the model. */
export interface Checkpoint {
  state: TrainerState;
  optimizer: OptimizerState;
  modelFolder: string;
  /** The techniques' files (`ema.bin`), checksums verified, by file name. */
  files: Record<string, Uint8Array>;
}

/** Folder (inside `checkpoints/`) holding the model of the best epoch so far. */
export const BEST = 'best';

/** Which checkpoints survive an epoch: the newest `keep`, and the best epoch's model when this one is it. */
export interface CheckpointPolicy {
  keep: number;
  isBest: boolean;
}

/**
 * Writes the checkpoint of a finished epoch: model, optimizer slots and trainer state go into a new
 * `checkpoints/epoch-NNNN` folder, and only then is `checkpoints/latest.json` replaced atomically to
 * point at it, so a run killed at any moment leaves the previous complete checkpoint in force. The
 * best epoch's model goes to `checkpoints/best/` before the pointer moves, and epoch folders beyond
 * the newest `policy.keep` are removed after it. `files` are the techniques' own state (the EMA
 * weights), written into the folder with their checksums in the trainer state.
 */
export async function writeCheckpoint(
  out: string,
  model: LayersModel,
  optimizer: { getState(): Promise<OptimizerState> },
  state: Omit<TrainerState, 'optimizer'>,
  policy: CheckpointPolicy,
  files: Record<string, Uint8Array> = {},
): Promise<void> {
  const name = `epoch-${String(state.epoch).padStart(4, '0')}`;
  const folder = join(out, CHECKPOINTS, name);
  await saveModel(model, folder);
  const optimizerState = await optimizer.getState();
  const bytes = concatenateSlots(optimizerState);
  await writeFileAtomic(join(folder, OPTIMIZER), bytes);
  for (const [file, contents] of Object.entries(files)) await writeFileAtomic(join(folder, file), contents);
  const full: TrainerState = {
    ...state,
    optimizer: { step: optimizerState.step, slotShapes: optimizerState.slots.map((s) => s.shape), sha256: sha256(bytes) },
    ...(Object.keys(files).length > 0 ? { files: Object.fromEntries(Object.entries(files).map(([file, b]) => [file, sha256(b)])) } : {}),
  };
  await writeFileAtomic(join(folder, STATE), JSON.stringify(full));
  if (policy.isBest) await saveModel(model, join(out, CHECKPOINTS, BEST));
  await writeFileAtomic(join(out, CHECKPOINTS, LATEST), JSON.stringify({ epoch: state.epoch, folder: name }));
  const epochs = (await readdir(join(out, CHECKPOINTS))).filter((entry) => /^epoch-\d+$/.test(entry)).sort();
  for (const entry of epochs.slice(0, Math.max(0, epochs.length - policy.keep))) {
    await rm(join(out, CHECKPOINTS, entry), { recursive: true, force: true });
  }
}

function concatenateSlots(state: OptimizerState): Uint8Array {
  const total = state.slots.reduce((n, s) => n + s.values.length, 0);
  const all = new Float32Array(total);
  let offset = 0;
  for (const slot of state.slots) {
    all.set(slot.values, offset);
    offset += slot.values.length;
  }
  return new Uint8Array(all.buffer);
}

/** `JSON.parse`, with `undefined` for text that is not JSON. */
function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

function corrupted(folder: string, what: string): ConvkitError {
  return new ConvkitError(
    'corrupted-checkpoint',
    `checkpoint ${folder} is corrupted (${what}); delete it to start over, or restore it from a backup`,
  );
}

/** Whether `out` has a checkpoint. */
export async function hasCheckpoint(out: string): Promise<boolean> {
  return pathExists(join(out, CHECKPOINTS, LATEST));
}

/** Reads the latest checkpoint of the run in `out`, verifying the optimizer file's checksum. */
export async function readCheckpoint(out: string): Promise<Checkpoint> {
  let latestText: string;
  try {
    latestText = await readFile(join(out, CHECKPOINTS, LATEST), 'utf8');
  } catch {
    throw new ConvkitError(
      'missing-checkpoint',
      `nothing to resume in ${out} (no ${CHECKPOINTS}/${LATEST}); drop --resume to start a new run there`,
    );
  }
  // A pointer that exists but cannot be read is damage, not a fresh folder: say so rather than "nothing to resume".
  const latest = parseJson<{ folder?: unknown }>(latestText);
  if (typeof latest?.folder !== 'string') throw corrupted(join(out, CHECKPOINTS), `${LATEST} is not JSON naming a checkpoint folder`);
  // The pointer names a folder of checkpoints/ itself: a path through ".." or "/" would resume from anywhere.
  if (!/^[\w.-]+$/.test(latest.folder) || /^\.+$/.test(latest.folder))
    throw corrupted(
      join(out, CHECKPOINTS),
      `${LATEST} names ${JSON.stringify(latest.folder)}, which is not a folder inside ${CHECKPOINTS}/`,
    );
  const folder = join(out, CHECKPOINTS, latest.folder);
  let state: TrainerState | undefined;
  try {
    state = parseJson<TrainerState>(await readFile(join(folder, STATE), 'utf8'));
  } catch {
    throw corrupted(folder, `${STATE} is missing`);
  }
  if (!Array.isArray(state?.optimizer?.slotShapes)) throw corrupted(folder, `${STATE} is not JSON with an optimizer record`);
  const bytes = await readFile(join(folder, OPTIMIZER)).catch(() => {
    throw corrupted(folder, `${OPTIMIZER} is missing`);
  });
  if (sha256(bytes) !== state.optimizer.sha256) throw corrupted(folder, `${OPTIMIZER} checksum mismatch`);
  // The shapes are not covered by the checksum (it is over the bytes): they must account for every value, no more.
  const sizes = state.optimizer.slotShapes.map((shape) =>
    Array.isArray(shape) && shape.every((n) => Number.isInteger(n) && n >= 0) ? shape.reduce((a, b) => a * b, 1) : Number.NaN,
  );
  if (sizes.reduce((a, b) => a + b, 0) * 4 !== bytes.byteLength)
    throw corrupted(folder, `${STATE}'s optimizer slot shapes do not describe the ${bytes.byteLength} bytes of ${OPTIMIZER}`);
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let offset = 0;
  const slots = state.optimizer.slotShapes.map((shape, i) => {
    const size = sizes[i] as number;
    const slot = { shape, values: values.slice(offset, offset + size) };
    offset += size;
    return slot;
  });
  const files: Record<string, Uint8Array> = {};
  for (const [file, checksum] of Object.entries(state.files ?? {})) {
    if (file.includes('/') || file.includes('\\') || file.startsWith('.'))
      throw corrupted(folder, `${STATE} names a file outside the checkpoint`);
    const contents = await readFile(join(folder, file)).catch(() => {
      throw corrupted(folder, `${file} is missing`);
    });
    if (sha256(contents) !== checksum) throw corrupted(folder, `${file} checksum mismatch`);
    files[file] = new Uint8Array(contents);
  }
  return { state, optimizer: { step: state.optimizer.step, slots }, modelFolder: folder, files };
}

/**
 * Refuses a checkpoint written for another architecture, naming both, before anything is loaded or
 * written.
 */
export function assertSameArchitecture(checkpoint: Checkpoint, arch: string, out: string): void {
  const saved = checkpoint.state.arch;
  if (saved !== arch) {
    throw new ConvkitError(
      'checkpoint-mismatch',
      `the checkpoint in ${out} is from architecture "${saved}", not "${arch}"; resume it with --arch ${saved}, or pass a different --out to start a new run`,
    );
  }
}

/** Refuses a checkpoint of the same architecture whose weights were shaped by other options. */
export function assertWeightShapesFit(checkpoint: Checkpoint, model: LayersModel, out: string): void {
  const shapes = weightShapes(model);
  const saved = checkpoint.state.weightShapes;
  if (JSON.stringify(shapes) !== JSON.stringify(saved)) {
    throw new ConvkitError(
      'checkpoint-mismatch',
      `the checkpoint in ${out} holds ${saved.length} weights shaped for other options of ${checkpoint.state.arch} than this model's ${shapes.length}; resume with the options it was trained with, or pass a different --out`,
    );
  }
}

/**
 * Copies the weights saved in `folder` (a checkpoint or a trained model) into `model`, built by the
 * registry for the same architecture, in save order, without deserializing the saved topology (so no
 * layer class lookup is involved).
 */
export async function restoreWeights(folder: string, model: LayersModel): Promise<void> {
  const handler = folderIO(folder);
  // folderIO always implements load; the optional type comes from tfjs's IOHandler interface.
  const artifacts = await (handler.load as NonNullable<typeof handler.load>)();
  const specs = artifacts.weightSpecs ?? [];
  const named = io.decodeWeights(artifacts.weightData ?? new ArrayBuffer(0), specs);
  const saved = JSON.stringify(specs.map((spec: io.WeightsManifestEntry) => spec.shape));
  if (saved !== JSON.stringify(weightShapes(model))) {
    throw new ConvkitError(
      'model-mismatch',
      `the weights in ${folder} do not fit ${model.name} built for this data (saved shapes differ); evaluate it on the dataset it was trained on`,
    );
  }
  const tensors = specs.map((spec: io.WeightsManifestEntry) => named[spec.name] as Tensor);
  model.setWeights(tensors);
  for (const tensor of tensors) tensor.dispose();
}
