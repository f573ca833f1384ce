import type { serialization } from '@tensorflow/tfjs-core';
import type { ArchitectureSpec, BaseArchitectureOptions } from './architecture.js';
import type { AttentionSpec } from './attention.js';

/** A serializable tfjs layer class, as `tf.serialization.registerClass` takes it. */
export type LayerClass = serialization.SerializableConstructor<serialization.Serializable> & {
  className: string;
};

/** A dataset a plugin provides; `open` returns the package-defined dataset object. */
export interface DatasetSpec<Dataset = unknown> {
  /** Unique name, e.g. `fashion-mnist`. */
  name: string;
  /** One-line description. */
  description: string;
  /** Opens the dataset with validated options (location, split, ...). */
  open(options: Record<string, unknown>): Promise<Dataset>;
}

/** A data augmentation a plugin provides; `create` returns the package-defined transform. */
export interface AugmentationSpec<Transform = unknown> {
  /** Unique name, e.g. `random-crop`. */
  name: string;
  /** One-line description. */
  description: string;
  /** Creates the transform from validated options. */
  create(options: Record<string, unknown>): Transform;
}

/**
 * A training objective a plugin provides (the loss a train step minimises): cross-entropy and
 * knowledge distillation are @convkit/train's; `create` returns the package-defined objective and may
 * be asynchronous (a distillation objective loads its teacher).
 */
export interface ObjectiveSpec<Objective = unknown> {
  /** Unique name, e.g. `cross-entropy`. */
  name: string;
  /** One-line description. */
  description: string;
  /** Creates the objective from the run's validated options. */
  create(options: Record<string, unknown>): Objective | Promise<Objective>;
}

/** What a package (convkit's own or a third party's) contributes to the registry. */
export interface ConvkitPlugin {
  /** The contributing package's name, used in clash errors. */
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: specs of different option types live side by side.
  architectures?: ArchitectureSpec<any>[];
  layers?: LayerClass[];
  attention?: AttentionSpec[];
  datasets?: DatasetSpec[];
  augmentations?: AugmentationSpec[];
  objectives?: ObjectiveSpec[];
}

/** Declares a plugin value (identity function that gives the object its type). */
export function definePlugin(plugin: ConvkitPlugin): ConvkitPlugin {
  return plugin;
}

/** An architecture spec of any options type. */
export type AnyArchitectureSpec = ArchitectureSpec<BaseArchitectureOptions & Record<string, unknown>>;
