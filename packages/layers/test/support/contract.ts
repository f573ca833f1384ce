import { GRADIENT_TOLERANCE, gradientErrors } from '@convkit/core/testing';
import type { layers } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { onEachBackend } from './backends.js';
import { saveAndLoad } from './round-trip.js';
import { declaredAndActualShape } from './shapes.js';

/** What every convkit layer must show, given a way to make it. */
export interface LayerContract {
  /** A fresh, unbuilt layer. */
  make: () => layers.Layer;
  /** Input shapes (batch axis excluded) and the output shapes they must give. */
  shapes: [number[], number[]][];
  /** Gradient check input (batch axis included); omitted for layers without weights or custom gradients. */
  gradientInput?: number[];
  /** Largest accepted relative gradient error; default {@link GRADIENT_TOLERANCE} (1e-3). */
  gradientTolerance?: number;
  /** Central-difference step of this layer's check; default 1e-3 (see {@link GradientCheckOptions.step}). */
  gradientStep?: number;
}

/**
 * Output shapes at several input sizes, a save/load round trip with identical outputs, and (for layers
 * with weights) gradients against central differences on every backend.
 */
export function checkLayerContract(title: string, contract: LayerContract): void {
  describe(title, () => {
    test.each(contract.shapes.map(([input, output]) => [input.join('x'), output.join('x'), input, output] as const))(
      'maps %s to %s and declares it',
      (_, __, input, output) => {
        const { declared, actual } = declaredAndActualShape(contract.make(), input);
        expect(declared).toEqual([2, ...output]);
        expect(actual).toEqual(declared);
      },
    );

    test('survives a save/load round trip with identical outputs', async () => {
      const layer = contract.make();
      const { before, after, loaded } = await saveAndLoad(layer, contract.shapes[0]?.[0] as number[]);
      expect(after).toEqual(before);
      expect(loaded.getClassName()).toBe(layer.getClassName());
      expect(loaded.getConfig()).toEqual(layer.getConfig());
    });
  });
  const gradientInput = contract.gradientInput;
  if (!gradientInput) return;
  onEachBackend(() => {
    test(`${title}: gradients of the input and every weight equal central differences`, () => {
      const errors = gradientErrors(contract.make(), gradientInput, contract.gradientStep ? { step: contract.gradientStep } : {});
      const tolerance = contract.gradientTolerance ?? GRADIENT_TOLERANCE;
      // listing the offending tensors makes a failure say which gradient is wrong and by how much.
      expect(Object.entries(errors).filter(([, error]) => !(error < tolerance))).toEqual([]);
    });
  });
}
