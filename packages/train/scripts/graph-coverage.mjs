/**
 * Which registered architectures train on the graph engine: every architecture of the packages
 * built here (layers, arch-classic, arch-modern, attention, nas) is created at its default input
 * and trained one SGD step (batch 2, random images) through the graph engine on the tensorflow
 * backend, in float32 and, with --bf16, also in bfloat16; some are also trained with other options
 * (EXTRA_OPTIONS: darts's dropPath, adaptive pools to sizes that do not divide their input). Prints one line per architecture
 * and options: the step's loss and time, or the graph engine's one-line refusal. Run after `pnpm build`:
 *
 *   node packages/train/scripts/graph-coverage.mjs [--bf16] [--only a,b]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { bf16: { type: 'boolean', default: false }, only: { type: 'string' } } });
const root = join(import.meta.dirname, '..', '..', '..');
const load = (name) => import(pathToFileURL(join(root, 'packages', name, 'dist', 'index.js')).href);
const core = await load('core');
await core.initBackend('tensorflow');
const registry = new core.Registry();
for (const name of ['layers', 'arch-classic', 'arch-modern', 'attention', 'nas']) {
  if (existsSync(join(root, 'packages', name, 'dist', 'index.js'))) registry.use((await load(name)).plugin);
}
const only = args.only?.split(',');
const computes = args.bf16 ? ['float32', 'bfloat16'] : ['float32'];
const BATCH = 2;
// Options that build layers the defaults leave out (darts's drop-path), or inputs whose last map
// does not divide the adaptive pool's output (160x160: 5x5 maps pooled to 6x6 and 7x7), each a row of its own.
const NON_DIVISOR_INPUT = { inputShape: [160, 160, 3] };
const EXTRA_OPTIONS = {
  darts: [{ dropPath: 0.2 }],
  'alexnet-tv': [NON_DIVISOR_INPUT],
  ...Object.fromEntries(
    ['vgg11', 'vgg11-bn', 'vgg13', 'vgg13-bn', 'vgg16', 'vgg16-bn', 'vgg19', 'vgg19-bn'].map((name) => [name, [NON_DIVISOR_INPUT]]),
  ),
};
let lowered = 0;
let refused = 0;
const rows = registry.architectures
  .list()
  .flatMap(({ name, value: spec }) => [{}, ...(EXTRA_OPTIONS[name] ?? [])].map((options) => ({ name, spec, options })));
for (const { name, spec, options } of rows) {
  if (only && !only.includes(name)) continue;
  const model = registry.create(name, options);
  const label = Object.keys(options).length === 0 ? name : `${name} ${JSON.stringify(options)}`;
  const classes = model.outputs[0].shape.at(-1);
  const input = options.inputShape ?? spec.defaultInput;
  const images = Float32Array.from({ length: BATCH * input.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i));
  const labels = new Float32Array(BATCH * classes);
  for (let i = 0; i < BATCH; i++) labels[i * classes + i] = 1;
  const results = [];
  let why = core.graphRefusal(model, { optimizer: 'sgd' });
  for (const compute of why ? [] : computes) {
    try {
      const engine = await core.GraphEngine.create(model, { optimizer: { name: 'sgd', momentum: 0.9 }, compute });
      const start = performance.now();
      const { loss } = await engine.step(images, labels, BATCH, 0.01);
      results.push(`${compute} loss ${loss.toFixed(4)} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
      engine.dispose();
      if (!Number.isFinite(loss)) why = `the ${compute} step's loss is ${loss}`;
    } catch (error) {
      if (error.code !== 'graph-unsupported') throw error;
      why = error.message.replace(/; train it .*$/, '');
      break;
    }
  }
  model.dispose();
  if (why) refused += 1;
  else lowered += 1;
  console.log(`${label.padEnd(26)} ${input.join('x').padEnd(11)} ${why ? `refused: ${why}` : results.join('; ')}`);
}
console.log(`${lowered} rows (architecture and options) train a step on the graph engine, ${refused} are refused`);
