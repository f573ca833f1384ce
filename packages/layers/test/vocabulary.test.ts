import { isConvkitError } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { input, type LayersModel, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import {
  Conv2d,
  classifierHead,
  convBnAct,
  DepthwiseConv2d,
  dropoutOption,
  dropPathOption,
  dropPathRate,
  makeDivisible,
  requireInputAtLeast,
  scaleWidth,
  WEIGHT_INITS,
  widthMultiplierOption,
} from '../src/index.js';
import './support/setup.js';

function built(shape: number[], unit: (x: SymbolicTensor) => SymbolicTensor): LayersModel {
  const x = input({ shape });
  return model({ inputs: x, outputs: unit(x) });
}

const layerRows = (m: LayersModel) => m.layers.slice(1).map((l) => [l.name, l.getClassName()]);

/** Population standard deviation of a tensor's values. */
function std(t: tf.Tensor): number {
  return Math.sqrt(tf.moments(t).variance.dataSync()[0] as number);
}

describe('convBnAct orders and names', () => {
  test("orders conv, norm and activation as DARTS's ReLU-Conv-BN when asked", () => {
    const m = built([6, 6, 4], convBnAct('cell.op', { filters: 4, kernelSize: 3, order: 'relu-conv-bn', norm: { affine: false } }));
    expect(m.layers.slice(1).map((l) => l.name)).toEqual(['cell.op.act', 'cell.op.conv', 'cell.op.bn']);
  });

  test("takes torchvision's module paths as layer names", () => {
    const m = built(
      [8, 8, 3],
      convBnAct('layer1.0', { filters: 4, kernelSize: 3, names: { conv: 'layer1.0.conv1', norm: 'layer1.0.bn1', act: 'layer1.0.relu1' } }),
    );
    expect(m.layers.slice(1).map((l) => l.name)).toEqual(['layer1.0.conv1', 'layer1.0.bn1', 'layer1.0.relu1']);
  });

  test('a norm with affine: false has no learned scale or shift, only running statistics, and normalizes by them', () => {
    const m = built([3, 3, 2], convBnAct('op', { filters: 2, kernelSize: 1, activation: null, norm: { affine: false } }));
    const bn = m.getLayer('op.bn');
    expect(bn.trainableWeights).toHaveLength(0);
    expect(bn.weights.map((w) => w.originalName)).toEqual(['op.bn/moving_mean', 'op.bn/moving_variance']);
    bn.setWeights([tf.tensor1d([1, -2]), tf.tensor1d([4, 0.25])]);
    const y = bn.apply(tf.tensor4d([3, 0], [1, 1, 1, 2])) as tf.Tensor;
    const expected = [(3 - 1) / Math.sqrt(4 + 1e-5), (0 + 2) / Math.sqrt(0.25 + 1e-5)];
    expect(Array.from(y.dataSync()).map((v, i) => Math.abs(v - (expected[i] as number)))).toEqual([
      expect.closeTo(0, 5),
      expect.closeTo(0, 5),
    ]);
    expect(() =>
      convBnAct('op', { kernelSize: 1, filters: 1, norm: { affine: false, zeroInit: true } })(input({ shape: [2, 2, 1] })),
    ).toThrow(/zeroInit sets the learned scale, which affine: false leaves out/);
  });

  test('keeps the conv bias with a norm only when asked (torchvision VGG-BN)', () => {
    const m = built([4, 4, 2], convBnAct('c', { filters: 2, kernelSize: 3, useBias: true }));
    expect(m.getLayer('c.conv').getConfig().useBias).toBe(true);
  });
});

describe('convBnAct convolution layer', () => {
  test("uses tfjs's own Conv2D where TensorFlow pads as PyTorch does, convkit's Conv2d where it does not", () => {
    const unit = (options: Parameters<typeof convBnAct>[1]) => built([8, 8, 4], convBnAct('u', options)).getLayer('u.conv').getClassName();
    expect(unit({ filters: 4, kernelSize: 3 })).toBe('Conv2D');
    expect(unit({ filters: 4, kernelSize: 1, strides: 2 })).toBe('Conv2D');
    expect(unit({ filters: 4, kernelSize: 3, strides: 2 })).toBe('convkit.Conv2d');
    expect(unit({ filters: 4, kernelSize: 3, dilation: 2 })).toBe('convkit.Conv2d');
    expect(unit({ filters: 4, kernelSize: 3, groups: 2 })).toBe('convkit.Conv2d');
    expect(unit({ kernelSize: 3, conv: 'depthwise' })).toBe('DepthwiseConv2D');
    expect(unit({ kernelSize: 3, strides: 2, conv: 'depthwise' })).toBe('convkit.DepthwiseConv2d');
  });

  test.each([
    ['3x3 stride 1 padded 1', 3, 1, 'standard'],
    ['1x1 stride 2 unpadded', 1, 2, 'standard'],
    ['depthwise 3x3 stride 1 padded 1', 3, 1, 'depthwise'],
  ] as const)("tfjs's own layer computes PyTorch's %s convolution as convkit's does", (_, kernelSize, strides, conv) => {
    const stock = built([7, 7, 4], convBnAct('u', { filters: 4, kernelSize, strides, conv, norm: false, activation: null }));
    expect(stock.getLayer('u.conv').getClassName()).not.toMatch(/^convkit/);
    const geometry = { kernelSize, strides, padding: (kernelSize - 1) / 2 };
    const exact = conv === 'depthwise' ? new DepthwiseConv2d(geometry) : new Conv2d({ ...geometry, filters: 4 });
    const x = tf.randomNormal([2, 7, 7, 4], 0, 1, 'float32', 3);
    exact.apply(x);
    exact.setWeights(stock.getLayer('u.conv').getWeights());
    const a = (stock.predict(x) as tf.Tensor).dataSync();
    const b = (exact.apply(x) as tf.Tensor).dataSync();
    expect(a.length).toBe(b.length);
    expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - (b[i] as number))))).toBeLessThan(1e-5);
  });

  test('without a norm, fuses an activation tfjs applies identically into the convolution, and keeps others as a layer', () => {
    const fused = built(
      [6, 6, 2],
      convBnAct('c1', { filters: 3, kernelSize: 5, padding: 'valid', norm: false, activation: 'tanh', names: { conv: 'c1' } }),
    );
    expect(layerRows(fused)).toEqual([['c1', 'Conv2D']]);
    expect(fused.getLayer('c1').getConfig()).toMatchObject({ activation: 'tanh', useBias: true });
    const separate = built([6, 6, 2], convBnAct('c', { filters: 3, kernelSize: 3, norm: false, activation: 'hardswish' }));
    expect(layerRows(separate)).toEqual([
      ['c.conv', 'Conv2D'],
      ['c.act', 'convkit.Activation'],
    ]);
  });

  test('applied twice, a unit reuses its layers and so shares its weights', () => {
    const unit = convBnAct('shared', { filters: 2, kernelSize: 3 });
    const x = input({ shape: [5, 5, 2] });
    const m = model({ inputs: x, outputs: unit(unit(x)) });
    expect(m.layers).toHaveLength(4);
    expect(m.countParams()).toBe(3 * 3 * 2 * 2 + 4 * 2);
  });

  test("draws torchvision's He normal fan-out weights and Keras's Glorot uniform ones, as the family states", () => {
    const he = built([4, 4, 32], convBnAct('he', { filters: 64, kernelSize: 3, kernelInitializer: WEIGHT_INITS.torchvision.conv }));
    const heKernel = he.getLayer('he.conv').getWeights()[0] as tf.Tensor;
    expect(std(heKernel) / Math.sqrt(2 / (64 * 9))).toBeCloseTo(1, 1);
    const glorot = built([4, 4, 32], convBnAct('g', { filters: 64, kernelSize: 3, kernelInitializer: WEIGHT_INITS.keras.conv }));
    const bound = Math.sqrt(6 / ((32 + 64) * 9));
    const glorotKernel = glorot.getLayer('g.conv').getWeights()[0] as tf.Tensor;
    expect(tf.max(tf.abs(glorotKernel)).dataSync()[0]).toBeLessThanOrEqual(bound);
    expect(tf.max(tf.abs(glorotKernel)).dataSync()[0]).toBeGreaterThan(0.95 * bound);
  });
});

