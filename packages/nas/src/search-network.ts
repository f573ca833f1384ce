import { ConvkitError, type RngState, type SeededRng, withSeededMathRandom } from '@convkit/core';
import { batchNorm, Conv2d } from '@convkit/layers';
import { crossEntropy } from '@convkit/train';
import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { type CandidateOps, candidatesPerEdge } from './candidate-ops.js';
import { CELL_EDGES, CELL_STEPS, planCells, STEM_MULTIPLIER } from './cell-geometry.js';
import { deriveGenotype } from './derive-genotype.js';
import type { Genotype } from './genotype.js';
import { checkPartialChannels } from './partial-channels.js';
import { PRIMITIVES } from './primitives.js';
import type { BilevelModel } from './search/bilevel-model.js';
import { recomputedGradients, type Segment } from './search/recomputed-gradients.js';
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
  /** PC-DARTS's partial channels: each edge's ops see 1/K of the channels (1, the default: DARTS). */
  partialChannels?: number;
  /** PC-DARTS's edge normalization: a beta per edge, softmax-normalized over each node's incoming edges. */
  edgeNormalization?: boolean;
  /** A pruned search space (a P-DARTS stage): the candidates of each edge, the columns of its alphas; all eight by default. */
  ops?: CandidateOps;
}

/** The two architecture parameter matrices, one per cell type, each {@link CELL_EDGES} x candidates per edge (14 x 8 unpruned). */
export interface Alphas {
  normal: tf.Variable;
  reduce: tf.Variable;
}

/** PC-DARTS's edge-normalization parameters, one vector of {@link CELL_EDGES} (14) per cell type. */
export interface Betas {
  normal: tf.Variable;
  reduce: tf.Variable;
}

/**
 * Alphas as plain numbers (JSON, checkpoints, the per-epoch trace), with the betas of an
 * edge-normalized search and, in a pruned search space, the ops their columns stand for.
 */
export interface AlphaValues {
  normal: number[][];
  reduce: number[][];
  betas?: { normal: number[]; reduce: number[] };
  ops?: CandidateOps;
}

/** Node i's incoming edges are the next i + 2 entries of a cell's 14 (2, 3, 4, 5). */
const NODE_EDGE_COUNTS = Array.from({ length: CELL_STEPS }, (_, i) => i + 2);

/** Each edge's weight: the softmax of the betas over the node's incoming edges (PC-DARTS, Eq. 4). */
function edgeWeights(betas: tf.Variable): tf.Scalar[] {
  const perNode = tf.split(betas, NODE_EDGE_COUNTS).map((b) => tf.softmax(b));
  return tf.unstack(tf.concat(perNode)) as tf.Scalar[];
}

/**
 * A segment's run that, when recomputed in the backward pass, leaves no trace: its layers' running
 * statistics are put back as the forward pass left them, and `rng` replays the draws the forward pass
 * made (P-DARTS's dropout masks) and is then put back where it was.
 */
function replayable(found: layers.Layer[], rng: SeededRng, run: (inputs: tf.Tensor[]) => tf.Tensor): Segment['run'] {
  let atForward: RngState | undefined;
  return (inputs, pass) => {
    if (pass === 'forward') {
      atForward = rng.getState();
      return run(inputs);
    }
    const statistics = found.flatMap((layer) => layer.nonTrainableWeights);
    const kept = statistics.map((w) => tf.clone(w.read()));
    const now = rng.getState();
    if (atForward) rng.setState(atForward);
    try {
      return run(inputs);
    } finally {
      statistics.forEach((w, k) => {
        w.write(kept[k] as tf.Tensor);
      });
      tf.dispose(kept);
      rng.setState(now);
    }
  };
}

