// SE-ResNet-20 and CBAM-ResNet-20 against ResNet-20 on Fashion-MNIST: test accuracy, trainable
// parameters, MACs and mean training step time, all models trained the same way by convkit's trainer.
//   node scripts/compare-fashion-mnist.mjs [--train N] [--test N] [--epochs E] [--backend B]
// Defaults are a short run (8,000 training and 2,000 test images, 2 epochs); `--train 60000 --test
// 10000 --epochs 30` is the full comparison. Reads Debian's dataset-fashion-mnist.
import { parseArgs } from 'node:util';
import { plugin as modern } from '@convkit/arch-modern';
import { initBackend, Registry, summarizeModel } from '@convkit/core';
import { plugin as layers } from '@convkit/layers';
import { FASHION_MNIST, openIdxDataset, trainInMemory, plugin as training } from '@convkit/train';
import { plugin as attention } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    train: { type: 'string', default: '8000' },
    test: { type: 'string', default: '2000' },
    epochs: { type: 'string', default: '2' },
    backend: { type: 'string', default: 'auto' },
  },
});
const backend = await initBackend(values.backend);
const registry = new Registry().use(layers).use(modern).use(attention).use(training);
const full = await openIdxDataset(FASHION_MNIST, '/usr/share/datasets/fashion-mnist');
const first = (images, n) => images.subset(Array.from({ length: Math.min(n, images.size) }, (_, i) => i));
const data = { name: full.name, train: first(full.train, Number(values.train)), test: first(full.test, Number(values.test)) };

const rows = [];
for (const arch of ['resnet20', 'se-resnet20', 'cbam-resnet20']) {
  const steps = [];
  const result = await trainInMemory({
    arch,
    data,
    registry,
    epochs: Number(values.epochs),
    batchSize: 64,
    optimizer: 'sgd',
    momentum: 0.9,
    lr: 0.1,
    schedule: 'cosine',
    weightDecay: 5e-4,
    seed: 1,
    onStep: (step) => steps.push(step),
  });
  const { totals } = summarizeModel(result.model);
  result.model.dispose();
  rows.push({
    arch,
    testAccuracy: result.testAccuracy,
    params: totals.trainableParams,
    macs: totals.macs,
    msPerStep: (1000 * 64) / result.imagesPerSecond,
  });
  console.error(`${arch}: done`);
}
const base = rows[0];
console.log(
  `Fashion-MNIST, ${data.train.size} train / ${data.test.size} test images, ${values.epochs} epochs, backend ${backend.backend ?? backend.name}`,
);
for (const r of rows) {
  const over = (key) => (r === base ? '' : ` (${r[key] >= base[key] ? '+' : ''}${((r[key] / base[key] - 1) * 100).toFixed(1)}%)`);
  console.log(
    `${r.arch.padEnd(14)} top-1 ${(100 * r.testAccuracy).toFixed(2)}%  params ${r.params}${over('params')}  MACs ${(r.macs / 1e6).toFixed(2)}M${over('macs')}  step ${r.msPerStep.toFixed(1)} ms${over('msPerStep')}`,
  );
}
