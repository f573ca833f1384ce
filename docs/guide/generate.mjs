#!/usr/bin/env node
// Regenerates docs/guide/review-questions.md: each answer runs the convkit command that measures it
// (`--json`) and quotes the numbers. `node docs/guide/generate.mjs --check` regenerates in memory and
// fails when the committed guide differs, which the CLI's guide test runs so the guide cannot go stale.
// Numbers are rounded to two significant digits (three for exact figures such as parameter counts),
// so float differences between backends do not change the text.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const bin = join(root, 'packages', 'cli', 'bin', 'run.js');
const target = join(here, 'review-questions.md');
const out = mkdtempSync(join(tmpdir(), 'convkit-guide-'));

// Every command runs in this one process, as bin/run.js runs one: a CLI start (oclif, every plugin,
// tfjs) costs more than most of the answers, and the page quotes what the commands print, not how
// they were started. Same module hooks as bin/run.js, and one oclif config loaded once.
register(pathToFileURL(join(root, 'packages', 'cli', 'dist', 'shared-modules-hooks.js')), pathToFileURL(bin), {
  data: { hostURL: pathToFileURL(bin).href },
});
const oclif = await import(pathToFileURL(createRequire(bin).resolve('@oclif/core')).href);
oclif.settings.enableAutoTranspile = false;
const config = await oclif.Config.load(pathToFileURL(bin).href);
const printed = new Map();
// The commands ran from the repository root when each was its own process; they still do.
process.chdir(root);

/**
 * Runs `convkit ARGS --json` and returns the parsed output (once per distinct command: the page asks
 * some twice); a failure stops the generation with what the command printed.
 */
async function convkit(args) {
  const key = JSON.stringify(args);
  if (!printed.has(key)) printed.set(key, JSON.parse(await captured(() => oclif.run([...args, '--json'], config), args)));
  return printed.get(key);
}

/** What `command` writes to stdout; stderr is kept to explain a failure. */
async function captured(command, args) {
  const [stdout, stderr] = [[], []];
  const writes = [process.stdout.write, process.stderr.write];
  process.stdout.write = (chunk) => stdout.push(String(chunk)) > 0;
  process.stderr.write = (chunk) => stderr.push(String(chunk)) > 0;
  try {
    await command();
  } catch (error) {
    throw new Error(`convkit ${args.join(' ')} failed: ${stderr.join('').trim() || error.message}`);
  } finally {
    [process.stdout.write, process.stderr.write] = writes;
  }
  return stdout.join('');
}

// The temporary output folder is shown as runs/guide, so the page does not change from run to run.
const shown = (args) =>
  `convkit ${args.map((a) => (a.startsWith(out) ? a.replace(out, 'runs/guide') : /[\s{}"]/.test(a) ? `'${a}'` : a)).join(' ')}`;
const sig = (x, digits = 2) => Number(x.toPrecision(digits)).toString();
const count = (n) => n.toLocaleString('en-US');
const sections = [];
/** One answer: the question, the commands it ran, and its text from their outputs. */
async function section(question, commands, write) {
  const outputs = [];
  for (const command of commands) outputs.push(await convkit(command));
  sections.push(`## ${question}\n\n\`\`\`sh\n${commands.map(shown).join('\n')}\n\`\`\`\n\n${write(...outputs)}\n`);
}
const inspectOut = (name) => join(out, name);

await section(
  '1. Which properties of convolution does a CNN rely on, and do they hold in a real network?',
  [
    ['inspect', 'frequency', '--arch', 'lenet5', '--out', inspectOut('q1')],
    ['inspect', 'equivariance', '--arch', 'resnet20', '--shift', '1,1', '--out', inspectOut('q1')],
    ['inspect', 'equivariance', '--arch', 'resnet20', '--shift', '4,4', '--out', inspectOut('q1')],
  ],
  (frequency, one, four) => {
    const at = (curve, name) => curve.data.layers.find((l) => l.layer === name);
    return [
      `Linearity, the flip relation between convolution and cross-correlation (\`tf.conv2d\` computes the`,
      `latter), associativity (two 3x3 kernels compose into one 5x5) and the convolution theorem are tested`,
      `identities in \`@convkit/inspect\` (\`pnpm --filter @convkit/inspect test\`). On LeNet-5's first filter the`,
      `convolution theorem holds to ${sig(frequency.data.convolutionTheorem.maxAbsError, 1)} (circular convolution in space against \`IDFT(DFT(x)·DFT(k))\`).`,
      '',
      `Translation equivariance holds only up to stride. Shifting the input of an untrained ResNet-20 by one pixel,`,
      `the stem's output moves with it (relative error ${sig(at(one, 'stem.relu').equivarianceError)}, zero padding at the borders), but after the`,
      `first stride-2 block it cannot (error ${sig(at(one, 'stage2.block1.act').equivarianceError)} at \`stage2.block1\`, ${sig(at(one, 'stage3.block1.act').equivarianceError)} at \`stage3.block1\`); the`,
      `logits change by ${sig(one.data.layers.at(-1).invarianceError)}. Stride and pooling are where equivariance breaks (Zhang 2019). A shift of 4`,
      `pixels, a multiple of the total stride, still gives ${sig(at(four, 'stage3.block1.act').equivarianceError)} at \`stage3.block1\`: on its 8x8 maps the zero-padded`,
      `borders, which a circular shift wraps around, weigh as much as the stride; the tested network with circular`,
      `padding is exactly equivariant at stride 1 and at multiples of its stride.`,
    ].join('\n');
  },
);

