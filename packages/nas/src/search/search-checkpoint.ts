import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConvkitError, type RngState, writeFileAtomic } from '@convkit/core';
import type { OptimizerState } from '@convkit/train';
import * as tf from '@tensorflow/tfjs-core';
import type { CandidateOps } from '../candidate-ops.js';
import type { SearchNetwork } from '../search-network.js';
import type { BilevelState } from './bilevel-optimizer.js';

/** Where a staged search (P-DARTS) is; a DARTS search is always in its one stage. */
export interface StageProgress {
  /** 0-based stage. */
  index: number;
  /** The stage's candidates per edge (null: all eight), which the network must be rebuilt with to load the checkpoint. */
  ops: CandidateOps | null;
  /** Epochs of this stage finished. */
  epochsDone: number;
}

/** Everything a search needs besides its network to continue exactly where it stopped. */
export interface SearchCheckpoint {
  /** The settings the search ran with; a resume must use the same. */
  settings: Record<string, unknown>;
  /** Epochs finished, over all stages. */
  epochsDone: number;
  /** The stage the network belongs to and how far it got. */
  stage: StageProgress;
  rng: RngState;
  /** Per-epoch records so far, kept by the caller. */
  history: unknown[];
  optimizer: BilevelState;
}

const MANIFEST = 'search-checkpoint.json';
const VALUES = 'search-checkpoint.bin';

/** The network's variables in a fixed order: every layer weight (with the norms' running statistics), then the alphas. */
function networkVariables(net: SearchNetwork): tf.Variable[] {
  return [...net.layers.flatMap((layer) => layer.weights.map((w) => w.read() as tf.Variable)), ...net.architectureParameters];
}

/**
 * Writes the network's values and the checkpoint atomically into `folder`: the values first, then
 * the manifest that names them, so a search killed while writing keeps its previous checkpoint.
 */
export async function writeSearchCheckpoint(folder: string, net: SearchNetwork, checkpoint: SearchCheckpoint): Promise<void> {
  const variables = networkVariables(net);
  const arrays: Float32Array[] = [];
  for (const v of variables) arrays.push((await v.data()) as Float32Array);
  const slots = (state: OptimizerState) => state.slots.map((s) => s.values);
  arrays.push(...slots(checkpoint.optimizer.weights), ...slots(checkpoint.optimizer.alphas));
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const values = new Float32Array(total);
  let offset = 0;
  for (const a of arrays) {
    values.set(a, offset);
    offset += a.length;
  }
  const shapes = (state: OptimizerState) => ({ step: state.step, shapes: state.slots.map((s) => s.shape) });
  const manifest = {
    ...checkpoint,
    optimizer: { weights: shapes(checkpoint.optimizer.weights), alphas: shapes(checkpoint.optimizer.alphas) },
    variables: variables.map((v) => v.shape),
    floats: total,
  };
  await writeFileAtomic(join(folder, VALUES), new Uint8Array(values.buffer));
  await writeFileAtomic(join(folder, MANIFEST), JSON.stringify(manifest));
}

interface Manifest extends Omit<SearchCheckpoint, 'optimizer'> {
  optimizer: { weights: { step: number; shapes: number[][] }; alphas: { step: number; shapes: number[][] } };
  variables: number[][];
  floats: number;
}

/** The settings and stage of the checkpoint in `folder`, to check and to build its network before {@link readSearchCheckpoint}. */
export async function readSearchCheckpointStage(folder: string): Promise<Pick<SearchCheckpoint, 'settings' | 'stage'>> {
  const manifest = JSON.parse(await readFile(join(folder, MANIFEST), 'utf8')) as Manifest;
  return { settings: manifest.settings, stage: manifest.stage };
}

/** Whether `folder` holds a search checkpoint. */
export async function hasSearchCheckpoint(folder: string): Promise<boolean> {
  return readFile(join(folder, MANIFEST)).then(
    () => true,
    () => false,
  );
}

/** Restores the network's values from `folder` and returns the rest of the checkpoint. */
export async function readSearchCheckpoint(folder: string, net: SearchNetwork): Promise<SearchCheckpoint> {
  const manifest = JSON.parse(await readFile(join(folder, MANIFEST), 'utf8')) as Manifest;
  const bytes = await readFile(join(folder, VALUES));
  if (bytes.byteLength !== manifest.floats * 4) {
    throw new ConvkitError(
      'bad-checkpoint',
      `search checkpoint ${folder} is incomplete (${bytes.byteLength} bytes); delete it and start again without --resume`,
    );
  }
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const variables = networkVariables(net);
  const sameShapes =
    variables.length === manifest.variables.length && variables.every((v, i) => v.shape.join('x') === manifest.variables[i]?.join('x'));
  if (!sameShapes) {
    throw new ConvkitError(
      'bad-checkpoint',
      `search checkpoint ${folder} is of another network; resume with the channels, layers, method and data it was started with`,
    );
  }
  let offset = 0;
  const take = (shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const part = values.slice(offset, offset + size);
    offset += size;
    return part;
  };
  for (const v of variables) tf.tidy(() => v.assign(tf.tensor(take(v.shape), v.shape, 'float32')));
  const state = (saved: { step: number; shapes: number[][] }): OptimizerState => ({
    step: saved.step,
    slots: saved.shapes.map((shape) => ({ shape, values: take(shape) })),
  });
  const weights = state(manifest.optimizer.weights);
  const alphas = state(manifest.optimizer.alphas);
  return {
    settings: manifest.settings,
    epochsDone: manifest.epochsDone,
    stage: manifest.stage,
    rng: manifest.rng,
    history: manifest.history,
    optimizer: { weights, alphas },
  };
}
