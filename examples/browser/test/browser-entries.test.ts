import { build, type Message } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** The library packages whose import in a page must resolve to code that runs there. */
const BROWSER_PACKAGES = [
  '@convkit/core',
  '@convkit/layers',
  '@convkit/arch-classic',
  '@convkit/arch-modern',
  '@convkit/attention',
  '@convkit/train',
];

interface Unresolved {
  specifier: string;
  importer: string;
}

/**
 * Bundles `source` for a browser as a page's bundler would, with no configuration: esbuild resolves
 * the `browser`/`default` export conditions and the packages' `browser` field (which is how tfjs maps
 * its own guarded Node imports away) and cannot resolve a Node built-in, which it reports.
 */
async function bundleForBrowser(source: string): Promise<{ unresolved: Unresolved[]; inputs: string[] }> {
  try {
    const result = await build({
      stdin: { contents: source, resolveDir: import.meta.dirname, loader: 'js' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    return { unresolved: [], inputs: Object.keys(result.metafile?.inputs ?? {}) };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!errors) throw error;
    const unresolved = errors.map((e) => ({
      specifier: /Could not resolve "([^"]+)"/.exec(e.text)?.[1] ?? e.text,
      importer: e.location?.file ?? '?',
    }));
    return { unresolved, inputs: [] };
  }
}

describe('browser entries', () => {
  for (const name of BROWSER_PACKAGES) {
    it(`${name} bundles for a browser with no configuration and reaches no Node built-in`, async () => {
      const { unresolved, inputs } = await bundleForBrowser(`import * as m from '${name}'; globalThis.convkitEntry = m;`);
      expect(unresolved.map((u) => `${u.specifier} from ${u.importer}`)).toEqual([]);
      // The package's own code is in the bundle (not silently externalized or tree-shaken away).
      const folder = name.replace('@convkit/', '');
      expect(inputs.some((input) => input.includes(`packages/${folder}/dist/`))).toBe(true);
    });
  }

  it("@convkit/core's node entry does reach Node built-ins, so the check above can fail", async () => {
    const { unresolved } = await bundleForBrowser(
      `import * as m from '../../../packages/core/dist/index.js'; globalThis.convkitEntry = m;`,
    );
    expect(unresolved.map((u) => u.specifier)).toContain('node:fs');
  });
});
