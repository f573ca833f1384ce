import { afterEach, describe, expect, it, vi } from 'vitest';
import { BACKEND_LOADERS } from '../src/backend/backend-loaders.js';
import { ConvkitError } from '../src/errors.js';
import { SKIP_TEST_BACKENDS_ENV, TEST_BACKENDS_ENV, testBackends } from '../src/testing/backends.js';

const saved = { test: process.env[TEST_BACKENDS_ENV], skip: process.env[SKIP_TEST_BACKENDS_ENV], cuda: process.env.CUDA_VISIBLE_DEVICES };
const restore = (name: string, value: string | undefined) => {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
};

afterEach(() => {
  vi.restoreAllMocks();
  restore(TEST_BACKENDS_ENV, saved.test);
  restore(SKIP_TEST_BACKENDS_ENV, saved.skip);
  restore('CUDA_VISIBLE_DEVICES', saved.cuda);
});

/** The message of the one-line ConvkitError `pending` rejects with. */
async function expectOneLine(pending: Promise<unknown>): Promise<string> {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConvkitError);
  expect((error as ConvkitError).code).toBe('test-backend-unavailable');
  expect((error as ConvkitError).message).not.toContain('\n');
  return (error as ConvkitError).message;
}

const unavailable = (name: 'tensorflow' | 'wasm') =>
  vi.spyOn(BACKEND_LOADERS[name], 'probe').mockResolvedValue({ available: false, reason: `${name} broke here`, fix: 'reinstall it' });

describe('the test backend matrix', () => {
  it('is tensorflow, wasm and cpu, the backends CI provisions', async () => {
    delete process.env[TEST_BACKENDS_ENV];
    delete process.env[SKIP_TEST_BACKENDS_ENV];
    delete process.env.CUDA_VISIBLE_DEVICES;
    expect(await testBackends()).toEqual(['tensorflow', 'wasm', 'cpu']);
  });

  it.each(['tensorflow', 'wasm'] as const)('fails, naming %s and the way out, when it does not load', async (name) => {
    delete process.env[TEST_BACKENDS_ENV];
    delete process.env[SKIP_TEST_BACKENDS_ENV];
    unavailable(name);
    const message = await expectOneLine(testBackends());
    expect(message).toContain(`needs ${name}, which does not load: ${name} broke here; reinstall it`);
    expect(message).toContain(`${SKIP_TEST_BACKENDS_ENV}=${name}`);
  });

  it('leaves out a backend named in CONVKIT_TEST_SKIP_BACKENDS, and says so on stderr', async () => {
    delete process.env[TEST_BACKENDS_ENV];
    process.env[SKIP_TEST_BACKENDS_ENV] = 'tensorflow';
    unavailable('tensorflow');
    const stderr = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    expect(await testBackends()).toEqual(['wasm', 'cpu']);
    expect(stderr.mock.calls.flat().join('')).toContain(`backend matrix: tensorflow skipped, as ${SKIP_TEST_BACKENDS_ENV}=tensorflow asks`);
  });

  it('runs on exactly the backends CONVKIT_TEST_BACKENDS names, each of which must load', async () => {
    process.env[TEST_BACKENDS_ENV] = 'cpu';
    expect(await testBackends()).toEqual(['cpu']);
    process.env[TEST_BACKENDS_ENV] = 'wasm,cpu';
    unavailable('wasm');
    expect(await expectOneLine(testBackends())).toContain('needs wasm');
  });

  it('refuses an empty matrix', async () => {
    process.env[TEST_BACKENDS_ENV] = 'cpu';
    process.env[SKIP_TEST_BACKENDS_ENV] = 'cpu';
    vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    expect(await expectOneLine(testBackends())).toContain('the test backend matrix is empty');
  });
});
