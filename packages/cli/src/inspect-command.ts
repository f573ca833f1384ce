import { parseBackendPreference } from '@convkit/core';
import { type InspectionName, type InspectOptions, inspect } from '@convkit/inspect';
import { kinds } from '@convkit/train';
import { type Command, Flags } from '@oclif/core';
import { ConvkitCommand } from './base-command.js';
import { numberFlag } from './flags.js';
import { parseInputShape } from './parse-input.js';
import { parseJsonObject } from './parse-json-object.js';

/** Flags every `convkit inspect` subcommand takes: which model, which layer, where the pictures go. */
export const inspectFlags = {
  model: Flags.string({ description: 'output folder of `convkit train` (or its model/ subfolder)', exclusive: ['arch'] }),
  arch: Flags.string({ description: 'a registered architecture, inspected untrained (seeded initialization)', exclusive: ['model'] }),
  'arch-options': Flags.string({ description: 'options of --arch as JSON, e.g. \'{"shortcut":"none"}\'' }),
  input: Flags.string({ description: "input size of --arch as HxWxC (default: the architecture's)" }),
  layer: Flags.string({ description: 'layer to inspect (names as `convkit models summary` lists them)' }),
  out: Flags.string({ description: 'folder the PNG pictures are written to', required: true }),
  seed: numberFlag({ description: 'seed of --arch initialization and of random inputs', kind: kinds.nonNegativeInteger(), default: 0 }),
};

/** What `convkit inspect <inspection> --json` prints. */
export type InspectJson = Awaited<ReturnType<typeof inspect>>;

/**
 * Base of the `convkit inspect` subcommands: parses the shared flags, runs the named inspection of
 * `@convkit/inspect`, prints the pictures written and the headline numbers (all of them with --json).
 */
export abstract class InspectCommand<T extends typeof Command> extends ConvkitCommand<T> {
  /** The inspection this subcommand runs. */
  protected abstract readonly inspection: InspectionName;

  /** The subcommand's own options from its own flags. */
  protected extraOptions(): Partial<InspectOptions> {
    return {};
  }

  /** Human-readable lines of the result (besides the files). */
  protected abstract headline(result: InspectJson): string[];

  async run(): Promise<InspectJson> {
    const { registry } = await this.registry();
    const flags = this.flags as unknown as Record<string, unknown>;
    const archOptions = {
      ...(flags['arch-options'] === undefined ? {} : parseJsonObject('arch-options', flags['arch-options'] as string)),
      ...(flags.input === undefined ? {} : { inputShape: parseInputShape(flags.input as string) }),
    };
    const result = await inspect(this.inspection, {
      registry,
      ...(this.flags.backend === undefined ? {} : { backend: parseBackendPreference(this.flags.backend) }),
      onBackend: this.reportBackend,
      onWarning: this.reportWarning,
      ...(flags.model === undefined ? {} : { model: flags.model as string }),
      ...(flags.arch === undefined ? {} : { arch: flags.arch as string, archOptions }),
      ...(flags.layer === undefined ? {} : { layer: flags.layer as string }),
      out: flags.out as string,
      seed: flags.seed as number,
      ...this.extraOptions(),
    });
    if (!this.jsonEnabled()) {
      const layer = result.layer ? ` ${result.layer}` : '';
      this.log(`${this.inspection} of ${result.arch}${layer}${result.model ? ` (${result.model})` : ' (untrained)'}`);
      for (const line of this.headline(result)) this.log(`  ${line}`);
      for (const file of result.files) this.log(`wrote ${file}`);
    }
    return result;
  }
}
