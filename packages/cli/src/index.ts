/**
 * @convkit/cli: the `convkit` command line. Library exports are for plugin authors and tests.
 * @packageDocumentation
 */
export { baseFlags, ConvkitCommand } from './base-command.js';
export { type Column, formatCount, formatSi, renderTable } from './format.js';
export { type LoadedRegistry, loadRegistry, type PluginFailure, REGISTER_TIMEOUT_MS } from './load-registry.js';
export { parseInputShape } from './parse-input.js';
export { REGISTER_HOOK } from './register-hook.js';
