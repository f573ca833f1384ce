import { ConvkitError } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, layers } from '@tensorflow/tfjs-layers';
import { decodeToFloat32 } from '../safetensors/dtype.js';
import { layoutContext } from './layout-context.js';
import { groupModules, loadStateDict, type StateDictSource, type TorchModules } from './state-dict.js';
import { type TorchNameRules, torchNameRules } from './torch-names.js';
import { asTorchKind, LAYER_KINDS, PARAM_CONVERSIONS, torchKind, type WeightKind } from './weight-layouts.js';

/** Options of {@link importTorchWeights}. */
export interface ImportTorchOptions {
  /** The architecture's family (`ArchitectureSpec.family`), which picks its name rules (`TORCH_NAME_RULES`). */
  family?: string;
  /** Your own name rules, applied before the family's (e.g. a timm model's renames). */
  map?: TorchNameRules;
  /**
   * Default true: any missing, unexpected or mis-shaped tensor is an error listing them all. `false`
   * imports what fits and leaves the rest at convkit's initial weights (a head of another class count).
   */
  strict?: boolean;
}

/** What {@link importTorchWeights} did. */
export interface ImportReport {
  /** convkit weights set from the state_dict (`layer/weight`). */
  assigned: string[];
  /** State_dict keys with no weight to go to by design (`num_batches_tracked`). */
  ignored: string[];
  /** convkit weights the state_dict has nothing for (left as they were; only with `strict: false`). */
  missing: string[];
  /** State_dict keys that match no convkit weight (only with `strict: false`). */
  unexpected: string[];
  /** Pairs whose shapes or kinds disagree, described (only with `strict: false`). */
  mismatched: string[];
}

/** A weighted convkit layer with the PyTorch module path it takes its weights from. */
interface Target {
  layer: layers.Layer;
  kind: WeightKind | undefined;
  module: string;
  /** False for a layer of a positional container that PyTorch's container has no module left for. */
  placed: boolean;
}

function weightName(variable: { originalName: string }): string {
  return variable.originalName.slice(variable.originalName.lastIndexOf('/') + 1);
}

const numericIndex = (path: string, prefix: string) => Number(path.slice(prefix.length + 1).split('.')[0]);

/** Which PyTorch module each weighted layer reads: its own name, or its position in a positional container. */
function targetsOf(model: LayersModel, modules: TorchModules, positional: readonly string[], mismatched: string[]): Target[] {
  const targets: Target[] = model.layers
    .filter((layer) => layer.weights.length > 0)
    .map((layer) => ({ layer, kind: LAYER_KINDS[layer.getClassName()], module: layer.name, placed: true }));
  for (const prefix of positional) {
    const inside = (name: string) => name.startsWith(`${prefix}.`);
    const torchPaths = [...modules.keys()]
      .filter((path) => inside(path) && Number.isInteger(numericIndex(path, prefix)))
      .sort((a, b) => numericIndex(a, prefix) - numericIndex(b, prefix));
    const ours = targets.filter((t) => inside(t.layer.name));
    ours.forEach((target, i) => {
      const path = torchPaths[i];
      if (path === undefined) {
        target.placed = false;
        return;
      }
      const theirs = torchKind(modules.get(path) ?? new Map());
      const mine = target.kind ? asTorchKind(target.kind) : 'other';
      // A module whose weight is missing has no kind to compare; the missing weight is reported.
      if (theirs !== 'other' && theirs !== mine) mismatched.push(`${path} is a ${theirs} in PyTorch but ${target.layer.name} is a ${mine}`);
      target.module = path;
    });
  }
  return targets;
}

function summary(label: string, names: string[]): string | undefined {
  if (names.length === 0) return undefined;
  const shown = names.slice(0, 8).join(', ');
  return `${label} ${shown}${names.length > 8 ? ` and ${names.length - 8} more` : ''}`;
}

