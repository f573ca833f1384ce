import { describe, expect, it } from 'vitest';
import { ConvkitError, convOutputSize, effectiveKernel, samePadding } from '../src/index.js';

describe('convOutputSize', () => {
  it('gives ResNet stem 224 -> 112 for a 7x7 stride-2 conv with 3 zeros each side', () => {
    expect(convOutputSize({ size: 224, kernel: 7, stride: 2, padding: 3 })).toBe(112);
  });

  it("gives AlexNet's 227 -> 55 for 11x11 stride 4 valid", () => {
    expect(convOutputSize({ size: 227, kernel: 11, stride: 4 })).toBe(55);
  });

  it("matches TF 'same': ceil(size / stride) whatever the kernel", () => {
    for (const [size, kernel, stride] of [
      [224, 3, 2],
      [7, 5, 3],
      [32, 1, 1],
      [33, 4, 2],
    ] as const) {
      expect(convOutputSize({ size, kernel, stride, padding: 'same' })).toBe(Math.ceil(size / stride));
    }
  });

  it('counts dilation in the kernel span: 3x3 at dilation 2 spans 5 and shrinks 32 to 28 valid', () => {
    expect(effectiveKernel(3, 2)).toBe(5);
    expect(convOutputSize({ size: 32, kernel: 3, dilation: 2 })).toBe(28);
  });

  it('uses explicit asymmetric padding as given', () => {
    expect(convOutputSize({ size: 10, kernel: 3, stride: 2, padding: [0, 1] })).toBe(5);
  });

  it("rounds up in ceil mode like PyTorch's ceil_mode=True (GoogLeNet 112 -> 56 with 3x3/2)", () => {
    expect(convOutputSize({ size: 112, kernel: 3, stride: 2, ceilMode: true })).toBe(56);
    expect(convOutputSize({ size: 112, kernel: 3, stride: 2 })).toBe(55);
  });

  it('rejects a kernel larger than the padded input with the sizes in the message', () => {
    expect(() => convOutputSize({ size: 4, kernel: 7 })).toThrowError(ConvkitError);
    expect(() => convOutputSize({ size: 4, kernel: 7 })).toThrowError(/kernel 7 .* larger than the padded input 4/);
  });

  it('rejects a non-positive stride', () => {
    expect(() => convOutputSize({ size: 8, kernel: 3, stride: 0 })).toThrowError(/stride must be a positive integer, got 0/);
  });

  it('names each kind of bad geometry with its own error code', () => {
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as ConvkitError).code;
      }
      return 'no error';
    };
    expect(code(() => convOutputSize({ size: 8, kernel: 3, stride: 0 }))).toBe('bad-geometry');
    expect(code(() => convOutputSize({ size: 4, kernel: 7 }))).toBe('kernel-too-large');
  });

  it('accepts a kernel exactly as large as the padded input: one output pixel', () => {
    expect(convOutputSize({ size: 7, kernel: 7 })).toBe(1);
    expect(convOutputSize({ size: 5, kernel: 7, padding: 1 })).toBe(1);
  });
});

describe('samePadding', () => {
  it('puts the odd extra zero after (bottom/right), as TensorFlow does at stride 2', () => {
    expect(samePadding(224, 3, 2)).toEqual([0, 1]);
    expect(samePadding(224, 7, 2)).toEqual([2, 3]);
    expect(samePadding(32, 3, 1)).toEqual([1, 1]);
  });
});
