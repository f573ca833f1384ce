import { architectureFile } from './architecture-template.js';
import type { ScaffoldNames } from './names.js';

/** Versions the templates pin: the tfjs convkit is built on, and the convkit release that writes them. */
export interface TemplateVersions {
  convkit: string;
  tfjs: string;
  typescript: string;
  zod: string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    declaration: true,
    outDir: 'dist',
    rootDir: '.',
    skipLibCheck: true,
  },
  include: ['src', 'test'],
};

/**
 * A third-party convkit plugin package: one architecture family, the `convkit:register` hook, a test
 * (node's own runner, so it needs no test framework), and tfjs and convkit as peer dependencies, so
 * the host CLI's one tfjs instance serves it (they are dev dependencies too, for its own tests).
 */
export function pluginFiles(packageName: string, names: ScaffoldNames, versions: TemplateVersions): Record<string, string> {
  const convkit = `^${versions.convkit}`;
  const tfjs = `^${versions.tfjs}`;
  const peers = {
    '@convkit/core': convkit,
    '@convkit/layers': convkit,
    '@tensorflow/tfjs-core': tfjs,
    '@tensorflow/tfjs-layers': tfjs,
  };
  return {
    'package.json': json({
      name: packageName,
      version: '0.1.0',
      description: `${names.kebab}: convolutional architectures for convkit`,
      type: 'module',
      main: './dist/src/index.js',
      types: './dist/src/index.d.ts',
      exports: { '.': { types: './dist/src/index.d.ts', import: './dist/src/index.js' }, './package.json': './package.json' },
      files: ['dist/src', 'README.md'],
      keywords: ['convkit', 'convkit-plugin', 'oclif-plugin'],
      scripts: { build: 'tsc -p tsconfig.json', test: 'npm run build && node --test dist/test/', prepack: 'npm run build' },
      oclif: { hooks: { 'convkit:register': './dist/src/register.js' } },
      peerDependencies: peers,
      devDependencies: {
        ...peers,
        '@tensorflow/tfjs-backend-cpu': tfjs,
        '@types/node': '^20.0.0',
        typescript: versions.typescript,
        zod: versions.zod,
      },
    }),
    'tsconfig.json': json(TSCONFIG),
    '.gitignore': 'node_modules\ndist\n',
    [`src/${names.kebab}.ts`]: architectureFile(names),
    'src/index.ts': `import { definePlugin } from '@convkit/core';
import { ${names.camel}Architectures } from './${names.kebab}.js';

export { build${names.pascal}, ${names.camel}Architectures, type ${names.pascal}Options, type ${names.pascal}Variant } from './${names.kebab}.js';

/** What ${packageName} contributes to convkit's registry. */
export const plugin = definePlugin({ name: '${packageName}', architectures: ${names.camel}Architectures });
`,
    'src/register.ts': `import type { ConvkitPlugin } from '@convkit/core';
import { plugin } from './index.js';

/** The \`convkit:register\` oclif hook: how the convkit CLI finds this package's architectures. */
export default async function register(): Promise<ConvkitPlugin> {
  return plugin;
}
`,
    [`test/${names.kebab}.test.ts`]: `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initBackend, Registry } from '@convkit/core';
import { plugin as layers } from '@convkit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { plugin } from '../src/index.js';

await initBackend('cpu');
const registry = new Registry().use(layers).use(plugin);

for (const { name } of registry.architectures.list()) {
  test(\`\${name} outputs one logit per class at two input sizes\`, () => {
    for (const [size, classes] of [[32, 10], [48, 3]] as const) {
      const model = registry.create(name, { inputShape: [size, size, 3], numClasses: classes });
      const output = model.predict(tf.zeros([2, size, size, 3])) as tf.Tensor;
      assert.deepEqual(output.shape, [2, classes]);
      assert.deepEqual(registry.outputKinds(name, model), ['logits']);
      tf.dispose(output);
      model.dispose();
    }
  });
}

test('registers under the package name with every variant', () => {
  assert.equal(plugin.name, '${packageName}');
  assert.ok((plugin.architectures ?? []).length >= 2);
});
`,
    'README.md': `# ${packageName}

Convolutional architectures for [convkit](https://www.npmjs.com/package/@convkit/cli): the \`${names.kebab}\`
family (\`${names.kebab}-small\`, \`${names.kebab}-base\`), contributed through the \`convkit:register\` hook.

\`\`\`sh
npm install && npm test            # build, then check every variant's output at two input sizes
convkit plugins link .             # or: convkit plugins install ${packageName}
convkit models list --family ${names.kebab}
convkit train --arch ${names.kebab}-small --data shapes --epochs 3
\`\`\`

tfjs and \`@convkit/*\` are peer dependencies: the convkit CLI provides them, so one tfjs instance
serves every plugin. Add a variant as a row of the stage table in \`src/${names.kebab}.ts\`.
`,
  };
}
