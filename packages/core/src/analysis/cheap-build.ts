import { zeros } from '@tensorflow/tfjs-core';
import { initializers } from '@tensorflow/tfjs-layers';

type Apply = (shape: number[], dtype?: string) => unknown;

/** Prototypes of tfjs-layers' built-in initializers that define their own `apply`. */
function initializerPrototypes(): Record<string, unknown>[] {
  const instances = [
    initializers.zeros(),
    initializers.ones(),
    initializers.constant({ value: 0 }),
    initializers.randomUniform({}),
    initializers.randomNormal({}),
    initializers.truncatedNormal({}),
    initializers.varianceScaling({}),
    initializers.glorotUniform({}),
    initializers.glorotNormal({}),
    initializers.heNormal({}),
    initializers.heUniform({}),
    initializers.leCunNormal({}),
    initializers.leCunUniform({}),
    initializers.orthogonal({}),
    initializers.identity({}),
  ];
  const prototypes = new Set<Record<string, unknown>>();
  for (const instance of instances) {
    for (let proto = Object.getPrototypeOf(instance); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      if (Object.hasOwn(proto, 'apply')) prototypes.add(proto);
    }
  }
  return [...prototypes];
}

/**
 * Runs `build` with every built-in weight initializer replaced by zeros. Counting parameters and
 * MACs needs a built model but not its random weights, and drawing them costs seconds for VGG-size
 * models (138M draws in JavaScript). Model building is synchronous, so nothing else runs while the
 * initializers are swapped; they are restored even when `build` throws.
 */
export function buildWithZeroWeights<T>(build: () => T): T {
  const patched = initializerPrototypes().map((proto) => [proto, proto.apply as Apply] as const);
  const zeroApply: Apply = (shape, dtype) => zeros(shape, dtype as 'float32');
  for (const [proto] of patched) proto.apply = zeroApply;
  try {
    return build();
  } finally {
    for (const [proto, original] of patched) proto.apply = original;
  }
}
