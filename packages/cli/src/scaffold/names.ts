import { ConvkitError } from '@convkit/core';

/** The spellings a scaffold needs of one name: `acme-nets` → `acmeNets`, `AcmeNets`. */
export interface ScaffoldNames {
  /** Lowercase kebab-case, as npm packages and convkit architectures are named. */
  kebab: string;
  camel: string;
  pascal: string;
}

/** Checks a scaffold name (lowercase kebab-case, optionally an npm scope) and derives its spellings. */
export function scaffoldNames(name: string): ScaffoldNames {
  const bare = name.replace(/^@[a-z0-9-]+\//, '');
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(bare)) {
    throw new ConvkitError('bad-name', `"${name}" is not a lowercase kebab-case name; use one like acme-nets (or @acme/nets for a plugin)`);
  }
  const camel = bare.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return { kebab: bare, camel, pascal: camel.charAt(0).toUpperCase() + camel.slice(1) };
}
