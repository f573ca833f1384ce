import { ConvkitError } from '../errors.js';

/**
 * The error to throw for a failed model load from `where`: tfjs names an unregistered layer class in
 * a paragraph about Python ports, so that case becomes a one-line error saying what to register;
 * any other error is returned as it is.
 */
export function explainUnregisteredLayer(error: unknown, where: string): unknown {
  const unknownClass = error instanceof Error ? /^Unknown (?:layer|\w+): (\S+?)\.? /.exec(error.message)?.[1] : undefined;
  if (!unknownClass) return error;
  return new ConvkitError(
    'unregistered-layer',
    `the model in ${where} uses layer class "${unknownClass}", which is not registered; registry.use() the plugin that provides it (convkit's layers: the plugin of @convkit/layers) before loading`,
    { cause: error },
  );
}
