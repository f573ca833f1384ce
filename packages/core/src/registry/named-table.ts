import { ConvkitError } from '../errors.js';
import { closestNames } from './suggest.js';

/** An entry of a {@link NamedTable}: the contributed value and the plugin that contributed it. */
export interface Contribution<T> {
  value: T;
  plugin: string;
}

/**
 * Name → contribution map for one kind of thing (architectures, layers, ...) that refuses a second
 * contribution under a taken name and answers unknown names with the closest known ones.
 */
export class NamedTable<T> {
  private readonly entries = new Map<string, Contribution<T>>();

  /** @param kind singular noun used in messages, e.g. `architecture`. */
  constructor(private readonly kind: string) {}

  /** Adds `value` under `name`; a name already taken by another value is an error naming both plugins. */
  add(name: string, value: T, plugin: string): void {
    const existing = this.entries.get(name);
    if (existing && existing.value !== value) {
      throw new ConvkitError(
        `${this.kind}-clash`,
        `${this.kind} "${name}" is provided by both "${existing.plugin}" and "${plugin}"; uninstall one of them or rename the ${this.kind} in your plugin`,
      );
    }
    this.entries.set(name, { value, plugin });
  }

  /** The contribution named `name`, or a {@link ConvkitError} listing the closest known names. */
  get(name: string): Contribution<T> {
    const entry = this.entries.get(name);
    if (entry) return entry;
    const close = closestNames(name, this.entries.keys());
    const hint = close.length > 0 ? `did you mean ${close.map((n) => `"${n}"`).join(', ')}?` : `known: ${this.describeKnown()}`;
    throw new ConvkitError(`unknown-${this.kind}`, `unknown ${this.kind} "${name}"; ${hint} (list them with \`convkit models list\`)`);
  }

  /** Whether `name` is registered. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Removes `name` (no-op when absent); `Registry.use` takes back the entries of a plugin it refused. */
  remove(name: string): void {
    this.entries.delete(name);
  }

  /** All contributions, in registration order. */
  list(): (Contribution<T> & { name: string })[] {
    return [...this.entries].map(([name, entry]) => ({ name, ...entry }));
  }

  private describeKnown(): string {
    const names = [...this.entries.keys()];
    if (names.length === 0) return 'none registered yet (is the plugin installed and `registry.use`d?)';
    return names.slice(0, 10).join(', ') + (names.length > 10 ? ', ...' : '');
  }
}
