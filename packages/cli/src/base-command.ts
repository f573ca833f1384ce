import {
  BACKEND_ORDER,
  type BackendReport,
  closestNames,
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

/**
 * The backend line: which backend runs and, when faster ones were skipped, that they were, with the
 * reasons only under --verbose (`convkit doctor` gives them too), so the line fits a terminal.
 */
export function backendLine(report: BackendReport, verbose: boolean): string {
  if (verbose) return describeBackend(report);
  const skipped = report.attempts.filter((a) => !a.ok).map((a) => a.backend);
  const line = `backend ${report.backend} on ${report.device}`;
  return skipped.length > 0 ? `${line} (${skipped.join(', ')} unavailable: --verbose or \`convkit doctor\` says why)` : line;
}

/**
 * oclif's parse errors in one line: the reason without its "See more help" tail, a flag-value
 * error as the ConvkitError the flag's parser threw, and an unknown flag with the closest known ones.
 */
export function parseErrorLine(error: Error & { flags?: string[] }, knownFlags: string[]): string {
  const wrapped = /^Parsing --\S+ \n\t([\s\S]*?)\nSee more help with --help$/.exec(error.message);
  if (wrapped) return wrapped[1] as string;
  const first = error.message
    .replace(/\nSee more help with --help$/, '')
    .replace(/^The following errors? occurred:/, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('; ')
    .replace(':;', ':');
  if (Array.isArray(error.flags) && error.flags.length > 0) {
    const hints = error.flags.flatMap((given) =>
      closestNames(given.replace(/^-+/, '').split('=')[0] as string, knownFlags).map((n) => `--${n}`),
    );
    return `${first}${hints.length > 0 ? `; did you mean ${[...new Set(hints)].join(', ')}?` : ''} (see --help)`;
  }
  return `${first} (see --help)`;
}

let exitsWithParent = false;

/**
 * A command started by a sweep's trial runner (which opens an IPC channel and sets
 * `CONVKIT_EXIT_WITH_PARENT=1`) ends when that channel closes, as it does when the runner dies,
 * even by SIGKILL, so no orphaned training races the worker that takes the trial over; checkpoints
 * are written atomically, so the trial continues from the last. Other IPC parents (test runners
 * calling commands in-process) are left alone.
 */
function exitWithParent(): void {
  if (exitsWithParent || !process.channel || process.env.CONVKIT_EXIT_WITH_PARENT !== '1') return;
  exitsWithParent = true;
  process.channel.unref();
  process.once('disconnect', () => process.exit(137));
}

/** Flags every convkit command takes. */
export const baseFlags = {
  backend: Flags.string({
    description: `compute backend: auto (${BACKEND_ORDER.join(' > ')}) or one of them; overrides CONVKIT_BACKEND`,
    helpGroup: 'GLOBAL',
    options: ['auto', ...BACKEND_ORDER],
  }),
  verbose: Flags.boolean({
    description: 'print stack traces of errors and why faster backends were skipped',
    helpGroup: 'GLOBAL',
    default: false,
  }),
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
    exitWithParent();
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

  /** Says on stderr which backend runs, and that faster ones were skipped (never silently slower). */
  protected readonly reportBackend = (report: BackendReport): void => {
    if (!this.jsonEnabled()) this.logToStderr(backendLine(report, this.verbose()));
  };

  /** A warning on stderr, even under --json: it is about the data, not the data itself. */
  protected readonly reportWarning = (message: string): void => {
    printError(`convkit: warning: ${message}`);
  };

  private verbose(): boolean {
    return this.flags?.verbose ?? this.argv.includes('--verbose');
  }

  /** The registry of every installed plugin; failed plugins are reported as warnings. */
  protected async registry(): Promise<LoadedRegistry> {
    const loaded = await loadRegistry(this.config);
    // stderr even under --json: a missing plugin explains a missing architecture.
    for (const failure of loaded.failures) printError(`convkit: warning: plugin ${failure.plugin} failed to register: ${failure.reason}`);
    return loaded;
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number }; parse?: unknown }): Promise<unknown> {
    // An exit on purpose (this.exit) is no error to report.
    if (error instanceof Error && error.name === 'ExitError') return super.catch(error);
    const knownFlags = Object.keys({ ...this.ctor.flags, ...(this.ctor as typeof ConvkitCommand).baseFlags, json: true });
    // A flag parser's ConvkitError comes back with oclif's "Parsing --flag" wrapped around its message.
    const isParseError =
      error instanceof Error && (error.message.startsWith('Parsing --') || (!isConvkitError(error) && error.parse !== undefined));
    // Typed as an Error, but oclif passes on whatever the command threw.
    const message = isParseError ? parseErrorLine(error, knownFlags) : errorLine(error);
    if (this.jsonEnabled()) this.logJson({ error: { code: isConvkitError(error) ? error.code : 'internal', message } });
    printError(`convkit: ${message}`);
    if (this.verbose() && error instanceof Error && error.stack) printError(error.stack);
    return this.exit(1);
  }
}
