import { ConvkitError } from '@convkit/core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers } from '@tensorflow/tfjs-layers';

/** A tfjs initializer instance (tfjs-layers does not export the type by name). */
export type Initializer = ReturnType<typeof initializers.zeros>;

/**
 * A serialized initializer: `{ className, config }` as tfjs writes it into model.json. A type alias, not
 * an interface, so it is assignable to tfjs's `ConfigDict` index signature.
 */
export type InitializerConfig = {
  className: string;
  config: serialization.ConfigDict;
};

/**
 * How an initializer is given to a convkit layer:
 * - `'heNormalFanOut'`: He/Kaiming normal with `fan_out`, what torchvision uses for ReLU convolutions
 *   (He et al., 2015, "Delving Deep into Rectifiers");
 * - `'heNormal'`: He normal with `fan_in` (tfjs/Keras `he_normal`, truncated);
 * - `'torchUniform'`: PyTorch's default for `nn.Linear` and `nn.Conv2d` weights, uniform in
 *   `±1/sqrt(fan_in)` (`kaiming_uniform_` with `a = sqrt(5)`);
 * - `'glorotUniform'`, `'zeros'`, `'ones'`;
 * - any tfjs initializer instance, or its serialized `{ className, config }`.
 */
export type InitializerSpec =
  | 'heNormalFanOut'
  | 'heNormal'
  | 'torchUniform'
  | 'glorotUniform'
  | 'zeros'
  | 'ones'
  | Initializer
  | InitializerConfig;

function isInitializerConfig(value: unknown): value is InitializerConfig {
  return typeof value === 'object' && value !== null && 'className' in value && 'config' in value;
}

/**
 * Fan-in and fan-out of a weight as PyTorch counts them for `kaiming_*`: a convolution weight of
 * `cout` filters of `cin/groups x kh x kw` has fan-in `cin/groups * kh * kw` and fan-out `cout * kh * kw`.
 */
export interface Fans {
  fanIn: number;
  fanOut: number;
}

/** The initializer instance for `spec`, for a weight with the given fans. */
export function resolveInitializer(spec: InitializerSpec, fans: Fans): Initializer {
  switch (spec) {
    case 'heNormalFanOut':
      // torch.nn.init.kaiming_normal_(mode='fan_out') draws from an untruncated normal; tfjs's
      // varianceScaling truncates at two standard deviations, so the std is computed here instead.
      return initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / Math.max(1, fans.fanOut)) });
    case 'heNormal':
      return initializers.heNormal({});
    case 'torchUniform':
      // variance scaling draws uniformly within sqrt(3 * scale / fan_in): scale 1/3 gives 1/sqrt(fan_in).
      return initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' });
    case 'glorotUniform':
      return initializers.glorotUniform({});
    case 'zeros':
      return initializers.zeros();
    case 'ones':
      return initializers.ones();
  }
  // a name outside the union can still arrive from JavaScript or a hand-edited model.json; without
  // this check tfjs fails later with "initializer.apply is not a function".
  if (typeof spec === 'string') {
    throw new ConvkitError(
      'bad-option',
      `unknown initializer "${String(spec)}"; use 'heNormalFanOut', 'heNormal', 'torchUniform', 'glorotUniform', 'zeros', 'ones', a tfjs initializer or its { className, config }`,
    );
  }
  if (!isInitializerConfig(spec)) return spec;
  const entry = serialization.SerializationMap.getMap().classNameMap[spec.className];
  if (!entry) {
    throw new ConvkitError(
      'bad-option',
      `unknown initializer class "${spec.className}": tfjs serialization has no class of that name; use a tfjs initializer class such as "RandomNormal" or "GlorotUniform"`,
    );
  }
  const [cls, fromConfig] = entry;
  return fromConfig(cls, spec.config) as Initializer;
}

/** The form stored in a layer config: the spec's name, or `{ className, config }` for an instance. */
export function serializeInitializer(spec: InitializerSpec): string | InitializerConfig {
  if (typeof spec === 'string' || isInitializerConfig(spec)) return spec;
  return { className: spec.getClassName(), config: spec.getConfig() };
}
