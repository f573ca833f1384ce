import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { definePlugin } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { train } from '../src/api/train.js';
import { generateShapes } from '../src/data/shapes.js';
import type { Objective } from '../src/objectives/objective.js';
import { openTeacher } from '../src/objectives/teacher.js';
import { expectOneLineError } from './fixtures/one-line-error.js';
import { testRegistry } from './fixtures/test-registry.js';
import { base, freshOut } from './fixtures/train-options.js';

// The same shapes drawn at 16x16: a teacher trained on them sees the students' 12x12 batches resized.
const largerShapes = {
  name: 'larger-shapes',
  description: 'shapes at 16x16',
  open: async (options: Record<string, unknown>) =>
    generateShapes({ seed: Number(options.seed ?? 0), trainSize: 240, testSize: 80, shape: [16, 16, 1] }),
};
const registry = () => testRegistry().use({ name: 'larger-datasets', datasets: [largerShapes] });
const weights = async (run: string) => JSON.parse(await readFile(join(run, 'model', 'model.json'), 'utf8')).convkit.weightsSha256;
const stepLosses = async (run: string) =>
  (await readFile(join(run, 'metrics.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((e) => e.type === 'step')
    .map((e) => e.loss as number);

let teacher: string;
let largeTeacher: string;
beforeAll(async () => {
  teacher = await freshOut();
  await train(base(teacher, { epochs: 2, lr: 0.02, registry: registry() }));
  largeTeacher = await freshOut();
  await train(base(largeTeacher, { data: 'larger-shapes', epochs: 1, registry: registry() }));
}, 120_000);

describe('knowledge distillation in the trainer', () => {
  it('with --kd-alpha 1 trains exactly as cross-entropy; with 0.1 the teacher changes the run', async () => {
    const plain = await freshOut();
    await train(base(plain, { registry: registry() }));
    const hardOnly = await freshOut();
    await train(base(hardOnly, { teacher, kdAlpha: 1, registry: registry() }));
    expect(await weights(hardOnly)).toBe(await weights(plain));
    const distilled = await freshOut();
    const result = await train(base(distilled, { teacher, kdAlpha: 0.1, kdTemperature: 4, registry: registry() }));
    expect(await weights(distilled)).not.toBe(await weights(plain));
    expect(result.testAccuracy).toBeGreaterThan(0);
    // The logged loss is the distillation loss, not the cross-entropy: different from the plain run's first step.
    expect((await stepLosses(distilled))[0]).not.toBeCloseTo((await stepLosses(plain))[0] as number, 3);
    const state = JSON.parse(
      await readFile(
        join(
          distilled,
          'checkpoints',
          JSON.parse(await readFile(join(distilled, 'checkpoints', 'latest.json'), 'utf8')).folder,
          'trainer-state.json',
        ),
        'utf8',
      ),
    );
    expect(state.config).toMatchObject({ teacher, kdAlpha: 0.1, kdTemperature: 4 });
  });

  it('a teacher of another input size sees the batch resized to its own input, in inference mode', async () => {
    const opened = await openTeacher(largeTeacher, registry(), {
      shape: [12, 12, 1],
      numClasses: 10,
      normalization: { mean: [0.2], std: [0.3] },
    });
    try {
      expect(opened.inputShape).toEqual([16, 16, 1]);
      const saved = JSON.parse(await readFile(join(largeTeacher, 'model', 'convkit-train.json'), 'utf8')).normalization;
      const images = tf.randomNormal([2, 12, 12, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
      const expected = tf.tidy(() => {
        // The student's normalization undone, the teacher's applied, then a half-pixel bilinear resize.
        const pixels = tf.add(tf.mul(images, 0.3), 0.2);
        const own = tf.div(tf.sub(pixels, saved.mean[0]), saved.std[0]) as tf.Tensor4D;
        return tf.image.resizeBilinear(own, [16, 16], false, true);
      });
      const reference = await (await import('../src/api/trained-model.js')).openTrainedModel(largeTeacher, registry());
      const want = reference.model.predict(expected) as tf.Tensor;
      const got = opened.predict(images);
      expect(Math.max(...(await tf.abs(tf.sub(got, want)).data()))).toBeLessThan(1e-5);
      reference.model.dispose();
      // Training through it works end to end.
      const out = await freshOut();
      await train(base(out, { epochs: 1, teacher: largeTeacher, registry: registry() }));
    } finally {
      opened.dispose();
    }
  });

  it('refuses a folder without a model, and a teacher of other classes, in one line each', async () => {
    const missing = await expectOneLineError(
      train(base(await freshOut(), { teacher: '/nonexistent/teacher', registry: registry() })),
      'missing-model',
    );
    expect(missing).toContain('--teacher /nonexistent/teacher');
    const fewer = {
      name: 'five-shapes',
      description: 'shapes with 5 classes',
      open: async () => {
        const all = generateShapes({ seed: 0, trainSize: 100, testSize: 20, shape: [12, 12, 1] });
        const keep = (set: typeof all.train) =>
          set.subset(Array.from({ length: set.size }, (_, i) => i).filter((i) => (set.labels[i] as number) < 5));
        const { LabeledImages } = await import('../src/data/labeled-images.js');
        const relabel = (set: typeof all.train) => new LabeledImages(set.images, set.labels, set.shape, set.classNames.slice(0, 5));
        return { train: relabel(keep(all.train)), test: relabel(keep(all.test)) };
      },
    };
    const message = await expectOneLineError(
      train(base(await freshOut(), { data: 'five-shapes', teacher, registry: registry().use({ name: 'five', datasets: [fewer] }) })),
      'teacher-mismatch',
    );
    expect(message).toContain('predicts 10 classes but the student');
    await expectOneLineError(train(base(await freshOut(), { teacher, objective: 'cross-entropy', registry: registry() })), 'bad-option');
  });

  it("a plugin's registered objective replaces the loss", async () => {
    const calls: number[] = [];
    const halfCrossEntropy = {
      name: 'acme-half',
      description: 'half the cross-entropy of the main output',
      create: (): Objective => ({
        name: 'acme-half',
        loss: (outputs, batch) => {
          calls.push(batch.images.shape[0]);
          return tf.mul(tf.losses.softmaxCrossEntropy(batch.labels, tf.log(outputs[0] as tf.Tensor)), 0.5) as tf.Scalar;
        },
      }),
    };
    const out = await freshOut();
    await train(
      base(out, {
        epochs: 1,
        objective: 'acme-half',
        registry: registry().use(definePlugin({ name: 'acme', objectives: [halfCrossEntropy] })),
      }),
    );
    expect(calls.length).toBe(Math.ceil(216 / 32));
    await expectOneLineError(train(base(await freshOut(), { objective: 'acme-hlaf', registry: registry() })), 'unknown-objective');
  });
});
