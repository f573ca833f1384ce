import { type BackendName, initBackend } from '@convkit/core';
import { testBackends } from '@convkit/core/testing';
import { beforeAll, describe } from 'vitest';

const backends = await testBackends();

/** Runs `body` once per backend that loads here (cpu and wasm at least), with that backend active. */
export function onEachBackend(body: (backend: BackendName) => void): void {
  describe.each(backends)('on %s', (backend) => {
    beforeAll(async () => {
      await initBackend(backend);
    });
    body(backend);
  });
}
