import type { LayersModel, LayerVariable } from '@tensorflow/tfjs-layers';
import { ConvkitError } from '../errors.js';
import { adamUpdate } from './adam-update.js';
import { type ComputeDType, GraphOps } from './graph-ops.js';
import { lowerModel } from './lower-model.js';
import { encodeSavedModel, type Signature, type SignatureTensor } from './saved-model.js';
import { type StepScalar, stepInputs } from './step-inputs.js';
import { Tape } from './tape.js';
import { attr, TfGraph } from './tf-graph.js';

/**
 * The optimizers the graph engine lowers: SGD and Nesterov as TensorFlow's ResourceApplyMomentum
 * (PyTorch's convention), Adam (coupled L2) and AdamW (decoupled decay) as the eager optimizer's own
 * float32 ops in its order, so both engines round alike.
 */
export const GRAPH_OPTIMIZERS = ['sgd', 'nesterov', 'adam', 'adamw'] as const;

/** The optimizer of a compiled step; Adam's betas and epsilon default to 0.9, 0.999 and 1e-8. */
export interface GraphOptimizerConfig {
  name: (typeof GRAPH_OPTIMIZERS)[number];
  momentum?: number;
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Kinds of a session variable: a weight, or one of the optimizer's slots of a trainable weight. */
export type GraphVariableKind = 'weight' | 'momentum' | 'first-moment' | 'second-moment';

/** The slots `optimizer` keeps per trainable weight, in the eager optimizer's order. */
export function slotKinds(optimizer: GraphOptimizerConfig['name']): GraphVariableKind[] {
  return optimizer === 'adam' || optimizer === 'adamw' ? ['first-moment', 'second-moment'] : ['momentum'];
}

/** The training step the graph engine compiles. */
export interface TrainGraphConfig {
  optimizer: GraphOptimizerConfig;
  labelSmoothing?: number;
  /** Clip gradients to this global L2 norm; undefined for no clipping. */
  clipNorm?: number;
  /**
   * What the forward and backward passes compute in (default float32): `bfloat16` is mixed precision,
   * the weights, optimizer slots, batch-norm statistics and the loss float32, the rest bfloat16.
   */
  compute?: ComputeDType;
  /**
   * Run ReLU's gradient, and the ReLU of a residual sum, on oneDNN's own kernels (`_MklReluGrad`,
   * `_MklRelu`), which only libtensorflow builds with oneDNN register; {@link GraphEngine.create} turns
   * it on where {@link oneDnnGradientsRegistered} says so.
   */
  oneDnnGradients?: boolean;
}

/** A variable of the session: one of the model's weights or a momentum slot of a trainable one. */
export interface GraphVariable {
  /** Its VarHandleOp's node name. */
  node: string;
  shape: number[];
  /** Index into `model.weights` of the weight it is, or whose slot it is. */
  weight: number;
  kind: GraphVariableKind;
}

/** A compiled training step: the SavedModel's bytes and its variables in signature order. */
export interface TrainGraph {
  savedModel: Uint8Array;
  variables: GraphVariable[];
  opTypes: string[];
  nodeCount: number;
  /** Whether the step draws random numbers (dropout), so each step is fed a fresh `seed` pair. */
  random: boolean;
  /** Whether the step takes Adam's per-step scalars ({@link adamStepScalars}). */
  adam: boolean;
  /** Scalars the step is fed from the model at every step (drop-path rates), by signature input key. */
  stepScalars: StepScalar[];
}

/**
 * Adam's per-step scalars, computed in float64 as the eager optimizer does: the bias corrections
 * `1 - beta^t` of step `t` (1-based) and AdamW's decoupled decay `learningRate * weightDecay`.
 */
export function adamStepScalars(optimizer: GraphOptimizerConfig, t: number, learningRate: number): Record<string, number> {
  return {
    bias_correction1: 1 - (optimizer.beta1 ?? 0.9) ** t,
    bias_correction2: 1 - (optimizer.beta2 ?? 0.999) ** t,
    decoupled_decay: learningRate * (optimizer.weightDecay ?? 0),
  };
}

/** Signature keys of the engine's SavedModel. */
export const SIGNATURES = { train: 'train', getWeights: 'get_weights', setWeights: 'set_weights' } as const;

const F = { T: attr.type('float32') };
const variableKey = (i: number) => `v${String(i).padStart(4, '0')}`;

/**
 * Compiles one SGD training step of `model` (a single-input, single-logits-output LayersModel) into a
 * TensorFlow graph and writes it as a SavedModel with three signatures: `train` (images, labels,
 * learning_rate -> loss, correct; forward in training mode, mean softmax cross-entropy with label
 * smoothing, TensorFlow's gradient ops, optional global-norm clipping, coupled weight decay on
 * kernels, momentum update and batch-norm moving averages, all as control dependencies of the
 * outputs), `get_weights` and `set_weights` (every variable, in {@link TrainGraph.variables} order).
 * The variables start from `initial` (one array per variable, that order).
 */
export function compileTrainStep(
  model: LayersModel,
  config: TrainGraphConfig,
  initial: (variables: GraphVariable[]) => Float32Array[],
): TrainGraph {
  if (model.outputs.length !== 1) {
    throw new ConvkitError(
      'graph-unsupported',
      `${model.name} has ${model.outputs.length} outputs; the graph engine trains single-output models; train it with --engine eager`,
    );
  }
  const graph = new TfGraph();
  const tape = new Tape(graph);
  const ops = new GraphOps(graph, tape, config.compute, config.oneDnnGradients);
  const weights = model.weights as LayerVariable[];
  const trainable = new Set(model.trainableWeights as LayerVariable[]);
  const variables: GraphVariable[] = weights.map((w, i) => ({
    node: graph.uniqueName(`var/${w.name}`),
    shape: [...(w.shape as number[])],
    weight: i,
    kind: 'weight',
  }));
  weights.forEach((w, i) => {
    if (!trainable.has(w)) return;
    for (const kind of slotKinds(config.optimizer.name))
      variables.push({ node: graph.uniqueName(`slot/${w.name}/${kind}`), shape: [...(w.shape as number[])], weight: i, kind });
  });
  const handles = variables.map((v) =>
    graph.op(
      'VarHandleOp',
      [],
      { dtype: attr.type('float32'), shape: attr.shape(v.shape), shared_name: attr.string(v.node), container: attr.string('') },
      { name: v.node },
    ),
  );
  const read = (i: number, name: string) => graph.op('ReadVariableOp', [handles[i] as string], { dtype: attr.type('float32') }, { name });

  // Initialization: every variable from a constant (the loader runs this once, there is no checkpoint).
  const values = initial(variables);
  const inits = variables.map((v, i) =>
    graph.op('AssignVariableOp', [handles[i] as string, graph.floats(values[i] as Float32Array, v.shape, `init/${v.node}`)], {
      dtype: attr.type('float32'),
    }),
  );
  const initOp = graph.op('NoOp', [], {}, { name: 'init_all_variables', after: inits });

  // The training step.
  const shape = (model.inputs[0]?.shape ?? []).slice(1) as number[];
  const classes = model.outputs[0]?.shape.at(-1) as number;
  const images = graph.op('Placeholder', [], { dtype: attr.type('float32'), shape: attr.shape([null, ...shape]) }, { name: 'images' });
  const labels = graph.op('Placeholder', [], { dtype: attr.type('float32'), shape: attr.shape([null, classes]) }, { name: 'labels' });
  const learningRate = graph.op('Placeholder', [], { dtype: attr.type('float32'), shape: attr.shape([]) }, { name: 'learning_rate' });
  const perStep = stepInputs(graph);
  const reads = weights.map((w, i) => read(i, `read/${w.name}`));
  const index = new Map(weights.map((w, i) => [w, i]));
  const assigns: string[] = [];
  const [computed] = lowerModel(model, {
    ops,
    input: ops.toCompute(images, 'images/compute'),
    training: true,
    randomSeed: perStep.randomSeed,
    stepScalar: perStep.stepScalar,
    read: (v) => reads[index.get(v) as number] as string,
    assign: (v, value) =>
      assigns.push(
        graph.op(
          'AssignVariableOp',
          [handles[index.get(v) as number] as string, value],
          { dtype: attr.type('float32') },
          { name: `update/${v.name}` },
        ),
      ),
  }) as [string];
  const logits = ops.toFloat32(computed, 'logits/float32');

  const smoothing = config.labelSmoothing ?? 0;
  const targets =
    smoothing > 0
      ? graph.op('AddV2', [graph.op('Mul', [labels, graph.scalar(1 - smoothing)], F), graph.scalar(smoothing / classes)], F, {
          name: 'smoothed_labels',
        })
      : labels;
  const xent = graph.op('SoftmaxCrossEntropyWithLogits', [logits, targets], F, { name: 'xent' });
  const loss = graph.op('Mean', [xent, graph.ints([0])], { ...F, Tidx: attr.type('int32') }, { name: 'mean_loss' });
  const batch = graph.op(
    'Cast',
    [graph.op('Size', [xent], { ...F, out_type: attr.type('int32') })],
    { SrcT: attr.type('int32'), DstT: attr.type('float32') },
    { name: 'batch_size' },
  );
  const dLogits = graph.op('RealDiv', [`${xent}:1`, batch], F, { name: 'grad/logits' });
  const argMax = (t: string) =>
    graph.op('ArgMax', [t, graph.ints([1], [])], { ...F, Tidx: attr.type('int32'), output_type: attr.type('int32') });
  const hits = graph.op('Cast', [graph.op('Equal', [argMax(logits), argMax(labels)], { T: attr.type('int32') })], {
    SrcT: attr.type('bool'),
    DstT: attr.type('float32'),
  });
  const correct = graph.op('Sum', [hits, graph.ints([0])], { ...F, Tidx: attr.type('int32') }, { name: 'correct_count' });

  const trainableIndices = weights.flatMap((w, i) => (trainable.has(w) ? [i] : []));
  const gradients = tape.gradients(
    logits,
    dLogits,
    trainableIndices.map((i) => reads[i] as string),
    (tensor) => ops.dtypeOf(tensor),
  );
  let grads = trainableIndices.map((i) => {
    const g = gradients.get(reads[i] as string);
    if (!g)
      throw new ConvkitError(
        'graph-unsupported',
        `weight ${weights[i]?.name} of ${model.name} gets no gradient from the loss; train it with --engine eager`,
      );
    return g;
  });
  if (config.clipNorm !== undefined) {
    const norms = grads.map((g, j) => {
      const rank = weights[trainableIndices[j] as number]?.shape.length ?? 1;
      return graph.op('Sum', [graph.op('Square', [g], F), graph.ints([...Array(rank).keys()])], { ...F, Tidx: attr.type('int32') });
    });
    const norm = graph.op('Sqrt', [graph.op('AddN', norms, { ...F, N: attr.int(norms.length) })], F, { name: 'grad/global_norm' });
    const scale = graph.op(
      'Minimum',
      [graph.scalar(1), graph.op('RealDiv', [graph.scalar(config.clipNorm), graph.op('AddV2', [norm, graph.scalar(1e-6)], F)], F)],
      F,
      { name: 'grad/clip_scale' },
    );
    grads = grads.map((g) => graph.op('Mul', [g, scale], F));
  }
  const { name: optimizerName } = config.optimizer;
  const adam = optimizerName === 'adam' || optimizerName === 'adamw';
  const decay = config.optimizer.weightDecay ?? 0;
  const slotOf = (i: number, kind: GraphVariableKind) => handles[variables.findIndex((v) => v.weight === i && v.kind === kind)] as string;
  const scalarInput = (name: string) => graph.op('Placeholder', [], { dtype: attr.type('float32'), shape: attr.shape([]) }, { name });
  const adamInputs = adam ? Object.keys(adamStepScalars(config.optimizer, 1, 0)).map((key) => [key, scalarInput(key)] as const) : [];
  const adamInput = Object.fromEntries(adamInputs) as Record<string, string>;
  const momentum = adam ? '' : graph.scalar(config.optimizer.momentum ?? 0.9, 'momentum');
  const updates = trainableIndices.flatMap((i, j) => {
    const w = weights[i] as LayerVariable;
    // Biases and normalization parameters (rank 1) are not decayed, as in the eager optimizer.
    const decayed = decay > 0 && w.shape.length > 1;
    const g =
      decayed && optimizerName !== 'adamw'
        ? graph.op('AddV2', [grads[j] as string, graph.op('Mul', [reads[i] as string, graph.scalar(decay)], F)], F)
        : (grads[j] as string);
    if (!adam)
      return [
        graph.op(
          'ResourceApplyMomentum',
          [handles[i] as string, slotOf(i, 'momentum'), learningRate, g, momentum],
          { ...F, use_nesterov: attr.bool(optimizerName === 'nesterov') },
          { name: `apply/${w.name}` },
        ),
      ];
    return adamUpdate(graph, {
      weight: handles[i] as string,
      value: reads[i] as string,
      moments: [slotOf(i, 'first-moment'), slotOf(i, 'second-moment')],
      gradient: g,
      learningRate,
      decoupledDecay: decayed && optimizerName === 'adamw' ? adamInput.decoupled_decay : undefined,
      biasCorrections: [adamInput.bias_correction1 as string, adamInput.bias_correction2 as string],
      config: config.optimizer,
      name: `apply/${w.name}`,
    });
  });
  const stepDone = [...updates, ...assigns];
  const lossOut = graph.op('Identity', [loss], F, { name: 'loss', after: stepDone });
  const correctOut = graph.op('Identity', [correct], F, { name: 'correct', after: stepDone });

  // Weights out and in.
  const getOutputs: Record<string, SignatureTensor> = {};
  const setInputs: Record<string, SignatureTensor> = {};
  const sets = variables.map((v, i) => {
    getOutputs[variableKey(i)] = { tensor: read(i, `get/${v.node}`), dtype: 'float32', shape: v.shape };
    const fed = graph.op('Placeholder', [], { dtype: attr.type('float32'), shape: attr.shape(v.shape) }, { name: `set/${v.node}` });
    setInputs[variableKey(i)] = { tensor: fed, dtype: 'float32', shape: v.shape };
    return graph.op('AssignVariableOp', [handles[i] as string, fed], { dtype: attr.type('float32') });
  });
  const setDone = graph.op('Identity', [graph.scalar(0, 'set_weights_done')], F, { name: 'set_weights', after: sets });

  const scalar = (tensor: string): SignatureTensor => ({ tensor, dtype: 'float32', shape: [] });
  const signatures: Record<string, Signature> = {
    [SIGNATURES.train]: {
      inputs: {
        images: { tensor: images, dtype: 'float32', shape: [null, ...shape] },
        labels: { tensor: labels, dtype: 'float32', shape: [null, classes] },
        learning_rate: scalar(learningRate),
        ...(perStep.randomOps > 0 ? { seed: { tensor: perStep.seed, dtype: 'int32', shape: [2] } } : {}),
        ...Object.fromEntries(adamInputs.map(([key, tensor]) => [key, scalar(tensor)])),
        ...Object.fromEntries(perStep.scalars.map(({ key, tensor }) => [key, scalar(tensor)])),
      },
      outputs: { loss: scalar(lossOut), correct: scalar(correctOut) },
    },
    [SIGNATURES.getWeights]: { inputs: {}, outputs: getOutputs },
    [SIGNATURES.setWeights]: { inputs: setInputs, outputs: { done: scalar(setDone) } },
  };
  return {
    savedModel: encodeSavedModel(graph.nodes, signatures, initOp),
    variables,
    opTypes: graph.opTypes(),
    nodeCount: graph.nodes.length,
    random: perStep.randomOps > 0,
    adam,
    stepScalars: perStep.scalars.map(({ key, read }) => ({ key, read })),
  };
}
