import type { ScaffoldNames } from './names.js';

/**
 * An architecture file in convkit's house style: the variants are a config table, one builder walks
 * it with `@convkit/layers`' block vocabulary (conv-BN-ReLU units, a classifier head), layers are
 * named by their place in the structure, the output is logits, and each variant is a
 * `defineArchitecture` value (nothing registers itself on import).
 */
export function architectureFile(names: ScaffoldNames): string {
  const { kebab, camel, pascal } = names;
  return `import { architectureOptions, type BaseArchitectureOptions, defineArchitecture } from '@convkit/core';
import { classifierHead, convBnAct, scaleWidth, WEIGHT_INITS, widthMultiplierOption } from '@convkit/layers';
import { input, type LayersModel, layers, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { z } from 'zod';

/** Channels of each stage's 3x3 conv-BN-ReLU units; a stage ends in a 2x2 max pool. Variants are rows. */
const ${camel.toUpperCase()}_STAGES = {
  small: [[16], [32]],
  base: [[32, 32], [64, 64], [128]],
} as const satisfies Record<string, readonly (readonly number[])[]>;

/** A variant of ${kebab}: a row of the stage table. */
export type ${pascal}Variant = keyof typeof ${camel.toUpperCase()}_STAGES;

const ${camel}Options = architectureOptions({ numClasses: 10, inputShape: [32, 32, 3] }, { widthMultiplier: widthMultiplierOption });

/** Options of every ${kebab} variant. */
export type ${pascal}Options = BaseArchitectureOptions & z.output<typeof ${camel}Options>;

/**
 * Builds ${kebab} \`variant\`: per stage, 3x3 conv-BN-ReLU units (\`stage1.unit1\`, ...) and a 2x2 max
 * pool (\`stage1.pool\`), then global average pooling and a linear classifier that outputs logits.
 * Default input 32x32x3; any input of at least 2^stages pixels a side works.
 */
export function build${pascal}(variant: ${pascal}Variant, options: ${pascal}Options): LayersModel {
  const image = input({ name: 'input', shape: options.inputShape });
  let x: SymbolicTensor = image;
  for (const [s, widths] of ${camel.toUpperCase()}_STAGES[variant].entries()) {
    for (const [u, channels] of widths.entries()) {
      x = convBnAct(\`stage\${s + 1}.unit\${u + 1}\`, {
        filters: scaleWidth(channels, options.widthMultiplier),
        kernelSize: 3,
        kernelInitializer: WEIGHT_INITS.torchvision.conv,
      })(x);
    }
    x = layers.maxPooling2d({ name: \`stage\${s + 1}.pool\`, poolSize: 2, strides: 2 }).apply(x) as SymbolicTensor;
  }
  const logits = classifierHead(x, {
    globalPool: 'avgpool',
    logitsName: 'fc',
    numClasses: options.numClasses,
    kernelInitializer: WEIGHT_INITS.torchvision.dense,
  });
  return model({ name: \`${kebab}-\${variant}\`, inputs: image, outputs: logits });
}

const variant = (name: ${pascal}Variant) =>
  defineArchitecture({
    name: \`${kebab}-\${name}\`,
    family: '${kebab}',
    tags: ['cifar'],
    description: \`${kebab} \${name}: \${${camel.toUpperCase()}_STAGES[name].length} stages of conv-BN-ReLU units\`,
    defaultInput: [32, 32, 3],
    options: ${camel}Options,
    build: (options) => build${pascal}(name, options),
  });

/** The ${kebab} variants, one per row of the stage table. */
export const ${camel}Architectures = (Object.keys(${camel.toUpperCase()}_STAGES) as ${pascal}Variant[]).map(variant);
`;
}
