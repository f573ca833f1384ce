import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKEND_ENV, ConvkitError, diagnoseBackends, diagnoseTensorflow, initBackend, parseBackendPreference } from '../src/index.js';

const hasTfjsNode = (await diagnoseTensorflow(false)).available;

describe('initBackend', () => {
  afterEach(() => {
    delete process.env[BACKEND_ENV];
  });

  it('activates the cpu and wasm backends when asked and reports the device', async () => {
    const cpu = await initBackend('cpu');
    expect(cpu).toMatchObject({ backend: 'cpu', tfjsBackend: 'cpu', source: 'argument' });
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await initBackend('wasm');
    expect(wasm.device).toMatch(/WebAssembly/);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('takes CONVKIT_BACKEND when no preference is passed', async () => {
    process.env[BACKEND_ENV] = 'cpu';
    expect(await initBackend()).toMatchObject({ backend: 'cpu', source: 'env' });
  });

  it('picks the first loadable backend in order and says why the ones before it were skipped', async () => {
    const report = await initBackend('auto');
    const skipped = report.attempts.filter((a) => !a.ok).map((a) => a.backend);
    expect(report.backend).toBe(hasTfjsNode ? 'tensorflow' : 'wasm');
    expect(skipped).toContain('tensorflow-gpu');
    for (const attempt of report.attempts.filter((a) => !a.ok)) expect(attempt.reason).toBeTruthy();
  });

  it('refuses a backend that cannot load with the package to install, never falling back', async () => {
    // tfjs-node-gpu is never installed in this repository, so this backend cannot load here.
    process.env[BACKEND_ENV] = 'tensorflow-gpu';
    const before = tf.getBackend();
    await expect(initBackend()).rejects.toThrowError(ConvkitError);
    await expect(initBackend()).rejects.toThrowError(
      /backend "tensorflow-gpu" \(from CONVKIT_BACKEND\) cannot load: @tensorflow\/tfjs-node-gpu is not installed; fix: npm install @tensorflow\/tfjs-node-gpu@4.22.0 /,
    );
    expect(tf.getBackend()).toBe(before);
  });

  it('rejects an unknown backend name listing the valid ones', () => {
    expect(() => parseBackendPreference('cuda')).toThrowError(
      /unknown backend "cuda"; expected one of auto, tensorflow-gpu, tensorflow, wasm, cpu/,
    );
  });
});

describe('diagnoseBackends', () => {
  it('reports every backend with availability, and a reason and fix for the missing ones', async () => {
    const diagnosis = await diagnoseBackends();
    expect(diagnosis.map((d) => d.backend)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
    expect(diagnosis.find((d) => d.backend === 'cpu')).toMatchObject({ available: true, version: '4.22.0' });
    for (const d of diagnosis.filter((x) => !x.available)) {
      expect(d.reason).toMatch(/not installed|not found|cannot/);
      expect(d.fix).toBeTruthy();
    }
  });
});
