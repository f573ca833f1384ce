import { isConvkitError } from '@convkit/core';
import { describe, expect, test } from 'vitest';
import { Conv2d } from '../src/index.js';
import './support/setup.js';

/** The error building a 3x3 Conv2d with `kernelInitializer` throws, or undefined when it builds. */
function buildError(kernelInitializer: unknown): unknown {
  try {
    new Conv2d({ filters: 2, kernelSize: 3, kernelInitializer: kernelInitializer as never }).build([null, 5, 5, 1]);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('initializer specs', () => {
  test('an unknown initializer name is a ConvkitError listing the known ones', () => {
    const error = buildError('heUniform');
    expect(isConvkitError(error)).toBe(true);
    expect((error as Error).message).toMatch(/unknown initializer "heUniform"; use 'heNormalFanOut', 'heNormal'/);
  });

  test('a serialized initializer of an unregistered class is a ConvkitError naming the class', () => {
    const error = buildError({ className: 'NoSuchInitializer', config: {} });
    expect(isConvkitError(error)).toBe(true);
    expect((error as Error).message).toMatch(/unknown initializer class "NoSuchInitializer"/);
  });

  test('a serialized tfjs initializer still resolves', () => {
    expect(buildError({ className: 'RandomNormal', config: { mean: 0, stddev: 0.1 } })).toBeUndefined();
  });
});