describe('classifierHead', () => {
  test("pools globally, drops out before the logits and names each layer as torchvision's MobileNetV2", () => {
    const m = built([4, 4, 64], (x) =>
      classifierHead(x, {
        globalPool: 'avgpool',
        dropout: 0.2,
        logitsDropout: 'classifier.0',
        logitsName: 'classifier.1',
        numClasses: 10,
        kernelInitializer: 'torchUniform',
      }),
    );
    expect(layerRows(m)).toEqual([
      ['avgpool', 'GlobalAveragePooling2D'],
      ['classifier.0', 'Dropout'],
      ['classifier.1', 'Dense'],
    ]);
    expect(m.getLayer('classifier.0').getConfig().rate).toBe(0.2);
    const kernel = m.getLayer('classifier.1').getWeights()[0] as tf.Tensor;
    // PyTorch's nn.Linear default: uniform within 1/sqrt(fan_in).
    expect(tf.max(tf.abs(kernel)).dataSync()[0]).toBeLessThanOrEqual(1 / 8);
    expect(tf.max(tf.abs(kernel)).dataSync()[0]).toBeGreaterThan(0.95 / 8);
  });

  test('puts hidden dropouts after or before their layer, and none at rate 0', () => {
    const head = (dropout: number, dropoutPlacement: 'before' | 'after') =>
      built([16], (x) =>
        classifierHead(x, {
          hidden: [{ name: 'fc6', units: 8 }],
          dropout,
          dropoutPlacement,
          logitsName: 'fc7',
          numClasses: 3,
          kernelInitializer: 'glorotUniform',
        }),
      )
        .layers.slice(1)
        .map((l) => l.name);
    expect(head(0.5, 'after')).toEqual(['fc6', 'fc6.dropout', 'fc7']);
    expect(head(0.5, 'before')).toEqual(['fc6.dropout', 'fc6', 'fc7']);
    expect(head(0, 'after')).toEqual(['fc6', 'fc7']);
  });
});

