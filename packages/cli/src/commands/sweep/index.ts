import { basename, extname, join } from 'node:path';
import { planSweep, readSweepConfig, runLocalSweep, runQueuedSweep, type SweepReport, sweptKeys } from '@convkit/sweep';
import { kinds } from '@convkit/train';
import { Flags } from '@oclif/core';
import { ConvkitCommand } from '../../base-command.js';
import { numberFlag } from '../../flags.js';
import { sweepEventLine } from '../../sweep-events.js';
import { sweepCounts, sweepTable } from '../../sweep-table.js';
import { trainCommand } from '../../train-command.js';

/** `convkit sweep`: runs a grid or random search over `convkit train` options, locally or through a Redis queue. */
export default class Sweep extends ConvkitCommand<typeof Sweep> {
  static override summary = 'Run a grid or random search over training options, here or across machines through a Redis queue';
  static override description =
    'The config (YAML or JSON) has base (options of every trial), grid (lists whose every combination is a trial), random ({trials, seed, space}: samples of uniform, logUniform, int ranges or lists), variants (architectures or genotypes, each crossed with the rest), metric (testAccuracy, testTop5, testLoss, valAccuracy, valLoss) and backend. Keys are the options of `convkit train` (batchSize, lr, ...) and arch, archOptions, data. Each trial is a `convkit train` run in OUT/trials/ID, ID the hash of its resolved options: running the sweep again skips finished trials and continues checkpointed ones. With --queue the trials go on a BullMQ queue for `convkit worker`s, and OUT must be on a path every worker shares. Writes results.json and sweep.svg/.png (the metric against each hyperparameter).';
  static override examples = [
    '<%= config.bin %> sweep --config sweep.yaml --parallel 2',
    '<%= config.bin %> sweep --config sweep.yaml --out /shared/sweeps/lr --queue redis://localhost:6379',
    '<%= config.bin %> sweep status --out runs/sweep-sweep',
  ];
  static override flags = {
    config: Flags.string({ description: 'sweep config file (.yaml, .yml or .json)', required: true }),
    out: Flags.string({ description: 'sweep folder (default runs/sweep-CONFIGNAME)' }),
    parallel: numberFlag({ description: 'trials run at once on this machine, without --queue', kind: kinds.positiveInteger(), default: 1 }),
    queue: Flags.string({ description: 'Redis URL of the queue, redis://[user:password@]host[:port][/db]; workers run the trials' }),
    'queue-name': Flags.string({ description: 'BullMQ queue name (default convkit-trials)', dependsOn: ['queue'] }),
    retries: numberFlag({
      description: 'retries of a crashed trial, with --queue (its own failures are not retried)',
      kind: kinds.nonNegativeInteger(),
      default: 2,
    }),
    backoff: numberFlag({
      description: 'seconds before the first retry, doubling each time, with --queue',
      kind: kinds.nonNegative(),
      default: 5,
    }),
  };

  async run(): Promise<SweepReport> {
    const f = this.flags;
    const config = await readSweepConfig(f.config);
    const out = f.out ?? join('runs', `sweep-${basename(f.config, extname(f.config))}`);
    const controller = new AbortController();
    const interrupt = () => {
      process.stderr.write(
        `\nconvkit: interrupted; finished trials are kept and checkpointed ones continue. Continue with: ${this.config.bin} sweep --config ${f.config} --out ${out}${f.queue ? ' --queue URL' : ''}\n`,
      );
      controller.abort();
    };
    process.once('SIGINT', interrupt);
    const say = (line: string | undefined) => {
      if (line !== undefined && !this.jsonEnabled()) this.logToStderr(line);
    };
    // Progress lines name the hyperparameters that vary, not the options every trial shares.
    const keys = sweptKeys(planSweep(config).trials);
    const onEvent = (event: Parameters<typeof sweepEventLine>[0]) => say(sweepEventLine(event, keys));
    try {
      const report = f.queue
        ? await runQueuedSweep({
            config,
            out,
            url: f.queue,
            ...(f['queue-name'] ? { queueName: f['queue-name'] } : {}),
            retries: f.retries,
            backoffSeconds: f.backoff,
            onEvent,
            onWarning: this.reportWarning,
            signal: controller.signal,
          })
        : await runLocalSweep({ config, out, train: trainCommand(this.config), parallel: f.parallel, onEvent, signal: controller.signal });
      if (controller.signal.aborted) return this.exit(130);
      if (!this.jsonEnabled()) {
        this.log(sweepTable(report));
        this.log(
          `${sweepCounts(report)}; ranked by ${report.metric}; results in ${join(out, 'results.json')}, picture ${join(out, 'sweep.svg')}`,
        );
      }
      return report;
    } finally {
      process.removeListener('SIGINT', interrupt);
    }
  }
}
