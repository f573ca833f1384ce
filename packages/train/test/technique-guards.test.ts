import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { DropPathSchedule } from '../src/techniques/drop-path-schedule.js';
import { DynamicLossScaler, type LossScalerState } from '../src/techniques/loss-scaler.js';
import { WeightEma } from '../src/techniques/weight-ema.js';

// The guards of the training techniques: each bad option or corrupted checkpoint state is refused
// with its code and message, and the boundary values just inside are accepted.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The code and message `build` throws, or undefined when it does not throw. */
function refusal(build: () => unknown) {
  try {
    build();
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  return undefined;
}

describe('DynamicLossScaler options', () => {
  const message = (scale: number, growth: number, backoff: number) =>
    `loss scaling needs initialScale > 0, growthFactor > 1 and 0 < backoffFactor < 1; got ${scale}, ${growth}, ${backoff}`;

  it.each([
    [{ initialScale: 0 }, 0, 2, 0.5],
    [{ growthFactor: 1 }, 65536, 1, 0.5],
    [{ backoffFactor: 0 }, 65536, 2, 0],
    [{ backoffFactor: 1 }, 65536, 2, 1],
    [{ initialScale: Number.NaN }, Number.NaN, 2, 0.5],
  ])('refuses %o', (options, scale, growth, backoff) => {
    expect(refusal(() => new DynamicLossScaler(options))).toEqual({ code: 'bad-option', message: message(scale, growth, backoff) });
  });

  it('accepts values just inside the bounds', () => {
    const scaler = new DynamicLossScaler({ initialScale: 1e-30, growthFactor: 1.0001, backoffFactor: 0.999 });
    expect(scaler.scale).toBe(1e-30);
    expect(scaler.update(false)).toBe(false);
    expect(scaler.scale).toBeCloseTo(0.999e-30, 40);
  });
});

describe('DynamicLossScaler checkpoint state', () => {
  const intact: LossScalerState = { scale: 1024, goodSteps: 3, skippedSteps: 1 };

  it.each<[string, unknown]>([
    ['a zero scale', { ...intact, scale: 0 }],
    ['an infinite scale', { ...intact, scale: Number.POSITIVE_INFINITY }],
    ['a string scale', { ...intact, scale: '1024' }],
    ['a negative goodSteps', { ...intact, goodSteps: -1 }],
    ['a fractional goodSteps', { ...intact, goodSteps: 1.5 }],
    ['a missing skippedSteps', { scale: 1024, goodSteps: 3 }],
    ['a negative skippedSteps', { ...intact, skippedSteps: -2 }],
    ['null', null],
  ])('refuses %s', (_, state) => {
    const refused = refusal(() => new DynamicLossScaler({}, state as LossScalerState));
    expect(refused?.code).toBe('corrupted-checkpoint');
    expect(refused?.message).toBe(
      `the checkpoint's loss-scale state ${JSON.stringify(state)} is not {scale > 0, goodSteps >= 0, skippedSteps >= 0}; resume from an intact checkpoint or start a new run`,
    );
  });

  it('continues from an intact state, zero counts included', () => {
    expect(new DynamicLossScaler({}, intact).getState()).toEqual(intact);
    expect(new DynamicLossScaler({}, { scale: 2, goodSteps: 0, skippedSteps: 0 }).scale).toBe(2);
  });
});

describe('WeightEma guards', () => {
  const dense = () => tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1 })] });

  it.each([0, 1, -0.5, Number.NaN])('refuses decay %d', (decay) => {
    expect(refusal(() => new WeightEma(dense(), decay))).toEqual({
      code: 'bad-option',
      message: `EMA decay must be in (0, 1), got ${decay}`,
    });
  });

  it('restores from a view into a larger buffer, and refuses a buffer of the wrong size', async () => {
    const model = dense();
    const ema = new WeightEma(model, 0.5);
    const values = Float32Array.from([1, 2, 3]);
    // The checkpoint's bytes sit at offset 4 of a larger buffer, as a Node Buffer from a file often does.
    const backing = new Uint8Array(4 + values.byteLength + 8);
    backing.set(new Uint8Array(values.buffer), 4);
    ema.restore(backing.subarray(4, 4 + values.byteLength));
    expect((await ema.values()).flatMap((v) => Array.from(v))).toEqual([1, 2, 3]);
    expect(refusal(() => ema.restore(new Uint8Array(new Float32Array(4).buffer)))).toEqual({
      code: 'corrupted-checkpoint',
      message: "the checkpoint's EMA weights hold 4 values, not this model's 3; start a new run",
    });
    ema.dispose();
  });
});

describe('DropPathSchedule guard', () => {
  it('refuses a model without drop-path layers, naming the architecture and the fix', () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1 })] });
    expect(refusal(() => new DropPathSchedule(model, 'lenet5'))).toEqual({
      code: 'bad-option',
      message:
        'lenet5 built no drop-path layers from --drop-path; its builder ignores its dropPath option, so drop --drop-path or choose a residual architecture such as resnet20',
    });
  });
});
