import type { LayersModel } from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { ConvkitError } from '../errors.js';
import type { OutputDeclaration } from './output-kinds.js';

/** Height, width, channels of one input image (NHWC without the batch axis). */
export type InputShape = [number, number, number];

/** Options every architecture accepts. */
export interface BaseArchitectureOptions {
  /** Number of classes of the classifier head. */
  numClasses: number;
  /** Input image size as height, width, channels. */
  inputShape: InputShape;
}

/** Figures published for an architecture, which its tests check. */
export interface ReferenceFigures {
  /** Trainable parameter count at the default options. */
  params?: number;
  /** Multiply–accumulates of one forward pass at the default input. */
  macs?: number;
  /** Reported top-1 accuracy (percent) on the paper's benchmark. */
  top1?: number;
  /** Where the figures come from (e.g. `torchvision 0.16 docs`). */
  source?: string;
}

/** One registered architecture: its identity, its validated options and its builder. */
export interface ArchitectureSpec<Options extends BaseArchitectureOptions = BaseArchitectureOptions> {
  /** Unique lowercase kebab-case name, e.g. `resnet50`. */
  name: string;
  /** Family the variant belongs to, e.g. `resnet`. */
  family: string;
  /** One-line description shown by `convkit models list`. */
  description?: string;
  /**
   * Lowercase kebab-case labels that `convkit models list --tag` filters on, timm-style: the input
   * form (`imagenet`, `cifar`, `mnist`), `torchvision` for torchvision's own models (its layer names,
   * so a state_dict maps name for name), and what the network is built from (`residual`, `mobile`,
   * `attention`, `se`, `cbam`, `non-local`, `nas`).
   */
  tags?: string[];
  /** The paper that introduced it. */
  paper?: { title: string; year: number; url?: string };
  /** Default input as height, width, channels. */
  defaultInput: InputShape;
  /** Published figures at the default options. */
  reference?: ReferenceFigures;
  /**
   * What the model's outputs hold; default `'logits'` for every output, which is what losses expect.
   * Declare `'probabilities'` (or one kind per output) only for a model that ends in a softmax:
   * `registry.create` refuses a model that contradicts its declaration.
   */
  outputs?: OutputDeclaration;
  /** Validates raw options and fills defaults; unknown keys must be rejected. */
  options: z.ZodType<Options, z.ZodTypeDef, unknown>;
  /** Builds a functional tfjs-layers model with named layers. */
  build(options: Options): LayersModel;
}

/** Positive integer schema used by architecture options. */
export const positiveInt = z.number().int().positive();

/** Schema of an {@link InputShape}. */
export const inputShapeSchema = z.tuple([positiveInt, positiveInt, positiveInt]);

/**
 * Zod schema of an architecture's options: `numClasses` and `inputShape` with the architecture's
 * defaults, plus its own `extra` options. Unknown keys are rejected so a typo is an error, not a no-op.
 */
export function architectureOptions<Extra extends z.ZodRawShape>(defaults: { numClasses: number; inputShape: InputShape }, extra: Extra) {
  return z
    .object({
      numClasses: positiveInt.default(defaults.numClasses),
      inputShape: inputShapeSchema.default(defaults.inputShape),
      ...extra,
    })
    .strict();
}

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Declares an architecture. A plain value: it registers nothing by itself; a package collects its
 * architectures in its `plugin` export and `registry.use(plugin)` makes them available.
 */
export function defineArchitecture<Options extends BaseArchitectureOptions>(spec: ArchitectureSpec<Options>): ArchitectureSpec<Options> {
  if (!KEBAB.test(spec.name)) {
    throw new ConvkitError(
      'bad-architecture-name',
      `architecture name "${spec.name}" must be lowercase kebab-case, e.g. "resnet50" or "vgg16-bn"`,
    );
  }
  for (const tag of spec.tags ?? []) {
    if (!KEBAB.test(tag)) {
      throw new ConvkitError(
        'bad-architecture-tag',
        `architecture ${spec.name} has tag "${tag}"; tags must be lowercase kebab-case, e.g. "attention"`,
      );
    }
  }
  return spec;
}
