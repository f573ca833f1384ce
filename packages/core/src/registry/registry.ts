import { serialization } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ZodError } from 'zod';
import { ConvkitError } from '../errors.js';
import type { ArchitectureSpec, BaseArchitectureOptions } from './architecture.js';
import type { AttentionReference, AttentionSlot, AttentionSpec } from './attention.js';
import { type Contribution, NamedTable } from './named-table.js';
import { objectShape, optionShape } from './option-docs.js';
import { checkedOutputKinds, type OutputKind } from './output-kinds.js';
import type { AnyArchitectureSpec, AugmentationSpec, ConvkitPlugin, DatasetSpec, LayerClass, ObjectiveSpec } from './plugin.js';
import { closestNames } from './suggest.js';

/**
 * Everything plugins contributed: architectures, layer classes, attention modules, datasets,
 * augmentations and training objectives. `create` is the one way the CLI and the trainer build models, so a third party's
 * architecture is built exactly like convkit's own.
 */
export class Registry {
  /** Registered architectures by name. */
  readonly architectures = new NamedTable<AnyArchitectureSpec>('architecture');
  /** Registered layer classes by their serialization class name (e.g. `convkit.SqueezeExcite`). */
  readonly layers = new NamedTable<LayerClass>('layer');
  /** Registered attention modules by name. */
  readonly attention = new NamedTable<AttentionSpec>('attention module');
  /** Registered datasets by name. */
  readonly datasets = new NamedTable<DatasetSpec>('dataset');
  /** Registered augmentations by name. */
  readonly augmentations = new NamedTable<AugmentationSpec>('augmentation');
  /** Registered training objectives (losses) by name. */
  readonly objectives = new NamedTable<ObjectiveSpec>('objective');
  private readonly plugins = new Map<string, ConvkitPlugin>();

  /**
   * Adds a plugin's contributions. Using the same plugin object twice is a no-op; a different plugin
   * under a used name, or any contribution whose name is taken, is a {@link ConvkitError} naming both,
   * and then nothing of that plugin is added.
   */
  use(plugin: ConvkitPlugin): this {
    const known = this.plugins.get(plugin.name);
    if (known === plugin) return this;
    if (known) {
      throw new ConvkitError('plugin-clash', `two different plugins are both named "${plugin.name}"; rename one of the packages`);
    }
    // A clash can come after some contributions went in; undo those, or a caller that catches the
    // error keeps half a plugin that pluginNames() does not list.
    const undo: (() => void)[] = [];
    const add = <T>(table: NamedTable<T>, name: string, value: T): void => {
      const isNew = !table.has(name);
      table.add(name, value, plugin.name);
      if (isNew) undo.push(() => table.remove(name));
    };
    try {
      for (const spec of plugin.architectures ?? []) add(this.architectures, spec.name, spec);
      for (const layer of plugin.layers ?? []) {
        this.refuseForeignLayer(layer, plugin.name);
        add(this.layers, layer.className, layer);
      }
      for (const spec of plugin.attention ?? []) add(this.attention, spec.name, spec);
      for (const spec of plugin.datasets ?? []) add(this.datasets, spec.name, spec);
      for (const spec of plugin.augmentations ?? []) add(this.augmentations, spec.name, spec);
      for (const spec of plugin.objectives ?? []) add(this.objectives, spec.name, spec);
    } catch (error) {
      for (const step of undo) step();
      throw error;
    }
    // Registering with tfjs cannot be undone, so it waits until every name was accepted.
    for (const layer of plugin.layers ?? []) serialization.registerClass(layer);
    this.plugins.set(plugin.name, plugin);
    return this;
  }

  /** Names of the plugins used so far. */
  pluginNames(): string[] {
    return [...this.plugins.keys()];
  }

  /** The architecture named `name` and the plugin that provided it; unknown names suggest close ones. */
  get(name: string): Contribution<AnyArchitectureSpec> {
    return this.architectures.get(name);
  }

  /**
   * The slot filler an {@link AttentionReference} names (`'se'`, `{ name: 'cbam', options }`), its
   * options validated by the module's schema; unknown names suggest close ones.
   */
  attentionSlot(reference: AttentionReference): AttentionSlot {
    const { name, options = {} } = typeof reference === 'string' ? { name: reference } : reference;
    const spec = this.attention.get(name).value;
    const parsed = spec.options.safeParse(options);
    if (!parsed.success) {
      throw new ConvkitError(
        'bad-option',
        `bad options for attention module ${name}: ${describeZodError(parsed.error, Object.keys(objectShape(spec.options)))}`,
      );
    }
    return spec.create(parsed.data);
  }

