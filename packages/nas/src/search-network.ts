import { ConvkitError, type SeededRng, withSeededMathRandom } from '@convkit/core';
import { batchNorm, Conv2d } from '@convkit/layers';
import { crossEntropy } from '@convkit/train';
import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { CELL_EDGES, planCells, STEM_MULTIPLIER } from './cell-geometry.js';
import { deriveGenotype, type Genotype } from './genotype.js';
import { PRIMITIVES } from './primitives.js';
import type { BilevelModel } from './search/bilevel-model.js';
import type { SearchBatch } from './search/search-batch.js';
import { type SearchCell, searchCell } from './search-cell.js';
import { collectLayers, layerUnit, type RunFlags, type Unit } from './unit.js';

/** Shape of a DARTS search network. */
export interface SearchNetworkConfig {
  /** Initial width C (the paper's search uses 16). */
  channels: number;
  /** Number of cells (8 in the paper's search). */
  layers: number;
  numClasses: number;
  /** Height, width, channels of the images. */
  inputShape: [number, number, number];
}

/** The two architecture parameter matrices, one per cell type, each {@link CELL_EDGES} x {@link PRIMITIVES} (14 x 8). */
export interface Alphas {
  normal: tf.Variable;
  reduce: tf.Variable;
}

/** Alphas as plain numbers (JSON, checkpoints, the per-epoch trace). */
export interface AlphaValues {
  normal: number[][];
  reduce: number[][];
}

/** The smallest map a reduction can halve: factorized reduce needs even sizes at each reduction. */
function checkInput(config: SearchNetworkConfig): void {
  const [h, w] = config.inputShape;
  const halvings = planCells(config.channels, config.layers).filter((p) => p.reduction).length;
  const ok = (size: number) => size % 2 ** halvings === 0;
  if (!ok(h) || !ok(w)) {
    throw new ConvkitError(
      'bad-input-size',
      `a DARTS network of ${config.layers} cells halves the map ${halvings} times, so height and width must be multiples of ${2 ** halvings}; got ${h}x${w}, resize the images or change layers`,
    );
  }
  if (config.channels % 2 !== 0) {
    throw new ConvkitError(
      'bad-option',
      `DARTS channels must be even (factorized reduce splits them in two halves); got ${config.channels}`,
    );
  }
}

/**
 * The DARTS search network (Liu, Simonyan, Yang, _DARTS: Differentiable Architecture Search_, ICLR
 * 2019; the reference's `model_search.Network`): stem 3x3 convolution to 3C channels and batch norm,
 * `layers` search cells of 4 nodes and 14 mixed edges, global average pool and a linear classifier.
 * Normal cells share one alpha matrix, reduction cells the other; the alphas are separate trainable
 * variables, not network weights, so the bi-level optimisation keeps two parameter groups. At C=16,
 * 8 cells and 10 classes it has the reference's 1,930,618 weights (test/fixtures/darts_param_counts.py).
 *
 * It runs eagerly (tfjs ops on concrete tensors) because the architecture step evaluates it at
 * perturbed weights; its batch norms normalize with the batch's statistics in training mode.
 */
export class SearchNetwork implements BilevelModel {
  readonly config: SearchNetworkConfig;
  readonly alphas: Alphas;
  /** Every layer in creation order, for checkpoints (their weights include the norms' running statistics). */
  readonly layers: layers.Layer[];
  private readonly stem: Unit;
  private readonly cells: SearchCell[];
  private readonly reductions: boolean[];
  private readonly classifier: layers.Layer;

  /** Builds the network with weights and alphas (`1e-3 * N(0, 1)`, as the reference) drawn from `rng`. */
  constructor(config: SearchNetworkConfig, rng: SeededRng) {
    checkInput(config);
    this.config = config;
    const plans = planCells(config.channels, config.layers);
    const { built, layers: found } = collectLayers(() => {
      const stemWidth = STEM_MULTIPLIER * config.channels;
      const stem = [
        layerUnit(
          new Conv2d({
            name: 'stem.conv',
            filters: stemWidth,
            kernelSize: 3,
            padding: 1,
            useBias: false,
            kernelInitializer: 'torchUniform',
          }),
        ),
        layerUnit(batchNorm({ name: 'stem.bn' })),
      ];
      const cells = plans.map((plan) => searchCell(`cell${plan.index}`, plan));
      return { stem, cells };
    });
    this.stem = (x, flags) => built.stem.reduce((y, unit) => unit(y, flags), x);
    this.cells = built.cells;
    this.reductions = plans.map((p) => p.reduction);
    this.classifier = layers.dense({ name: 'classifier', units: config.numClasses, kernelInitializer: 'glorotUniform' });
    this.layers = [...found, this.classifier];
    const alpha = () => Array.from({ length: CELL_EDGES * PRIMITIVES.length }, () => 1e-3 * rng.normal());
    this.alphas = {
      normal: tf.variable(tf.tensor2d(alpha(), [CELL_EDGES, PRIMITIVES.length]), true),
      reduce: tf.variable(tf.tensor2d(alpha(), [CELL_EDGES, PRIMITIVES.length]), true),
    };
    // layers build their weights on their first call: one inference pass on two blank images.
    withSeededMathRandom(rng, () => tf.tidy(() => this.forward(tf.zeros([2, ...config.inputShape]), { training: false })));
  }

  /** Logits of a batch of NHWC images. */
  forward(x: tf.Tensor, flags: RunFlags = { training: true }): tf.Tensor2D {
    return tf.tidy(() => {
      const weightsOf = (alpha: tf.Variable) => tf.unstack(tf.softmax(alpha, -1)).map((row) => tf.unstack(row) as tf.Scalar[]);
      const normal = weightsOf(this.alphas.normal);
      const reduce = weightsOf(this.alphas.reduce);
      let s0 = this.stem(x, flags) as tf.Tensor;
      let s1 = s0;
      this.cells.forEach((cell, i) => {
        [s0, s1] = [s1, cell(s0, s1, this.reductions[i] ? reduce : normal, flags)];
      });
      const pooled = tf.mean(s1, [1, 2]);
      return this.classifier.apply(pooled, { training: flags.training ?? false }) as tf.Tensor2D;
    });
  }

  /** Mean cross-entropy of the logits of a batch (training-mode forward). */
  loss(batch: SearchBatch): tf.Scalar {
    return tf.tidy(() => crossEntropy(this.forward(batch.images, { training: true }), batch.labels, 'logits'));
  }

  /** The trainable network weights (the first parameter group), without the alphas. */
  get weights(): tf.Variable[] {
    return this.layers.flatMap((layer) => layer.trainableWeights.map((w) => w.read() as tf.Variable));
  }

  /** The alphas (the second parameter group): normal, then reduce. */
  get architectureParameters(): tf.Variable[] {
    return [this.alphas.normal, this.alphas.reduce];
  }

  /** Number of trainable network weights (alphas not included, as the reference counts them). */
  countWeights(): number {
    return this.weights.reduce((sum, w) => sum + w.size, 0);
  }

  /** The alphas as numbers. */
  alphaValues(): AlphaValues {
    return {
      normal: this.alphas.normal.arraySync() as number[][],
      reduce: this.alphas.reduce.arraySync() as number[][],
    };
  }

  /** The genotype the current alphas derive (see {@link deriveGenotype}). */
  genotype(): Genotype {
    return deriveGenotype(this.alphaValues());
  }

  /** Frees the weights and alphas. */
  dispose(): void {
    for (const layer of this.layers) for (const w of layer.weights) w.dispose();
    this.alphas.normal.dispose();
    this.alphas.reduce.dispose();
  }
}
