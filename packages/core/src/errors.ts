/**
 * The one error class convkit throws for anything a user can fix: a wrong shape, an unknown name,
 * a bad option, a corrupted file, a backend that cannot load.
 *
 * The message is a single line that names what was wrong, the value seen, what was expected and
 * the fix, so the CLI can print it alone (no stack trace unless `--verbose`).
 */
export class ConvkitError extends Error {
  /** Machine-readable category, stable across releases (e.g. `unknown-architecture`). */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message.replace(/\s*\n\s*/g, ' '), options);
    this.name = 'ConvkitError';
    this.code = code;
  }
}

/** True when `error` is a {@link ConvkitError}, also across duplicated module instances. */
export function isConvkitError(error: unknown): error is ConvkitError {
  return error instanceof Error && error.name === 'ConvkitError' && 'code' in error;
}

/**
 * The first line of whatever was thrown, for a one-line message: JavaScript can throw anything, and a
 * hook or library may throw a string, `undefined`, or an Error without a message.
 */
export function errorLine(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error ?? '');
  return text.split('\n')[0] || 'unknown error';
}