await section(
  '2. Why are convolutions more parameter-efficient than fully connected layers?',
  [['models', 'summary', 'lenet5']],
  (summary) => {
    const row = (name) => summary.layers.find((l) => l.name === name);
    const [c1, c3, f6] = [row('c1'), row('c3'), row('f6')];
    const dense = 32 * 32 * c1.outputShape[0] * c1.outputShape[1] * c1.outputShape[2];
    return [
      `Weight sharing: LeNet-5's C1 maps 32x32 to ${c1.outputShape.join('x')} with ${count(c1.params)} parameters and C3 has ${count(c3.params)};`,
      `a fully connected layer with C1's input and output would need 32·32·${c1.outputShape.join('·')} = ${count(dense)} weights. The`,
      `first dense layer F6 alone has ${count(f6.params)} of the network's ${count(summary.totals.params)} parameters.`,
    ].join('\n');
  },
);

await section(
  '3. What is the receptive field, and how much of it does a network use?',
  [
    ['inspect', 'erf', '--arch', 'resnet20', '--layer', 'stage1.block3.act', '--images', '4', '--out', inspectOut('q3')],
    ['inspect', 'erf', '--arch', 'resnet20', '--images', '4', '--out', inspectOut('q3')],
  ],
  (early, late) =>
    [
      `The theoretical field grows by \`d(k−1)·jump\` per layer: ${early.data.theoretical.join('x')} after ResNet-20's first stage and`,
      `${late.data.theoretical.join('x')} at its last block, more than the 32x32 input. The effective receptive field (Luo et al. 2016,`,
      `the input gradient of the centre unit, untrained network, random inputs) is smaller: 95% of its mass lies on`,
      `${sig(early.data.effectiveSide)}² pixels after stage 1 and on ${sig(late.data.effectiveSide)}² of the 32² image at the end.`,
    ].join('\n'),
);

await section('4. Why stack small filters instead of using large ones?', [['models', 'summary', 'vgg11-cifar']], (summary) => {
  const conv = summary.layers.find((l) => l.className === 'Conv2D' && l.outputShape[2] === 512 && l.params > 2_000_000);
  const c = conv.outputShape[2];
  return [
    `Two stacked 3x3 convolutions see 5x5 (their composed kernel is 5x5, a tested identity) with 2·9C² weights`,
    `against 25C² for one 5x5, and a ReLU between them. In VGG-11 (CIFAR) a ${c}→${c} 3x3 layer (\`${conv.name}\`) has`,
    `${count(conv.params)} parameters; two of them cost ${count(2 * conv.params)}, one 5x5 would cost ${count(25 * c * c + c)}.`,
  ].join('\n');
});

await section(
  '5. Depth or width?',
  [
    ['models', 'list', '--family', 'resnet'],
    ['models', 'summary', 'resnet20', '--arch-options', '{"widthMultiplier":2}'],
  ],
  (list, wide) => {
    const params = (name) => list.find((m) => m.name === name).params;
    return [
      `Depth grows parameters linearly: ResNet-20, -56 and -110 have ${count(params('resnet20'))}, ${count(params('resnet56'))} and`,
      `${count(params('resnet110'))}. Width grows them quadratically: ResNet-20 at twice the width has ${count(wide.totals.params)}.`,
    ].join('\n');
  },
);

