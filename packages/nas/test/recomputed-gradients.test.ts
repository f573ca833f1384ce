import { createRng, initBackend, type SeededRng } from '@convkit/core';
import { testBackends } from '@convkit/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SearchBatch, SearchNetwork, type SearchNetworkConfig } from '../src/index.js';
import { randomBatch } from './support/random-batch.js';
import './support/setup.js';

const CLASSES = 3;

const batch = (seed: number, size: number, side: number) => randomBatch(seed, size, side, CLASSES);

const values = (tensors: tf.Tensor[]) => tensors.map((t) => Array.from(t.dataSync()));
const runningStatistics = (net: SearchNetwork) => values(net.layers.flatMap((l) => l.nonTrainableWeights.map((w) => w.read())));

/** ||a - b|| / ||b|| over all the flattened gradients. */
function relativeError(a: number[][], b: number[][]): number {
  const x = a.flat();
  const y = b.flat();
  const norm = (v: number[]) => Math.sqrt(v.reduce((sum, e) => sum + e * e, 0));
  return norm(x.map((e, i) => e - (y[i] as number))) / norm(y);
}

/** The tape's gradients and the recomputing ones from the same state (running statistics, rng), and the state each leaves. */
function bothWays(net: SearchNetwork, rng: SeededRng, data: SearchBatch) {
  const variables = [...net.weights, ...net.architectureParameters];
  const statistics = net.layers.flatMap((l) => l.nonTrainableWeights);
  const startStatistics = statistics.map((w) => tf.clone(w.read()));
  const startRng = rng.getState();
  const run = (gradients: () => { value: tf.Scalar; gradients: tf.Tensor[] }) => {
    statistics.forEach((w, i) => {
      w.write(startStatistics[i] as tf.Tensor);
    });
    rng.setState(startRng);
    const result = tf.tidy(gradients);
    const out = {
      loss: result.value.dataSync()[0] as number,
      gradients: values(result.gradients),
      statistics: runningStatistics(net),
      rng: rng.getState(),
    };
    tf.dispose([result.value, ...result.gradients]);
    return out;
  };
  const tape = run(() => {
    const { value, grads } = tf.variableGrads(() => net.loss(data), variables);
    return { value, gradients: variables.map((v) => grads[v.name] as tf.Tensor) };
  });
  const recomputed = run(() => net.lossGradients(data, variables));
  tf.dispose(startStatistics);
  return { tape, recomputed };
}

describe.each(await testBackends())('the search network recomputing its cells in the backward pass on %s', (backend) => {
  beforeAll(() => initBackend(backend));

  describe.each<[string, Partial<SearchNetworkConfig>, number]>([
    ['DARTS', { channels: 2 }, 0],
    ['PC-DARTS (partial channels, edge normalization)', { channels: 4, partialChannels: 2, edgeNormalization: true }, 0],
    ['a P-DARTS stage with skip dropout', { channels: 2 }, 0.5],
  ])('%s', (_, options, skipDropout) => {
    let net: SearchNetwork;
    let rng: SeededRng;
    let data: SearchBatch;

    beforeAll(() => {
      rng = createRng(5);
      net = new SearchNetwork({ channels: 2, layers: 3, numClasses: CLASSES, inputShape: [4, 4, 3], ...options }, rng);
      net.skipDropout = skipDropout;
      net.alphas.normal.assign(tf.randomNormal(net.alphas.normal.shape, 0, 0.3, 'float32', 11));
      data = batch(1, 4, 4);
    });

    afterAll(() => {
      net.dispose();
      tf.dispose([data.images, data.labels]);
    });

    it("gives the tape's loss and gradients of every weight and alpha, and moves the running statistics and the rng as one forward pass", () => {
      const { tape, recomputed } = bothWays(net, rng, data);
      expect(recomputed.loss).toBeCloseTo(tape.loss, 6);
      expect(relativeError(recomputed.gradients, tape.gradients)).toBeLessThan(1e-5);
      recomputed.gradients.forEach((g, i) => {
        expect(g.length).toBe(tape.gradients[i]?.length);
      });
      expect(relativeError(recomputed.statistics, tape.statistics)).toBeLessThan(1e-6);
      expect(recomputed.rng).toEqual(tape.rng);
    });
  });
});

describe('the recomputing search network', () => {
  beforeAll(() => initBackend('cpu'));

  it("holds a fraction of the tape's peak tensor memory (C=2, 5 cells, 8x8 images; counted on cpu, as every backend counts)", async () => {
    const net = new SearchNetwork({ channels: 2, layers: 5, numClasses: CLASSES, inputShape: [8, 8, 3] }, createRng(6));
    const data = batch(2, 2, 8);
    const variables = [...net.weights, ...net.architectureParameters];
    const peak = async (gradients: () => tf.TensorContainer) => {
      const before = tf.memory().numBytes;
      const info = await tf.profile(() => {
        tf.dispose(tf.tidy(gradients));
      });
      return info.peakBytes - before;
    };
    const tape = await peak(() => tf.variableGrads(() => net.loss(data), variables).grads);
    const recomputed = await peak(() => net.lossGradients(data, variables).gradients);
    // five cells, one of which is alive at a time in the backward pass
    expect(recomputed).toBeLessThan(0.4 * tape);
    net.dispose();
    tf.dispose([data.images, data.labels]);
  });
});
