/**
 * Node module-resolution hooks (registered by `bin/run.js` with `module.register`) that give every
 * plugin the host CLI's one copy of tfjs and of convkit's packages. A plugin installed or linked with
 * its own `node_modules` (npm installs peer dependencies too) would otherwise load a second
 * tfjs-core: it prints "Platform node has already been set" on every command, and its tensors,
 * layers and kernels are invisible to the host's engine.
 */

/** Packages that must be one instance per process. */
const SHARED = /^(@tensorflow\/tfjs(-core|-layers|-backend-cpu|-backend-wasm|-node|-node-gpu)?|@convkit\/[a-z-]+)(\/.*)?$/;

interface ResolveContext {
  parentURL?: string;
  conditions: string[];
}

type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

let hostURL: string | undefined;

/** Receives the URL to resolve shared packages from (the CLI's own entry point). */
export async function initialize(data: { hostURL: string }): Promise<void> {
  hostURL = data.hostURL;
}

/** Resolves a shared package as if the CLI imported it; everything else resolves as usual. */
export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<{ url: string }> {
  if (hostURL && SHARED.test(specifier) && context.parentURL && !context.parentURL.startsWith(hostPackageRoot())) {
    try {
      return await nextResolve(specifier, { ...context, parentURL: hostURL });
    } catch {
      // The host lacks it (e.g. an optional backend): the plugin's own copy is all there is.
    }
  }
  return nextResolve(specifier, context);
}

function hostPackageRoot(): string {
  return new URL('..', hostURL).href;
}
