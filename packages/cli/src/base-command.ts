import {
  BACKEND_ORDER,
  type BackendReport,
  describeBackend,
  errorLine,
  initBackend,
  isConvkitError,
  parseBackendPreference,
} from '@convkit/core';
import { Command, Flags, type Interfaces } from '@oclif/core';
import { type LoadedRegistry, loadRegistry } from './load-registry.js';

/** Writes a line to stderr; oclif's logToStderr is muted under --json, but errors must still show. */
function printError(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Flags every convkit command takes. */
export const baseFlags = {
  backend: Flags.string({
    description: `compute backend: auto (${BACKEND_ORDER.join(' > ')}) or one of them; overrides CONVKIT_BACKEND`,
    helpGroup: 'GLOBAL',
    options: ['auto', ...BACKEND_ORDER],
  }),
  verbose: Flags.boolean({ description: 'print stack traces of errors', helpGroup: 'GLOBAL', default: false }),
};

/**
 * Base of every convkit command: shared flags, backend initialisation that says which backend runs,
 * plugin loading that reports failing plugins, and errors printed as one line (stack with --verbose).
 */
export abstract class ConvkitCommand<T extends typeof Command> extends Command {
  static override baseFlags = baseFlags;
  static override enableJsonFlag = true;

  protected flags!: Interfaces.InferredFlags<(typeof ConvkitCommand)['baseFlags'] & T['flags']>;
  protected args!: Interfaces.InferredArgs<T['args']>;

  override async init(): Promise<void> {
    await super.init();
    const { flags, args } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (this.ctor as typeof ConvkitCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as typeof this.flags;
    this.args = args as typeof this.args;
  }

  /** Activates the backend of `--backend` (or CONVKIT_BACKEND, or the automatic order) and says which runs. */
  protected async useBackend(): Promise<BackendReport> {
    const preference = this.flags.backend ? parseBackendPreference(this.flags.backend) : undefined;
    const report = await initBackend(preference);
    this.reportBackend(report);
    return report;
  }

  /** Says on stderr which backend runs and why the ones before it were skipped (never silently slower). */
  protected readonly reportBackend = (report: BackendReport): void => {
    if (!this.jsonEnabled()) this.logToStderr(describeBackend(report));
  };

  /** The registry of every installed plugin; failed plugins are reported as warnings. */
  protected async registry(): Promise<LoadedRegistry> {
    const loaded = await loadRegistry(this.config);
    // stderr even under --json: a missing plugin explains a missing architecture.
    for (const failure of loaded.failures) printError(`convkit: warning: plugin ${failure.plugin} failed to register: ${failure.reason}`);
    return loaded;
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    // oclif's own flag-parsing and exit errors already print the way users expect.
    if (error instanceof Error && !isConvkitError(error) && (error.oclif || error.name === 'ExitError')) return super.catch(error);
    // Typed as an Error, but oclif passes on whatever the command threw.
    const message = errorLine(error);
    if (this.jsonEnabled()) this.logJson({ error: { code: isConvkitError(error) ? error.code : 'internal', message } });
    printError(`convkit: ${message}`);
    if (this.flags?.verbose && error instanceof Error && error.stack) printError(error.stack);
    return this.exit(1);
  }
}