describe('width and input options', () => {
  test.each([
    [24, 8, 24],
    [5.6, 8, 8],
    [33.6, 8, 32],
    [12, 8, 16],
    [37, 8, 40],
    [11, 8, 16],
    [100, 8, 104],
    [3, 8, 8],
    [15, 4, 16],
  ])("makeDivisible(%d, %d) is torchvision's _make_divisible value %d", (value, divisor, expected) => {
    expect(makeDivisible(value, divisor)).toBe(expected);
  });

  test("makeDivisible with roundLimit 0 is timm's squeeze-excitation rounding, which never adds a divisor back", () => {
    // 11 rounds to 8, 27% below: the default 10% rule adds 8, timm's SE rounding (round_limit=0) does not.
    expect([makeDivisible(11, 8, 8, 0), makeDivisible(11, 8)]).toEqual([8, 16]);
    expect(makeDivisible(4, 8, 8, 0)).toBe(8);
  });

  test('makeDivisible adds a divisor back only when the rounding lost strictly more than the limit allows', () => {
    // 10 rounds to 8, exactly 0.8 of it: at roundLimit 0.8 that is within the limit, so 8 stays.
    expect([makeDivisible(10, 8, 8, 0.8), makeDivisible(10, 8, 8, 0.81)]).toEqual([8, 16]);
  });

  test('scaleWidth rounds and never goes below one; drop-path rates rise linearly to the last block', () => {
    expect([scaleWidth(64, 1 / 16), scaleWidth(6, 1 / 16), scaleWidth(10, 0.25)]).toEqual([4, 1, 3]);
    expect([0, 1, 2, 3].map((i) => dropPathRate(0.3, i, 4))).toEqual([0, expect.closeTo(0.1, 12), expect.closeTo(0.2, 12), 0.3]);
    expect(widthMultiplierOption.safeParse(0).success).toBe(false);
    expect(dropoutOption(0.5).parse(undefined)).toBe(0.5);
    expect(dropoutOption(0.5).safeParse(1).success).toBe(false);
  });

  test('a lone block drops at the full rate, and the drop-path option takes rates in [0, 1)', () => {
    expect(dropPathRate(0.3, 0, 1)).toBe(0.3);
    expect([0, 0.2].map((rate) => dropPathOption.parse(rate))).toEqual([0, 0.2]);
    expect([-0.1, 1].map((rate) => dropPathOption.safeParse(rate).success)).toEqual([false, false]);
    expect(dropPathOption.parse(undefined)).toBe(0);
  });

  test('requireInputAtLeast is a ConvkitError naming the minimum, the reason and the size seen', () => {
    let thrown: unknown;
    try {
      requireInputAtLeast('resnet20', [7, 9, 3], 8, 'two stride-2 stages');
    } catch (error) {
      thrown = error;
    }
    expect(isConvkitError(thrown) && thrown.code).toBe('input-too-small');
    expect((thrown as Error).message).toBe(
      'resnet20 needs an input of at least 8x8 pixels (two stride-2 stages), got 7x9; pass a larger inputShape, e.g. [8, 8, 3]',
    );
    expect(() => requireInputAtLeast('resnet20', [8, 8, 3], 8, 'two stride-2 stages')).not.toThrow();
    expect(() => requireInputAtLeast('resnet20', [9, 7, 3], 8, 'two stride-2 stages')).toThrow('got 9x7');
  });
});