await section(
  '6. What do skip connections do for training?',
  [
    ['inspect', 'gradient-flow', '--arch', 'resnet56', '--images', '8', '--out', inspectOut('q6')],
    ['inspect', 'gradient-flow', '--arch', 'resnet56', '--arch-options', '{"shortcut":"none"}', '--images', '8', '--out', inspectOut('q6')],
  ],
  (residual, plain) => {
    const [r, p] = [residual.data.runs.initialisation, plain.data.runs.initialisation];
    return [
      `The seed's "+1 term": with \`a_{k+1} = a_k + F(a_k)\` each Jacobian is \`I + ∂F/∂a\`. At initialisation ResNet-56's`,
      `first convolution receives a weight gradient of norm ${sig(r.layers[0].weightGradientNorm)}, ${sig(r.firstToLast)} times its last layer's. Its plain`,
      `twin (no shortcuts, same parameters) gets ${sig(p.layers[0].weightGradientNorm)} at the first layer, ${sig(p.firstToLast)} times its last layer's: the gradient does not`,
      `vanish here, it explodes, as mean-field analyses of deep batch-normalized plain networks predict (Yang et al.`,
      `2019). The seed's expectation of a first-layer gradient 10x smaller in the plain network is not what convkit`,
      `measures at initialisation; either way the plain network's gradient scale is off by orders of magnitude and the`,
      `residual one's is not.`,
    ].join('\n');
  },
);

await section('7. What do depthwise separable convolutions save?', [['models', 'summary', 'mobilenet-v1-cifar']], (summary) => {
  const depthwise = summary.layers.find((l) => l.className.includes('Depthwise') && l.outputShape[2] === 512);
  const pointwise =
    summary.layers[
      summary.layers.indexOf(depthwise) +
        1 +
        summary.layers
          .slice(summary.layers.indexOf(depthwise) + 1)
          .findIndex((l) => l.className.includes('Conv2D') && !l.className.includes('Depthwise'))
    ];
  const c = depthwise.outputShape[2];
  const full = 9 * c * pointwise.outputShape[2];
  return [
    `A 3x3 depthwise convolution (\`${depthwise.name}\`, ${count(depthwise.params)} parameters) then a 1x1 pointwise one (\`${pointwise.name}\`,`,
    `${count(pointwise.params)}) replace a full 3x3 convolution of ${count(full)} weights: the ratio is 1/N + 1/k² =`,
    `${sig((depthwise.params + pointwise.params) / full)} here. The whole MobileNet v1 (CIFAR) has ${count(summary.totals.params)} parameters.`,
  ].join('\n');
});

await section(
  '8. Dense or residual connectivity?',
  [
    ['models', 'list', '--family', 'densenet'],
    ['models', 'list', '--family', 'resnet'],
  ],
  (dense, residual) => {
    const d = dense.find((m) => m.name === 'densenet-bc-100');
    const r = residual.find((m) => m.name === 'resnet110');
    return [
      `DenseNet-BC-100 (k = 12) has ${count(d.params)} parameters and ${sig(d.macs / 1e6, 3)}M MACs at 32x32; ResNet-110 has ${count(r.params)} and`,
      `${sig(r.macs / 1e6, 3)}M. Concatenation reuses features, so DenseNet reaches similar CIFAR error with fewer parameters, at the`,
      `cost of more computation per parameter.`,
    ].join('\n');
  },
);

await section(
  '9. What does attention add, and at what cost?',
  [
    ['models', 'summary', 'resnet20'],
    ['models', 'summary', 'se-resnet20'],
    ['models', 'summary', 'cbam-resnet20'],
  ],
  (plain, se, cbam) => {
    const module = (summary, prefix) =>
      summary.layers
        .filter((l) => l.name.startsWith(prefix))
        .reduce((t, l) => ({ params: t.params + l.params, macs: t.macs + l.macs }), { params: 0, macs: 0 });
    const first = module(se, 'stage1.block1.attn.');
    const extra = (summary) => summary.totals.trainableParams - plain.totals.trainableParams;
    const macShare = (summary) => (summary.totals.macs - plain.totals.macs) / plain.totals.macs;
    return [
      `Squeeze-and-excitation (Hu et al. 2018) pools each channel to one number, passes the C-vector through a`,
      `C→C/r→C bottleneck and rescales the channels by its sigmoid; CBAM (Woo et al. 2018) adds a 7x7 spatial gate.`,
      `In ResNet-20's first block (C = 16, reduced width 8) the SE module (\`stage1.block1.attn.*\`) has ${count(first.params)}`,
      `parameters, \`2CC' + C' + C\`, and ${count(first.macs)} MACs against ${count(plain.layers.find((l) => l.name === 'stage1.block1.conv1').macs)} for the block's first convolution.`,
      `Over the network SE adds ${count(extra(se))} parameters (${sig((100 * extra(se)) / plain.totals.trainableParams)}%) and ${sig(100 * macShare(se))}% MACs, CBAM ${count(extra(cbam))} (${sig((100 * extra(cbam)) / plain.totals.trainableParams)}%)`,
      `and ${sig(100 * macShare(cbam))}% MACs: attention is cheap in weights and computation. On tfjs its cost is the extra small kernels`,
      `per block, measured as step time by \`convkit bench --model resnet20 --model se-resnet20 --mode train-step\`.`,
    ].join('\n');
  },
);

