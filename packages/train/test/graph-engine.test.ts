import { plugin as classic } from '@convkit/arch-classic';
import { plugin as modern } from '@convkit/arch-modern';
import { createRng, GraphEngine, Registry, withSeededMathRandom } from '@convkit/core';
import { describeGraphEngine } from '@convkit/core/testing';
import type { LayerVariable } from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import type { ImageBatch } from '../src/data/image-batch.js';
import { crossEntropyObjective } from '../src/objectives/cross-entropy-objective.js';
import { Optimizer, type OptimizerConfig } from '../src/train/optimizer.js';
import { trainStep } from '../src/train/train-step.js';

const STEPS = 20;
const registry = new Registry();
registry.use(classic);
registry.use(modern);

/** Four seeded batches whose labels depend on the images (a learnable task), cycled over the steps. */
function batches(shape: [number, number, number], count: number, classes: number): ImageBatch[] {
  const rng = createRng(7);
  const size = shape[0] * shape[1] * shape[2];
  return Array.from({ length: 4 }, () => {
    const images = new Float32Array(count * size);
    const labels = new Float32Array(count * classes);
    for (let i = 0; i < count; i++) {
      const label = Math.floor(rng.next() * classes);
      for (let p = 0; p < size; p++) images[i * size + p] = rng.next() - 0.5 + (p % classes === label ? 0.5 : 0);
      labels[i * classes + label] = 1;
    }
    return { images, labels, count, shape, numClasses: classes };
  });
}

// Loops, not spread arguments: a MobileNet weight has more elements than a call has room for arguments.
const largest = (values: Float32Array) => values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
const norm = (values: Float32Array) => Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));

/** Losses of `STEPS` steps on the eager engine and on the graph engine from the same initial weights. */
async function bothEngines(
  arch: string,
  archOptions: Record<string, unknown>,
  batchSize: number,
  optimizer: OptimizerConfig,
  learningRate: number,
  compute: 'float32' | 'bfloat16' = 'float32',
) {
  const model = withSeededMathRandom(createRng(3), () => registry.create(arch, archOptions));
  const shape = (model.inputs[0]?.shape ?? []).slice(1) as [number, number, number];
  const data = batches(shape, batchSize, 10);
  const engine = await GraphEngine.create(model, {
    optimizer: { name: optimizer.name, momentum: optimizer.momentum, weightDecay: optimizer.weightDecay },
    compute,
  });
  const initial = (model.weights as LayerVariable[]).map((w) => w.read().dataSync().slice() as Float32Array);
  const graph: number[] = [];
  const eager: number[] = [];
  try {
    for (let s = 0; s < STEPS; s++) {
      const batch = data[s % data.length] as ImageBatch;
      graph.push((await engine.step(batch.images, batch.labels, batch.count, learningRate)).loss);
    }
    const graphState = await engine.readState();
    const eagerOptimizer = new Optimizer(optimizer);
    const context = {
      model,
      optimizer: eagerOptimizer,
      objective: crossEntropyObjective({ kinds: ['logits'], lossWeights: [1], labelSmoothing: 0 }),
      clipNorm: undefined,
    };
    for (let s = 0; s < STEPS; s++) {
      eager.push((await trainStep(context, data[s % data.length] as ImageBatch, learningRate, createRng(s))).loss);
    }
    eagerOptimizer.dispose();
    const eagerWeights = (model.weights as LayerVariable[]).map((w) => w.read().dataSync() as Float32Array);
    // Largest weight difference, relative to the weight's scale where that exceeds 1 (absolute below:
    // batch norm's betas start at 0, where any relative measure is noise).
    const weightError = Math.max(
      ...engine.variables.map((v, i) => {
        if (v.kind !== 'weight') return 0;
        const a = graphState[i] as Float32Array;
        const b = eagerWeights[v.weight] as Float32Array;
        const scale = Math.max(largest(b.map(Math.abs)), 1);
        return largest(a.map((x, j) => Math.abs(x - (b[j] as number)))) / scale;
      }),
    );
    // Largest difference of a weight tensor relative to how far eager moved it (L2 norms): this sees a
    // wrong gradient of a layer whose weights moved little against their scale (a 1% error in the
    // projection's filter gradient gives 1.1e-2 on ResNet-20 option B; rounding gives at most 4.2e-3,
    // from batch norm's gammas, whose float32 spacing near 1 is 1e-3 of their 20-step movement).
    const movementError = Math.max(
      ...engine.variables.map((v, i) => {
        if (v.kind !== 'weight') return 0;
        const a = graphState[i] as Float32Array;
        const b = eagerWeights[v.weight] as Float32Array;
        const start = initial[v.weight] as Float32Array;
        const difference = norm(a.map((x, j) => x - (b[j] as number)));
        return difference / norm(b.map((x, j) => x - (start[j] as number)));
      }),
    );
    return { graph, eager, weightError, movementError, opTypes: engine.compiled.opTypes };
  } finally {
    engine.dispose();
    model.dispose();
  }
}

const relative = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - (b[i] as number)) / Math.abs(b[i] as number)));

