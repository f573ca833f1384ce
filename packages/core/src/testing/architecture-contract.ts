import * as tf from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWithZeroWeights } from '../analysis/cheap-build.js';
import { summarizeModel } from '../analysis/model-summary.js';
import type { BackendName } from '../backend/backend-name.js';
import { initBackend } from '../backend/init-backend.js';
import type { InputShape } from '../registry/architecture.js';
import type { Registry } from '../registry/registry.js';
import { createRng } from '../rng.js';
import { withSeededMathRandom } from '../seeded-math-random.js';
import { testBackends } from './backends.js';
import { outputShapes } from './model-shapes.js';
import { lossBeforeAndAfterOneStep } from './training-step.js';

/** Options of {@link describeArchitectureContract}. */
export interface ArchitectureContractOptions {
  /**
   * A small but complete form of every architecture the registry holds, by name: thin widths and a
   * small input, without dropout (so the loss before and after the training step is one function).
   * Its `inputShape` is also the "other" input size the full-width model must build at. An
   * architecture without an entry fails the contract, so a new one is covered the day it is registered.
   */
  tiny: Record<string, Record<string, unknown>>;
  /** Only the architectures of this plugin (a package's own test); default every registered one. */
  plugin?: string;
  /** Backends of the training step; default `testBackends()`. */
  backends?: BackendName[];
  /**
   * Architectures too deep to take a training step on every backend within the default test run
   * (thousands of layers, tens of seconds a step): they step on the first backend only.
   */
  firstBackendOnly?: string[];
}

/** The model's outputs on `x` in inference mode, flattened. */
function predictions(model: LayersModel, x: tf.Tensor): Float32Array[] {
  return tf.tidy(() => {
    const out = model.predict(x) as tf.Tensor | tf.Tensor[];
    return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
  });
}

/** Saves `model` to memory in the tfjs LayersModel format and loads it back, weights included. */
async function roundTrip(model: LayersModel): Promise<LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
}

/**
 * The contract every registered architecture keeps, as vitest suites (timm's `test_models.py` over
 * `list_models()`): it builds at its default input and at its tiny form's input, with one output of
 * `numClasses` values per head; its trainable parameters equal `reference.params` where the spec gives
 * them; its tiny form survives a save/load round trip with identical outputs (its layer classes
 * registered); and one SGD step on a random batch lowers the tiny form's loss on every backend.
 * Call it at the top level of a test file, after the registry holds the plugins under test.
 */
export async function describeArchitectureContract(registry: Registry, options: ArchitectureContractOptions): Promise<void> {
  const specs = registry.architectures
    .list()
    .filter((entry) => options.plugin === undefined || entry.plugin === options.plugin)
    .map((entry) => entry.value);
  const names = specs.map((spec) => spec.name);
  const backends = options.backends ?? (await testBackends());

  // the build and round-trip checks need some backend; the training step switches per backend.
  beforeAll(async () => {
    await initBackend((backends[0] ?? 'cpu') as BackendName);
  });

  it('has a tiny form for every registered architecture, and none for an unregistered one', () => {
    expect(Object.keys(options.tiny).sort()).toEqual([...names].sort());
  });

  describe.each(specs.filter((spec) => options.tiny[spec.name]))('$name', (spec) => {
    const tiny = options.tiny[spec.name] as Record<string, unknown>;
    const classes = (opts: unknown) => registry.resolveOptions(spec, opts).numClasses;

    it(`builds at its default input ${spec.defaultInput.join('x')} with the published parameter count, and at its tiny input`, () => {
      const full = buildWithZeroWeights(() => registry.create(spec.name));
      try {
        expect(full.inputs[0]?.shape.slice(1)).toEqual(spec.defaultInput);
        for (const shape of outputShapes(full)) expect(shape).toEqual([classes({})]);
        if (spec.reference?.params !== undefined) expect(summarizeModel(full).totals.trainableParams).toBe(spec.reference.params);
      } finally {
        full.dispose();
      }
      const inputShape = (tiny.inputShape as InputShape | undefined) ?? spec.defaultInput;
      const other = buildWithZeroWeights(() => registry.create(spec.name, { inputShape, numClasses: 7 }));
      try {
        expect(other.inputs[0]?.shape.slice(1)).toEqual(inputShape);
        for (const shape of outputShapes(other)) expect(shape).toEqual([7]);
      } finally {
        other.dispose();
      }
    });

    it('survives a save/load round trip of its tiny form with identical outputs', async () => {
      const model = registry.create(spec.name, tiny);
      const [, ...shape] = (model.inputs[0] as { shape: number[] }).shape;
      const x = tf.randomNormal([2, ...shape], 0, 1, 'float32', 5);
      try {
        const restored = await roundTrip(model);
        expect(restored.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
        expect(predictions(restored, x)).toEqual(predictions(model, x));
        restored.dispose();
      } finally {
        x.dispose();
        model.dispose();
      }
    });

    const stepBackends = options.firstBackendOnly?.includes(spec.name) ? backends.slice(0, 1) : backends;
    describe.each(stepBackends)('on %s', (backend) => {
      beforeAll(async () => {
        await initBackend(backend as BackendName);
      });

      it('lowers its loss with one SGD step on a random batch', async () => {
        // Seeded weights: an unlucky random initialization of a very deep tiny form can leave one
        // step's loss flat, which would make the claim flaky rather than wrong.
        const model = withSeededMathRandom(createRng(1), () => registry.create(spec.name, tiny));
        try {
          const [before, after] = await lossBeforeAndAfterOneStep(model);
          expect(after).toBeLessThan(before);
        } finally {
          model.dispose();
        }
      });
    });
  });
}