await section(
  '10. What does a bottleneck block save?',
  [
    ['models', 'summary', 'resnet50'],
    ['models', 'summary', 'resnet34'],
  ],
  (resnet50, resnet34) => {
    const block = (summary, prefix) =>
      summary.layers.filter((l) => l.name.startsWith(prefix) && l.className.includes('Conv')).map((l) => l.params);
    const bottleneck = block(resnet50, 'layer2.1.');
    const width = resnet50.layers.find((l) => l.name === 'layer2.1.conv3').outputShape[2];
    const basic = block(resnet34, 'layer4.1.');
    const basicWidth = resnet34.layers.find((l) => l.name === 'layer4.1.conv2').outputShape[2];
    const total = (weights) => weights.reduce((a, b) => a + b, 0);
    return [
      `ResNet-50's \`layer2.1\` maps C = ${width} channels by 1x1 C→C/4, 3x3 C/4→C/4 and 1x1 C/4→C: ${bottleneck.map(count).join(' + ')} =`,
      `${count(total(bottleneck))} weights, which is (1/16 + 9/16 + 1/16)·C² = 17/16·C² = ${count((17 / 16) * width * width)}, or 17c² in the inner width c = C/4`,
      `(17·${width / 4}² = ${count(17 * (width / 4) ** 2)}). The seed's 2.25C² matches neither reading.`,
      `A basic block of two 3x3 C→C convolutions costs 18C²: ResNet-34's \`layer4.1\` at C = ${basicWidth} has ${basic.map(count).join(' + ')} = ${count(total(basic))}`,
      `(18·${basicWidth}² = ${count(18 * basicWidth * basicWidth)}). At equal width the bottleneck is 18/(17/16) ≈ ${sig(18 / (17 / 16))} times cheaper, which is what lets ResNet-50`,
      `(${count(resnet50.totals.trainableParams)} parameters) be deeper than ResNet-34 (${count(resnet34.totals.trainableParams)}) at similar cost.`,
    ].join('\n');
  },
);

await section('11. How are mobile networks designed?', [['models', 'list', '--family', 'mobilenet']], (list) => {
  const row = (name) => list.find((m) => m.name === name);
  const [v1, v2] = [row('mobilenet-v1'), row('mobilenet-v2')];
  return [
    `Separable convolutions and, in v2, inverted residuals with linear bottlenecks: MobileNet v1 has ${count(v1.params)} parameters and`,
    `${sig(v1.macs / 1e6, 3)}M MACs at 224x224, v2 ${count(v2.params)} and ${sig(v2.macs / 1e6, 3)}M.`,
  ].join('\n');
});

await section(
  '12. What does architecture search find?',
  [
    ['models', 'summary', 'darts', '--arch-options', '{"genotype":"DARTS_V2"}'],
    ['models', 'summary', 'darts', '--arch-options', '{"genotype":"DARTS_V1"}'],
    ['models', 'list', '--family', 'resnet'],
  ],
  (v2, v1, residual) => {
    const r = residual.find((m) => m.name === 'resnet110');
    return [
      `DARTS (Liu et al. 2019) relaxes the choice among 8 candidate operations on each of a cell's 14 edges to a softmax`,
      `over architecture weights and learns them by gradient descent beside the network's weights; the genotype keeps`,
      `the two strongest edges per node. The evaluation network built from the paper's second-order genotype`,
      `(DARTS_V2, C = 36, 20 cells, 32x32) has ${count(v2.totals.trainableParams)} trainable parameters and ${sig(v2.totals.macs / 1e6, 3)}M MACs (the paper: 3.3M);`,
      `the first-order genotype DARTS_V1 ${count(v1.totals.trainableParams)} and ${sig(v1.totals.macs / 1e6, 3)}M. Both are separable and dilated convolutions in`,
      `cells, about twice ResNet-110's ${count(r.trainableParams)} parameters and ${sig(v2.totals.macs / r.macs)} times its ${sig(r.macs / 1e6, 3)}M MACs.`,
    ].join('\n');
  },
);

const text = [
  '# The review questions, measured',
  '',
  'Each answer is the output of the convkit commands above it (run with `--json`; numbers rounded to two',
  'significant digits). `node docs/guide/generate.mjs` regenerates this page; the CLI test suite runs it with',
  '`--check`, so a change that moves a number fails until the guide is regenerated.',
  '',
  ...sections,
].join('\n');

if (process.argv.includes('--check')) {
  const committed = readFileSync(target, 'utf8');
  if (committed !== text) {
    writeFileSync(join(out, 'review-questions.md'), text);
    console.error(
      `docs/guide/review-questions.md is stale; regenerated text is in ${join(out, 'review-questions.md')}; run node docs/guide/generate.mjs`,
    );
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
