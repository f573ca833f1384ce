import type { TemplateVersions } from './plugin-template.js';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** A project that trains and evaluates a model from code with `@convkit/train`. */
export function projectFiles(name: string, versions: TemplateVersions): Record<string, string> {
  const convkit = `^${versions.convkit}`;
  const tfjs = `^${versions.tfjs}`;
  return {
    'package.json': json({
      name,
      version: '0.1.0',
      private: true,
      type: 'module',
      scripts: { build: 'tsc -p tsconfig.json', train: 'npm run build && node dist/train.js' },
      dependencies: {
        '@convkit/arch-classic': convkit,
        '@convkit/core': convkit,
        '@convkit/layers': convkit,
        '@convkit/train': convkit,
        '@tensorflow/tfjs-backend-cpu': tfjs,
        '@tensorflow/tfjs-backend-wasm': tfjs,
        '@tensorflow/tfjs-core': tfjs,
        '@tensorflow/tfjs-layers': tfjs,
      },
      devDependencies: { '@types/node': '^20.0.0', typescript: versions.typescript },
    }),
    'tsconfig.json': json({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        outDir: 'dist',
        skipLibCheck: true,
      },
      include: ['src'],
    }),
    '.gitignore': 'node_modules\ndist\nruns\n',
    'src/train.ts': `import { plugin as classic } from '@convkit/arch-classic';
import { registry } from '@convkit/core';
import { plugin as layers } from '@convkit/layers';
import { evaluate, train } from '@convkit/train';

// Architectures come from plugins; train() adds its own datasets and augmentations.
registry.use(layers).use(classic);

const result = await train({
  arch: 'lenet5',
  data: 'shapes', // or 'fashion-mnist', 'cifar10', or a folder of images, one subfolder per class
  epochs: 3,
  out: 'runs/lenet5-shapes',
  overwrite: true,
  onProgress: (p) => process.stderr.write(\`\\repoch \${p.epoch}/\${p.epochs} step \${p.batch}/\${p.batches} loss \${p.loss.toFixed(3)}\`),
});
console.log(\`\\ntest accuracy \${(100 * result.testAccuracy).toFixed(2)}% on \${result.backend}\`);

const report = await evaluate({ model: result.out });
for (const c of report.perClass) console.log(\`\${c.name}: precision \${c.precision.toFixed(3)}, recall \${c.recall.toFixed(3)}\`);
// Classify your own images with predict({ model: result.out, images: ['photo.png', 'folder/'] }).
`,
    'README.md': `# ${name}

Trains LeNet-5 on convkit's synthetic \`shapes\` dataset from code, then reports per-class precision
and recall. \`npm install && npm run train\`; the run (checkpoints, metrics, curves, model) goes to
\`runs/lenet5-shapes\`, and \`npx convkit eval --model runs/lenet5-shapes\` scores it again.
`,
  };
}
