import { createRequire } from 'node:module';
import { Args, Flags } from '@oclif/core';
import { ConvkitCommand } from '../base-command.js';
import { SCAFFOLD_KINDS, type ScaffoldKind, type ScaffoldResult, scaffold } from '../scaffold/scaffold.js';

const require = createRequire(import.meta.url);
const versionOf = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;

/** `convkit scaffold project|plugin|architecture NAME`: new code from convkit's templates. */
export default class Scaffold extends ConvkitCommand<typeof Scaffold> {
  static override summary = 'Write a new project, plugin package or architecture file from convkit templates';
  static override description =
    'plugin: an npm package with one architecture family (a config table of variants built from @convkit/layers blocks), the convkit:register hook, tests (npm test) and tfjs/@convkit as peer dependencies, ready for `convkit plugins link`. project: a package that trains and evaluates a model from code. architecture: one architecture file in the house style. Nothing is overwritten.';
  static override examples = [
    '<%= config.bin %> scaffold plugin acme-nets',
    '<%= config.bin %> scaffold plugin @acme/nets --out packages',
    '<%= config.bin %> scaffold project my-experiments',
    '<%= config.bin %> scaffold architecture tiny-vgg --out src',
  ];
  static override args = {
    kind: Args.string({ description: 'what to write', required: true, options: [...SCAFFOLD_KINDS] }),
    name: Args.string({ description: 'its name, lowercase kebab-case (a plugin may be scoped: @acme/nets)', required: true }),
  };
  static override flags = {
    out: Flags.string({ description: 'folder to write into (a plugin or project gets its own subfolder)', default: '.' }),
  };

  async run(): Promise<ScaffoldResult> {
    const versions = {
      convkit: versionOf('@convkit/core'),
      tfjs: versionOf('@tensorflow/tfjs-core'),
      typescript: '~5.9.0',
      zod: '^3.25.0',
    };
    const result = await scaffold(this.args.kind as ScaffoldKind, this.args.name, this.flags.out, versions);
    if (!this.jsonEnabled()) {
      this.log(`wrote ${result.kind} ${this.args.name} to ${result.folder}: ${result.files.join(', ')}`);
      if (result.kind === 'plugin') this.log(`next: cd ${result.folder} && npm install && npm test && ${this.config.bin} plugins link .`);
      if (result.kind === 'project') this.log(`next: cd ${result.folder} && npm install && npm run train`);
    }
    return result;
  }
}