  /**
   * Validates `options` against the architecture's schema (filling defaults) without building. An
   * architecture with an `attention` option (its blocks host the attention slot) gets a named
   * module (`"se"`, `{ "name": "cbam", "options": {...} }`) as the slot function its builder calls.
   */
  resolveOptions<Options extends BaseArchitectureOptions>(spec: ArchitectureSpec<Options>, options: unknown = {}): Options {
    const parsed = spec.options.safeParse(this.withAttentionSlot(spec as unknown as AnyArchitectureSpec, options ?? {}));
    if (parsed.success) return parsed.data;
    throw new ConvkitError(
      'bad-option',
      `bad options for ${spec.name}: ${describeZodError(parsed.error, Object.keys(optionShape(spec as AnyArchitectureSpec)))}`,
    );
  }

  /** Builds architecture `name` with validated `options`; a failed build names the architecture and input. */
  create(name: string, options: unknown = {}): LayersModel {
    const spec = this.get(name).value;
    const resolved = this.resolveOptions(spec, options);
    let model: LayersModel;
    try {
      model = spec.build(resolved);
    } catch (error) {
      if (error instanceof ConvkitError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConvkitError(
        'build-failed',
        `building ${name} with input ${resolved.inputShape.join('x')} failed: ${reason}; try its default input ${spec.defaultInput.join('x')}`,
        { cause: error },
      );
    }
    rejectEmptyOutputs(model, name, resolved.inputShape, spec.defaultInput);
    try {
      checkedOutputKinds(name, model, spec.outputs);
    } catch (error) {
      model.dispose();
      throw error;
    }
    return model;
  }

  /**
   * The kind of each output of `model`, built by architecture `name`: what the spec declares
   * (logits unless it says otherwise), checked against the model, as the trainer's loss must read it.
   */
  outputKinds(name: string, model: LayersModel): OutputKind[] {
    return checkedOutputKinds(name, model, this.get(name).value.outputs);
  }

  /** `options` with a named attention module replaced by its slot, for specs whose options take one. */
  private withAttentionSlot(spec: AnyArchitectureSpec, options: unknown): unknown {
    if (typeof options !== 'object' || options === null || !('attention' in options)) return options;
    const reference = (options as { attention?: unknown }).attention;
    const named = typeof reference === 'string' || (typeof reference === 'object' && reference !== null && 'name' in reference);
    if (!named || !('attention' in optionShape(spec))) return options;
    return { ...options, attention: this.attentionSlot(reference as AttentionReference) };
  }

  /** Refuses a layer class whose className tfjs already maps to a class this registry does not hold. */
  private refuseForeignLayer(layer: LayerClass, plugin: string): void {
    const registered = serialization.SerializationMap.getMap().classNameMap[layer.className];
    if (registered && registered[0] !== layer && !this.layers.has(layer.className)) {
      throw new ConvkitError(
        'layer-clash',
        `layer class "${layer.className}" from "${plugin}" is already registered with tfjs by another module; give it a namespaced className such as "${plugin.replace(/^@/, '').replace(/\W+/g, '_')}.${layer.className}"`,
      );
    }
  }
}

/** tfjs builds layers whose output has a zero or negative extent without complaint; catch it here. */
function rejectEmptyOutputs(model: LayersModel, name: string, input: readonly number[], defaultInput: readonly number[]): void {
  for (const layer of model.layers) {
    const shapes = (Array.isArray(layer.outputShape[0]) ? layer.outputShape : [layer.outputShape]) as (number | null)[][];
    const empty = shapes.find((shape) => shape.some((d) => d !== null && d <= 0));
    if (empty) {
      model.dispose();
      throw new ConvkitError(
        'input-too-small',
        `input ${input.join('x')} is too small for ${name}: layer ${layer.name} would output ${empty.slice(1).join('x')}; use a larger input such as the default ${defaultInput.join('x')}`,
      );
    }
  }
}

function describeZodError(error: ZodError, known: string[]): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.') || '(options)';
      if (issue.code === 'unrecognized_keys') {
        const close = [...new Set(issue.keys.flatMap((key) => closestNames(key, known)))];
        const hint = close.length > 0 ? `; did you mean ${close.map((k) => `"${k}"`).join(', ')}?` : `; known options: ${known.join(', ')}`;
        return `unknown option ${issue.keys.map((k) => `"${k}"`).join(', ')}${hint}`;
      }
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

/** The process-wide registry used by the CLI and by library users who do not make their own. */
export const registry = new Registry();
