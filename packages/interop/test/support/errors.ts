import { isConvkitError } from '@convkit/core';
import { expect } from 'vitest';

function check(error: unknown, reason: RegExp): void {
  expect(isConvkitError(error), `expected a ConvkitError, got ${String(error)}`).toBe(true);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  expect(message).toMatch(reason);
}

/**
 * Asserts that `action` (a function or a promise) fails with a one-line ConvkitError matching `reason`.
 * Returns a promise when given one.
 */
export function expectOneLineError(action: (() => unknown) | Promise<unknown>, reason: RegExp): undefined | Promise<void> {
  if (typeof action === 'function') {
    let thrown: unknown;
    try {
      action();
    } catch (error) {
      thrown = error;
    }
    expect(thrown, 'expected a throw').toBeDefined();
    check(thrown, reason);
    return undefined;
  }
  return action.then(
    () => {
      throw new Error(`expected a rejection matching ${reason}`);
    },
    (error: unknown) => check(error, reason),
  );
}
