import { DEFAULT_QUEUE_NAME, redactUrl, runWorker } from '@convkit/sweep';
import { kinds } from '@convkit/train';
import { Flags } from '@oclif/core';
import { ConvkitCommand } from '../base-command.js';
import { numberFlag } from '../flags.js';
import { sweepEventLine } from '../sweep-events.js';
import { trainCommand } from '../train-command.js';

/** `convkit worker`: takes sweep trials from a Redis queue and runs them, until stopped. */
export default class WorkerCommand extends ConvkitCommand<typeof WorkerCommand> {
  static override summary = 'Take sweep trials from a Redis queue and train them, until stopped (Ctrl-C or SIGTERM)';
  static override description =
    'Each trial is a `convkit train` child process writing into the trial folder named by the job, which must be on a path this machine shares with the sweep. A worker that dies (even by SIGKILL) loses at most the epoch in flight: after --stall-seconds its trial goes to another worker, which continues it from its checkpoint. A bad URL or password is a one-line error; a Redis that restarts is reconnected to.';
  static override examples = [
    '<%= config.bin %> worker --queue redis://localhost:6379',
    '<%= config.bin %> worker --queue rediss://default:PASSWORD@my-redis.example.com:6380 --concurrency 2',
  ];
  static override enableJsonFlag = false;
  static override flags = {
    queue: Flags.string({ description: 'Redis URL of the queue, redis://[user:password@]host[:port][/db]', required: true }),
    'queue-name': Flags.string({ description: `BullMQ queue name (default ${DEFAULT_QUEUE_NAME})` }),
    concurrency: numberFlag({ description: 'trials trained at once by this worker', kind: kinds.positiveInteger(), default: 1 }),
    'stall-seconds': numberFlag({
      description: 'lock time of a trial: a dead worker is noticed and its trial handed over within about twice this',
      kind: kinds.positive('30'),
      default: 30,
    }),
    'max-stalls': numberFlag({
      description: 'times a trial may lose its worker before it fails',
      kind: kinds.nonNegativeInteger(),
      default: 2,
    }),
  };

  async run(): Promise<void> {
    const f = this.flags;
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      await runWorker({
        url: f.queue,
        ...(f['queue-name'] ? { queueName: f['queue-name'] } : {}),
        train: trainCommand(this.config),
        concurrency: f.concurrency,
        stallSeconds: f['stall-seconds'],
        maxStalls: f['max-stalls'],
        onReady: () =>
          this.logToStderr(`worker ${process.pid} taking trials from ${redactUrl(f.queue)} (${f['queue-name'] ?? DEFAULT_QUEUE_NAME})`),
        onEvent: (event) => {
          const line = sweepEventLine(event);
          if (line) this.logToStderr(`worker ${event.worker}: ${line}`);
        },
        onWarning: this.reportWarning,
        signal: controller.signal,
      });
    } finally {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    }
  }
}
