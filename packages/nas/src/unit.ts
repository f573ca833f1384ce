import type { SeededRng } from '@convkit/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { layers, SymbolicTensor } from '@tensorflow/tfjs-layers';

/**
 * A value flowing through a DARTS op: a symbolic tensor while the evaluation network is being built
 * as a functional tfjs-layers model, a concrete NHWC tensor while the search network runs eagerly.
 * The same layer objects serve both, so the search space and the evaluation network cannot drift.
 */
export type Flow = tf.Tensor | SymbolicTensor;

/** Call options of an eager run; symbolic builds pass none (the model sets the training flag when it runs). */
export interface RunFlags {
  training?: boolean;
  /**
   * P-DARTS's dropout on the search network's identity skip connections in training: the rate, and
   * the seeded generator each mask's seed is drawn from (so a search replays exactly).
   */
  skipDropout?: { rate: number; rng: SeededRng };
}

/** A built piece of network: layers created once, applied to a {@link Flow} each call. */
export type Unit = (x: Flow, flags?: RunFlags) => Flow;

let collecting: layers.Layer[] | undefined;

/**
 * Runs `build` and returns what it built with every layer {@link layerUnit} wrapped meanwhile, in
 * creation order: how the eager search network finds the weights of layers its closures hold. A
 * collection inside another one (a cell's, inside the network's) hands its layers on to the outer one too.
 */
export function collectLayers<T>(build: () => T): { built: T; layers: layers.Layer[] } {
  const outer = collecting;
  const found: layers.Layer[] = [];
  collecting = found;
  try {
    return { built: build(), layers: found };
  } finally {
    collecting = outer;
    outer?.push(...found);
  }
}

/** A tfjs layer as a {@link Unit}: symbolic calls carry no kwargs, eager ones the training flag. */
export function layerUnit(layer: layers.Layer): Unit {
  collecting?.push(layer);
  return (x, flags) => (flags ? layer.apply(x as tf.Tensor, { training: flags.training ?? false }) : layer.apply(x)) as Flow;
}

/** Units applied one after the other (PyTorch's `nn.Sequential`). */
export function sequence(units: Unit[]): Unit {
  return (x, flags) => units.reduce((y, unit) => unit(y, flags), x);
}

/** The identity op (`skip_connect` at stride 1). */
export const identity: Unit = (x) => x;
