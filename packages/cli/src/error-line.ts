/**
 * The first line of what was thrown, for a one-line message. JavaScript can throw anything: a hook or
 * library may throw a string, `undefined`, or an Error without a message.
 */
export function errorLine(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error ?? '');
  return text.split('\n')[0] || 'unknown error';
}