/**
 * Imports a PyTorch `state_dict` (safetensors) into `model`, a registered architecture built in its
 * torchvision form: module paths match layer names (after the family's rules in `TORCH_NAME_RULES` and
 * `options.map`), and each tensor is transposed into tfjs's layout (OIHW -> HWIO, depthwise and grouped
 * kernels, linear `[out, in]` -> `[in, out]` with the CHW -> HWC row order after a flatten, BatchNorm
 * statistics). Nothing is assigned unless everything fits, or `strict: false` says to import what does.
 */
export async function importTorchWeights(
  model: LayersModel,
  source: StateDictSource,
  options: ImportTorchOptions = {},
): Promise<ImportReport> {
  const { contents, label } = await loadStateDict(source);
  const rules = torchNameRules(options.family, options.map);
  const { modules, ignored } = groupModules(contents, rules);
  const report: ImportReport = { assigned: [], ignored, missing: [], unexpected: [], mismatched: [] };
  const targets = targetsOf(model, modules, rules.positional, report.mismatched);
  const used = new Set<string>();
  const updates: [layers.Layer, (tf.Tensor | undefined)[]][] = [];
  for (const { layer, kind, module, placed } of targets) {
    const params = modules.get(module);
    const conversions = kind ? PARAM_CONVERSIONS[kind] : {};
    const values = layer.weights.map((variable) => {
      const name = `${layer.name}/${weightName(variable)}`;
      const conversion = conversions[weightName(variable)];
      const param = conversion && params?.get(conversion.torch);
      if (!conversion || !param) {
        // Name what PyTorch would call it where there is such a name, else convkit's weight.
        const missing = !conversion
          ? `${name} (class ${layer.getClassName()} has no PyTorch counterpart)`
          : placed
            ? `${module}.${conversion.torch}`
            : name;
        report.missing.push(missing);
        return undefined;
      }
      used.add(param.key);
      const target = variable.shape as number[];
      const count = target.reduce((n, s) => n * s, 1);
      const size = param.tensor.shape.reduce((n, s) => n * s, 1);
      const describe = () => `${param.key} [${param.tensor.shape.join(', ')}] for ${name} [${target.join(', ')}]`;
      if (size !== count) {
        report.mismatched.push(describe());
        return undefined;
      }
      return tf.tidy(() => {
        const value = tf.tensor(decodeToFloat32(param.tensor.bytes, param.tensor.dtype), param.tensor.shape, 'float32');
        const converted = conversion.convert ? conversion.convert(value, target, layoutContext(layer)) : value;
        if (converted.shape.join() !== target.join()) {
          report.mismatched.push(describe());
          return tf.zeros([0]);
        }
        report.assigned.push(name);
        return converted;
      });
    });
    updates.push([layer, values.map((v) => (v && v.size > 0 ? v : undefined))]);
  }
  for (const params of modules.values()) for (const { key } of params.values()) if (!used.has(key)) report.unexpected.push(key);
  const problems = [
    summary('missing', report.missing),
    summary('unexpected', report.unexpected),
    summary('mismatched', report.mismatched),
  ].filter(Boolean);
  if (problems.length > 0 && options.strict !== false) {
    tf.dispose(updates.flatMap(([, values]) => values.filter((v): v is tf.Tensor => v !== undefined)));
    throw new ConvkitError(
      'weights-mismatch',
      `${label} does not fit ${model.name}: ${problems.join('; ')}; check the architecture (and its options) matches the checkpoint, or pass strict: false (--strict false) to import what fits, e.g. with a new head`,
    );
  }
  for (const [layer, values] of updates) {
    // getWeights gives the variables' own tensors (not copies): keep them, dispose only the new values.
    const current = layer.getWeights();
    layer.setWeights(values.map((v, i) => v ?? (current[i] as tf.Tensor)));
    tf.dispose(values.filter((v): v is tf.Tensor => v !== undefined));
  }
  return report;
}
