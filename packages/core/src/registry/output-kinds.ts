import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { ConvkitError } from '../errors.js';

/**
 * What one model output holds: raw class scores (`logits`, the contract's default, which losses
 * read through a stable log-softmax) or a softmax's `probabilities`.
 */
export type OutputKind = 'logits' | 'probabilities';

/** An architecture's declaration of its outputs: one kind for every output, or one per output. */
export type OutputDeclaration = OutputKind | readonly OutputKind[];

// Layers that hand their input on unchanged at inference (or only reshape it), so a softmax before
// them is still the output's softmax.
const PASS_THROUGH = new Set([
  'Flatten',
  'Reshape',
  'Dropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'convkit.Dropout',
  'convkit.SpatialDropout2d',
  'convkit.DropPath',
]);

interface LayerView {
  name: string;
  getClassName(): string;
  getConfig(): { activation?: unknown };
  inboundNodes: { inputTensors: SymbolicTensor[] }[];
}

function appliesSoftmax(layer: LayerView): boolean {
  return layer.getClassName() === 'Softmax' || layer.getConfig().activation === 'softmax';
}

function isIdentityActivation(layer: LayerView): boolean {
  const activation = layer.getConfig().activation;
  return (layer.getClassName() === 'Activation' || layer.getClassName() === 'convkit.Activation') && activation === 'linear';
}

/**
 * The name of the layer that applies a softmax to output `index` of `model`, or undefined when the
 * output is not a softmax's. Looks through layers that pass their input on (flatten, reshape,
 * dropout, a linear activation) and into nested models, so a Sequential model, whose
 * `outputLayers` tfjs leaves empty, and a softmax wrapped in a sub-model are both found.
 */
export function softmaxLayerOfOutput(model: LayersModel, index: number): string | undefined {
  let tensor: SymbolicTensor | undefined = model.outputs[index];
  // A malformed graph could loop; no real model is deeper than this.
  for (let hops = 0; tensor && hops < 10_000; hops++) {
    const layer = tensor.sourceLayer as unknown as LayerView & Partial<Pick<LayersModel, 'outputs' | 'layers'>>;
    if (Array.isArray(layer.layers) && Array.isArray(layer.outputs)) {
      tensor = layer.outputs[tensor.tensorIndex];
      continue;
    }
    if (appliesSoftmax(layer)) return layer.name;
    if (!PASS_THROUGH.has(layer.getClassName()) && !isIdentityActivation(layer)) return undefined;
    tensor = layer.inboundNodes[tensor.nodeIndex]?.inputTensors[0];
  }
  return undefined;
}

/**
 * The kind of every output of `model`, built by the architecture `name` that declares `declared`
 * (undefined: logits, the contract's default). A declaration that the model contradicts is a
 * {@link ConvkitError}: a softmax output trained as logits, or logits clipped and logged as
 * probabilities, trains the wrong loss without a word (the loss falls while accuracy stays at chance).
 */
export function checkedOutputKinds(name: string, model: LayersModel, declared: OutputDeclaration | undefined): OutputKind[] {
  const count = model.outputs.length;
  if (Array.isArray(declared) && declared.length !== count) {
    throw new ConvkitError(
      'bad-architecture',
      `${name} declares ${declared.length} output kinds (${declared.join(', ')}) but its model has ${count} outputs; declare one kind per output, or one kind for all`,
    );
  }
  return Array.from({ length: count }, (_, index) => {
    const kind: OutputKind = typeof declared === 'string' ? declared : (declared?.[index] ?? 'logits');
    const softmax = softmaxLayerOfOutput(model, index);
    if (kind === 'logits' && softmax !== undefined) {
      throw new ConvkitError(
        'output-kind-mismatch',
        `${name}'s output ${index} ends in a softmax (layer "${softmax}") but the architecture declares logits; remove the softmax (losses take logits) or declare outputs: 'probabilities' in its spec`,
      );
    }
    if (kind === 'probabilities' && softmax === undefined) {
      throw new ConvkitError(
        'output-kind-mismatch',
        `${name} declares output ${index} as probabilities but no softmax produces it; declare outputs: 'logits' (the default) or end the output in a softmax`,
      );
    }
    return kind;
  });
}
