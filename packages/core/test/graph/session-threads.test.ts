import { describe, expect, it } from 'vitest';
import { BACKEND_LOADERS } from '../../src/backend/backend-loaders.js';
import { limitSessionOpConcurrency, SESSION_INTER_OP_THREADS } from '../../src/index.js';
import { describeGraphEngine } from '../../src/testing/index.js';

describe('limitSessionOpConcurrency', () => {
  it('runs sessions one op at a time when TF_NUM_INTEROP_THREADS is unset', () => {
    const env: NodeJS.ProcessEnv = {};
    limitSessionOpConcurrency(env);
    expect(SESSION_INTER_OP_THREADS).toBe('1');
    expect(env.TF_NUM_INTEROP_THREADS).toBe('1');
  });

  it("keeps the user's own TF_NUM_INTEROP_THREADS", () => {
    const env: NodeJS.ProcessEnv = { TF_NUM_INTEROP_THREADS: '4' };
    limitSessionOpConcurrency(env);
    expect(env.TF_NUM_INTEROP_THREADS).toBe('4');
  });
});

// Two bfloat16 filter gradients at once deadlock oneDNN's barrier (see session-threads.ts), and
// libtensorflow reads the limit when tfjs-node loads: loading the backend must set it first.
await describeGraphEngine('the graph engine on %s', () => {
  it('loading the tensorflow backend limits its sessions to one op at a time', async () => {
    const before = process.env.TF_NUM_INTEROP_THREADS;
    delete process.env.TF_NUM_INTEROP_THREADS;
    try {
      await BACKEND_LOADERS.tensorflow.activate();
      expect(process.env.TF_NUM_INTEROP_THREADS).toBe(SESSION_INTER_OP_THREADS);
    } finally {
      if (before === undefined) delete process.env.TF_NUM_INTEROP_THREADS;
      else process.env.TF_NUM_INTEROP_THREADS = before;
    }
  });
});
