import { ConvkitError, folderIO } from '@convkit/core';
import { io, type Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { badOption } from '../options/training-options.js';
import { readSavedModelOrigin, type SavedModelOrigin } from './saved-model-origin.js';

/** What `--init` loaded into a fresh model. */
export interface InitialWeightsReport {
  /** The model folder the weights came from. */
  from: string;
  /** Weights loaded (those whose name and shape match the model's). */
  loaded: number;
  /** Layers kept at their fresh initialization because the saved ones predict another class count. */
  reheaded: string[];
}

interface LayerView {
  name: string;
  weights: unknown[];
  inboundNodes: { inputTensors: SymbolicTensor[] }[];
  layers?: unknown[];
  outputs?: SymbolicTensor[];
}

/**
 * The layers that produce `model`'s class scores: from each output back through the layers without
 * weights (softmax, flatten, pooling, dropout) and into nested models, to the first layer with
 * weights. Their shapes follow the class count, so they are what re-heading replaces.
 */
export function classifierLayers(model: LayersModel): Set<string> {
  const heads = new Set<string>();
  for (const output of model.outputs) {
    let tensor: SymbolicTensor | undefined = output;
    // A malformed graph could loop; no real model is deeper than this.
    for (let hops = 0; tensor && hops < 10_000; hops++) {
      const layer = tensor.sourceLayer as unknown as LayerView;
      if (Array.isArray(layer.layers) && Array.isArray(layer.outputs)) {
        tensor = layer.outputs[tensor.tensorIndex];
        continue;
      }
      if (layer.weights.length > 0) {
        heads.add(layer.name);
        break;
      }
      tensor = layer.inboundNodes[tensor.nodeIndex]?.inputTensors[0];
    }
  }
  return heads;
}

const shapeText = (shape: readonly (number | null)[]) => `[${shape.join(',')}]`;

function listed(what: string, names: string[]): string | undefined {
  if (names.length === 0) return undefined;
  const shown = names.slice(0, 8).join(', ');
  return `${what} ${shown}${names.length > 8 ? ` and ${names.length - 8} more` : ''}`;
}

/**
 * Loads the weights saved in `folder` into a freshly built `model` by weight name and shape (timm's
 * `num_classes` re-heading): every weight whose name and shape match is loaded; a classifier layer
 * ({@link classifierLayers}) whose saved weights have another shape, because the saved model predicts
 * another class count, keeps its fresh initialization and is reported. Any other missing, mis-shaped
 * or unexpected weight means the folder holds another architecture or other options: one
 * {@link ConvkitError} lists them by name before any weight is changed. The folder is read as untrusted
 * (manifest paths, declared sizes and checksums checked).
 */
export async function loadInitialWeights(model: LayersModel, folder: string, arch: string): Promise<InitialWeightsReport> {
  const handler = folderIO(folder);
  // folderIO always implements load; the optional type comes from tfjs's IOHandler interface.
  const artifacts = await (handler.load as NonNullable<typeof handler.load>)();
  const saved = io.decodeWeights(artifacts.weightData ?? new ArrayBuffer(0), artifacts.weightSpecs ?? []);
  try {
    const heads = classifierLayers(model);
    const loads: { variable: (typeof model.weights)[number]; value: Tensor }[] = [];
    const used = new Set<string>();
    const reheaded = new Set<string>();
    const missing: string[] = [];
    const misShaped: string[] = [];
    for (const layer of model.layers) {
      for (const variable of layer.weights) {
        const name = variable.originalName;
        const value = saved[name];
        if (value) used.add(name);
        if (value && shapeText(value.shape) === shapeText(variable.shape)) loads.push({ variable, value });
        else if (heads.has(layer.name)) reheaded.add(layer.name);
        else if (value) misShaped.push(`${name} (saved ${shapeText(value.shape)}, model ${shapeText(variable.shape)})`);
        else missing.push(name);
      }
    }
    const unexpected = Object.keys(saved).filter((name) => !used.has(name));
    const problems = [listed('missing', missing), listed('mis-shaped', misShaped), listed('unexpected', unexpected)].filter(Boolean);
    if (problems.length > 0) {
      throw new ConvkitError(
        'init-mismatch',
        `the weights in ${folder} do not fit ${arch} built for this data: ${problems.join('; ')}; pass --init a model of the same architecture and options, trained or imported for images with this data's channels`,
      );
    }
    for (const { variable, value } of loads) variable.write(value);
    return { from: folder, loaded: loads.length, reheaded: [...reheaded] };
  } finally {
    for (const tensor of Object.values(saved)) tensor.dispose();
  }
}

/** The architecture options of an `--init` model that the new data decides instead. */
const DATA_OPTIONS = ['numClasses', 'inputShape'];

/**
 * The model a fresh run starts from with `--init`: the folder's architecture (an `--arch` that names
 * another is a one-line error) and its options, less the class count and input shape that come from
 * the new data; architecture options given to the run override the folder's.
 */
export async function initialModel(
  init: unknown,
  arch: string | undefined,
  archOptions: Record<string, unknown> | undefined,
): Promise<SavedModelOrigin> {
  if (typeof init !== 'string' || init === '') throw badOption('init', init);
  const origin = await readSavedModelOrigin(init, 'init');
  if (arch !== undefined && arch !== origin.arch) {
    throw new ConvkitError(
      'init-mismatch',
      `--init ${init} holds a ${origin.arch} model, not ${arch}; pass --arch ${origin.arch} (or no --arch), or --init a ${arch} model`,
    );
  }
  const kept = Object.entries(origin.archOptions).filter(([key]) => !DATA_OPTIONS.includes(key));
  return { ...origin, archOptions: { ...Object.fromEntries(kept), ...archOptions } };
}