/** The variables of `found`'s trainable weights, in layer order. */
function trainableVariables(found: readonly layers.Layer[]): tf.Variable[] {
  return found.flatMap((layer) => layer.trainableWeights.map((w) => w.read() as tf.Variable));
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
  if (config.ops) candidatesPerEdge(config.ops);
  if ((config.partialChannels ?? 1) !== 1) checkPartialChannels(config.partialChannels as number, config.channels);
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
 * PC-DARTS (Xu et al., _PC-DARTS: Partial Channel Connections for Memory-Efficient Architecture
 * Search_, ICLR 2020) is two options: `partialChannels` K (edges run their ops on C/K sampled
 * channels) and `edgeNormalization` (a beta per edge, in the architecture parameter group). A P-DARTS
 * stage (Chen et al. 2019) is `ops`, the candidates left on each edge, and `skipDropout`, the dropout
 * rate on its identity skip connections in training.
 *
 * It runs eagerly (tfjs ops on concrete tensors) because the architecture step evaluates it at
 * perturbed weights; its batch norms normalize with the batch's statistics in training mode.
 */
export class SearchNetwork implements BilevelModel {
  readonly config: SearchNetworkConfig;
  readonly alphas: Alphas;
  /** Present when the network was built with `edgeNormalization`. */
  readonly betas: Betas | undefined;
  /** Every layer in creation order, for checkpoints (their weights include the norms' running statistics). */
  readonly layers: layers.Layer[];
  private readonly stem: Unit;
  private readonly stemLayers: layers.Layer[];
  private readonly cells: SearchCell[];
  /** Each cell's layers, for recomputing it in the backward pass without moving its norms' running statistics twice. */
  private readonly cellLayers: layers.Layer[][];
  private readonly reductions: boolean[];
  private readonly classifier: layers.Layer;
  private readonly rng: SeededRng;
  /** P-DARTS's dropout rate on the identity skip connections, in training only (0: none); a search schedules it per epoch. */
  skipDropout = 0;

  /** Builds the network with weights and alphas (`1e-3 * N(0, 1)`, as the reference) drawn from `rng`. */
  constructor(config: SearchNetworkConfig, rng: SeededRng) {
    checkInput(config);
    this.config = config;
    this.rng = rng;
    const plans = planCells(config.channels, config.layers);
    const { built, layers: found } = collectLayers(() => {
      const stemWidth = STEM_MULTIPLIER * config.channels;
      const stem = collectLayers(() => [
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
      ]);
      const partialChannels = config.partialChannels ?? 1;
      const cells = plans.map((plan) =>
        collectLayers(() =>
          searchCell(`cell${plan.index}`, plan, { partialChannels }, plan.reduction ? config.ops?.reduce : config.ops?.normal),
        ),
      );
      return { stem, cells };
    });
    this.stem = (x, flags) => built.stem.built.reduce((y, unit) => unit(y, flags), x);
    this.stemLayers = built.stem.layers;
    this.cells = built.cells.map((cell) => cell.built);
    this.cellLayers = built.cells.map((cell) => cell.layers);
    this.reductions = plans.map((p) => p.reduction);
    this.classifier = layers.dense({ name: 'classifier', units: config.numClasses, kernelInitializer: 'glorotUniform' });
    this.layers = [...found, this.classifier];
    const candidates = config.ops ? candidatesPerEdge(config.ops) : PRIMITIVES.length;
    const alpha = () => Array.from({ length: CELL_EDGES * candidates }, () => 1e-3 * rng.normal());
    this.alphas = {
      normal: tf.variable(tf.tensor2d(alpha(), [CELL_EDGES, candidates]), true),
      reduce: tf.variable(tf.tensor2d(alpha(), [CELL_EDGES, candidates]), true),
    };
    // drawn after the alphas, so a seed's alphas are the same with or without edge normalization
    const beta = () => tf.variable(tf.tensor1d(Array.from({ length: CELL_EDGES }, () => 1e-3 * rng.normal())), true);
    this.betas = config.edgeNormalization ? { normal: beta(), reduce: beta() } : undefined;
    // layers build their weights on their first call: one inference pass on two blank images.
    withSeededMathRandom(rng, () => tf.tidy(() => this.forward(tf.zeros([2, ...config.inputShape]), { training: false })));
  }

  /** Logits of a batch of NHWC images. */
  forward(x: tf.Tensor, runFlags: RunFlags = { training: true }): tf.Tensor2D {
    const flags = this.flagsOf(runFlags);
    return tf.tidy(() => {
      const normal = this.mixingWeights(false);
      const reduce = this.mixingWeights(true);
      let s0 = this.stem(x, flags) as tf.Tensor;
      let s1 = s0;
      this.cells.forEach((cell, i) => {
        const { ops, edges } = this.reductions[i] ? reduce : normal;
        [s0, s1] = [s1, cell(s0, s1, ops, flags, edges)];
      });
      return this.head(s1, flags);
    });
  }

  /** Mean cross-entropy of the logits of a batch (training-mode forward). */
  loss(batch: SearchBatch): tf.Scalar {
    return tf.tidy(() => crossEntropy(this.forward(batch.images, { training: true }), batch.labels, 'logits'));
  }

  /**
   * The training-mode loss of `batch` and its gradients with respect to `variables` (any of
   * {@link SearchNetwork.weights} and {@link SearchNetwork.architectureParameters}), in their order:
   * `tf.variableGrads` of {@link SearchNetwork.loss} within float rounding, with the running
   * statistics moved once as by one forward pass, but in far less memory. The backward pass recomputes
   * each cell's activations (every op of its 14 mixed edges) from the cell's inputs instead of keeping
   * all of them from the forward pass ({@link recomputedGradients}), so a step holds the outputs of the
   * cells and one cell's activations at a time: about one more forward pass for several times less memory.
   */
  lossGradients(batch: SearchBatch, variables: readonly tf.Variable[]): { value: tf.Scalar; gradients: tf.Tensor[] } {
    const flags = this.flagsOf({ training: true });
    const stem: Segment = {
      reads: [0],
      variables: trainableVariables(this.stemLayers),
      run: replayable(this.stemLayers, this.rng, ([x]) => this.stem(x as tf.Tensor, flags) as tf.Tensor),
    };
    const cells = this.cells.map((cell, i): Segment => {
      const reduction = this.reductions[i] as boolean;
      const cellLayers = this.cellLayers[i] as layers.Layer[];
      const alpha = reduction ? this.alphas.reduce : this.alphas.normal;
      const beta = this.betas && (reduction ? this.betas.reduce : this.betas.normal);
      return {
        // values: 0 the images, 1 the stem's output, i + 2 cell i's; the first cell reads the stem's twice
        reads: i === 0 ? [1, 1] : [i, i + 1],
        variables: [...trainableVariables(cellLayers), alpha, ...(beta ? [beta] : [])],
        run: replayable(cellLayers, this.rng, ([s0, s1]) => {
          const { ops, edges } = this.mixingWeights(reduction);
          return cell(s0 as tf.Tensor, s1 as tf.Tensor, ops, flags, edges);
        }),
      };
    });
    const head: Segment = {
      reads: [this.cells.length + 1],
      variables: trainableVariables([this.classifier]),
      run: ([s]) => crossEntropy(this.head(s as tf.Tensor, flags), batch.labels, 'logits'),
    };
    return recomputedGradients(batch.images, [stem, ...cells, head], variables);
  }

  /** The run flags with P-DARTS's skip dropout added in training when the network has a rate. */
  private flagsOf(runFlags: RunFlags): RunFlags {
    return runFlags.training && this.skipDropout > 0 ? { ...runFlags, skipDropout: { rate: this.skipDropout, rng: this.rng } } : runFlags;
  }

  /** softmax(alpha) of a cell type as one scalar per edge and candidate, with the edges' weights of an edge-normalized search. */
  private mixingWeights(reduction: boolean): { ops: tf.Scalar[][]; edges: tf.Scalar[] | undefined } {
    const alpha = reduction ? this.alphas.reduce : this.alphas.normal;
    const ops = tf.unstack(tf.softmax(alpha, -1)).map((row) => tf.unstack(row) as tf.Scalar[]);
    const beta = this.betas && (reduction ? this.betas.reduce : this.betas.normal);
    return { ops, edges: beta && edgeWeights(beta) };
  }

  /** Logits from the last cell's output: global average pool and the linear classifier. */
  private head(s: tf.Tensor, flags: RunFlags): tf.Tensor2D {
    return this.classifier.apply(tf.mean(s, [1, 2]), { training: flags.training ?? false }) as tf.Tensor2D;
  }

  /** The trainable network weights (the first parameter group), without the alphas. */
  get weights(): tf.Variable[] {
    return trainableVariables(this.layers);
  }

  /** The architecture parameters (the second parameter group): the alphas, normal then reduce, then any betas likewise. */
  get architectureParameters(): tf.Variable[] {
    return [this.alphas.normal, this.alphas.reduce, ...(this.betas ? [this.betas.normal, this.betas.reduce] : [])];
  }

  /** Number of trainable network weights (alphas not included, as the reference counts them). */
  countWeights(): number {
    return this.weights.reduce((sum, w) => sum + w.size, 0);
  }

  /** The alphas as numbers. */
  alphaValues(): AlphaValues {
    const values: AlphaValues = {
      normal: this.alphas.normal.arraySync() as number[][],
      reduce: this.alphas.reduce.arraySync() as number[][],
    };
    if (this.betas) values.betas = { normal: this.betas.normal.arraySync() as number[], reduce: this.betas.reduce.arraySync() as number[] };
    if (this.config.ops) values.ops = this.config.ops;
    return values;
  }

  /** The genotype the current alphas derive (see {@link deriveGenotype}). */
  genotype(): Genotype {
    return deriveGenotype(this.alphaValues());
  }

  /** Frees the weights, alphas and betas. */
  dispose(): void {
    for (const layer of this.layers) for (const w of layer.weights) w.dispose();
    for (const v of this.architectureParameters) v.dispose();
  }
}