await describeGraphEngine('graph engine on %s', () => {
  it('20 LeNet-5 steps (SGD, momentum 0.9) track the eager engine within 1e-4 relative, and the loss falls', async () => {
    const { graph, eager, weightError, movementError } = await bothEngines('lenet5', {}, 32, { name: 'sgd', momentum: 0.9 }, 0.05);
    expect(relative(graph, eager)).toBeLessThan(1e-4);
    expect(weightError).toBeLessThan(1e-4);
    expect(movementError).toBeLessThan(1e-2);
    // Steps 0 and 16 see the same batch.
    expect(graph[16]).toBeLessThan((graph[0] as number) * 0.97);
  });

  // ResNet-20 on random data is chaotic in float32: perturbing eager's own initial weights by 1e-7
  // (relative) and rerunning eager moved its 20-step weights (batch 32, SGD momentum 0.9) by 1.4e-4
  // at lr 0.001 with option B shortcuts (9.6e-5 with option A) — the engines' 1.1e-4 there was that
  // floor, not a wrong gradient (one step's gradients agree to 1.5e-6 of each weight's largest) —
  // but by 1.0e-5 (weights) and 2.5e-6 (losses) at lr 0.0002, where a 1e-4 tolerance therefore
  // separates a wrong step from rounding.
  it('20 ResNet-20 steps (option A shortcuts, batch norm, nesterov, weight decay) track the eager engine within 1e-4 relative', async () => {
    const { graph, eager, weightError, movementError, opTypes } = await bothEngines(
      'resnet20',
      {},
      32,
      { name: 'nesterov', momentum: 0.9, weightDecay: 5e-4 },
      0.0002,
    );
    expect(opTypes).toEqual(expect.arrayContaining(['FusedBatchNormGradV3', 'Conv2DBackpropFilter', 'AvgPoolGrad']));
    // ReLU's gradient is oneDNN's where libtensorflow registers it (onednn-relu-gradient.test.ts), else Eigen's.
    expect(opTypes.filter((type) => type === 'ReluGrad' || type === '_MklReluGrad')).not.toEqual([]);
    expect(relative(graph, eager)).toBeLessThan(1e-4);
    expect(weightError).toBeLessThan(1e-4);
    expect(movementError).toBeLessThan(1e-2);
    expect(graph[16]).toBeLessThan(graph[0] as number);
  });

  it('ResNet-20 with projection (option B) shortcuts tracks the eager engine too', async () => {
    const { graph, eager, weightError, movementError } = await bothEngines(
      'resnet20',
      { shortcut: 'B' },
      32,
      { name: 'sgd', momentum: 0.9 },
      0.0002,
    );
    expect(relative(graph, eager)).toBeLessThan(1e-4);
    expect(weightError).toBeLessThan(1e-4);
    expect(movementError).toBeLessThan(1e-2);
  });

  // Adam's update is the eager optimizer's float32 ops in its order, fed the same float64 bias
  // corrections, so the engines differ only where their gradients round differently.
  it.each([
    ['adam', 'lenet5', 0.001, 5e-4],
    ['adamw', 'lenet5', 0.001, 0.05],
  ] as const)('20 steps of %s on %s track the eager optimizer within 1e-4 relative', async (name, arch, learningRate, weightDecay) => {
    const { graph, eager, weightError, movementError, opTypes } = await bothEngines(arch, {}, 32, { name, weightDecay }, learningRate);
    expect(opTypes).not.toContain('ResourceApplyMomentum');
    expect(relative(graph, eager)).toBeLessThan(1e-4);
    expect(weightError).toBeLessThan(1e-4);
    expect(movementError).toBeLessThan(1e-2);
    expect(graph[16]).toBeLessThan(graph[0] as number);
  });

  // bfloat16 keeps 8 significant bits: a step's loss moves by a few 1e-4 to 1e-3 relative from
  // float32's, where float32 rounding alone moves it by about 1e-6 (the tests above), so a graph that
  // silently computed in float32 fails the lower bound. The weights' 20-step movement differs from
  // float32's by up to 0.35 of itself (measured; batch norm's backward pass cancels in bfloat16, early
  // layers most), so 0.5 bounds it: a weight without its gradient (1), with the sign wrong (2) or
  // whose master copy is lost to a cast fails.
  it('20 ResNet-20 steps in bfloat16 (option B, batch norm, momentum) track float32 eager to bfloat16 precision', async () => {
    const { graph, eager, movementError, opTypes } = await bothEngines(
      'resnet20',
      { shortcut: 'B' },
      32,
      { name: 'sgd', momentum: 0.9 },
      0.0002,
      'bfloat16',
    );
    expect(opTypes).toEqual(expect.arrayContaining(['Cast', 'Conv2DBackpropFilter', 'FusedBatchNormGradV3', 'Pad']));
    expect(relative(graph.slice(0, 1), eager.slice(0, 1))).toBeGreaterThan(1e-5);
    expect(relative(graph, eager)).toBeLessThan(2e-2);
    expect(movementError).toBeLessThan(0.5);
    expect(graph[16]).toBeLessThan(graph[0] as number);
  });

  // MobileNet v2 without its classifier dropout, whose masks the engines draw from different generators.
  // Over more steps bfloat16's rounding compounds (lr 0.01), so the first five are compared.
  it('MobileNet v2 (its depthwise convolutions in float32) and LeNet-5 train in bfloat16', async () => {
    for (const [arch, options] of [
      ['lenet5', {}],
      ['mobilenet-v2-cifar', { widthMultiplier: 0.5, dropout: 0 }],
    ] as const) {
      const { graph, eager } = await bothEngines(arch, options, 16, { name: 'sgd', momentum: 0.9 }, 0.01, 'bfloat16');
      expect(relative(graph.slice(0, 1), eager.slice(0, 1))).toBeGreaterThan(1e-6);
      expect(relative(graph.slice(0, 5), eager.slice(0, 5))).toBeLessThan(2e-2);
    }
  });
});
