import { type BackendName, ConvkitError, diagnoseBackends, initBackend, parseBackendPreference } from '@convkit/core';
import { BENCH_OPS, type BenchOpName, benchModel, benchOp, kinds, type ModelTiming, type OpTiming } from '@convkit/train';
import { Flags } from '@oclif/core';
import { ConvkitCommand } from '../base-command.js';
import { numberFlag } from '../flags.js';
import { formatCount, renderTable } from '../format.js';
import { parseJsonObject } from '../parse-json-object.js';

/** What `convkit bench --json` prints: every measurement, one per work and backend. */
export interface BenchJson {
  models: ModelTiming[];
  ops: OpTiming[];
}

function parseDims(flag: string, text: string): number[] {
  const dims = text.toLowerCase().split('x').map(Number);
  if (dims.some((d) => !(Number.isInteger(d) && d > 0))) {
    throw new ConvkitError('bad-option', `--${flag} ${text} is invalid; expected positive dimensions like 8x32x32x64`);
  }
  return dims;
}

/** `convkit bench`: latency and throughput of registered models and of single ops, per backend, side by side. */
export default class Bench extends ConvkitCommand<typeof Bench> {
  static override summary = 'Measure latency and throughput of models (inference, train step) and single ops on each backend';
  static override description =
    "Each work runs on every backend asked for (default: all that load here), with a warm-up and the median of repeated calls within --budget-ms, the same measuring library `pnpm bench` uses. Models are registered architectures; the train step is convkit's own, the one `convkit train` runs. Timings on a busy machine are noisy: compare backends in one run.";
  static override examples = [
    '<%= config.bin %> bench --model lenet5',
    '<%= config.bin %> bench --model lenet5 --model vgg11-bn --input 32x32x3 --batch-size 16 --mode train-step',
    '<%= config.bin %> bench --op conv2d --shape 8x32x32x64 --filters 64 --kernel 3 --backward --backends wasm,cpu',
    '<%= config.bin %> bench --model mobilenet-v2-cifar --mode train-step --profile',
    '<%= config.bin %> bench --model lenet5 --json',
  ];
  static override flags = {
    model: Flags.string({ description: 'registered architecture to measure (repeatable)', multiple: true }),
    'arch-options': Flags.string({ description: 'architecture options as JSON for every --model' }),
    input: Flags.string({ description: "model input as HxWxC (default: the architecture's)" }),
    mode: Flags.string({ description: 'what to time of a model', options: ['inference', 'train-step', 'both'], default: 'both' }),
    'batch-size': numberFlag({ description: 'images per model call', kind: kinds.positiveInteger(), default: 32 }),
    op: Flags.string({ description: 'single op to measure', options: [...BENCH_OPS] }),
    shape: Flags.string({ description: 'the op input: NxHxWxC (BATCHxFEATURES for dense)', default: '8x32x32x64' }),
    filters: numberFlag({ description: "the op's output channels (units for dense; default the input's)", kind: kinds.positiveInteger() }),
    kernel: numberFlag({ description: 'the op window', kind: kinds.positiveInteger(), default: 3 }),
    stride: numberFlag({ description: 'the op stride', kind: kinds.positiveInteger(), default: 1 }),
    dilation: numberFlag({ description: 'the op dilation', kind: kinds.positiveInteger(), default: 1 }),
    backward: Flags.boolean({ description: 'time the op with the gradients of its inputs', default: false }),
    profile: Flags.boolean({
      description: "also list each model step's slowest kernels (calls and total ms of one profiled step)",
      default: false,
    }),
    backends: Flags.string({ description: 'comma-separated backends to compare (default: every one that loads)' }),
    'budget-ms': numberFlag({
      description: 'milliseconds of repeats per work after the warm-up',
      kind: kinds.positiveInteger(),
      default: 2000,
    }),
  };

  async run(): Promise<BenchJson> {
    const f = this.flags;
    const { registry } = await this.registry();
    const models = f.model ?? [];
    if (models.length === 0 && f.op === undefined)
      throw new ConvkitError('bad-option', 'nothing to measure; pass --model NAME or --op NAME (see --help)');
    for (const name of models) registry.get(name);
    const archOptions = f['arch-options'] === undefined ? {} : parseJsonObject('arch-options', f['arch-options']);
    const inputShape = f.input === undefined ? undefined : (parseDims('input', f.input) as [number, number, number]);
    const opShape = f.op === undefined ? undefined : parseDims('shape', f.shape);
    const backends = await this.backendsToCompare();
    const modes = f.mode === 'both' ? (['inference', 'train-step'] as const) : ([f.mode] as ['inference' | 'train-step']);
    const result: BenchJson = { models: [], ops: [] };
    const timing = { budgetMs: f['budget-ms'], maxRepeats: 20 };
    for (const backend of backends) {
      const report = await initBackend(backend);
      this.reportBackend(report);
      for (const arch of models) {
        for (const mode of modes) {
          result.models.push(
            await benchModel({
              registry,
              arch,
              archOptions,
              batchSize: f['batch-size'],
              mode,
              ...(inputShape ? { inputShape } : {}),
              ...timing,
            }),
          );
        }
      }
      if (f.op && opShape) {
        result.ops.push(
          await benchOp(
            {
              op: f.op as BenchOpName,
              input: opShape,
              ...(f.filters === undefined ? {} : { filters: f.filters }),
              kernel: f.kernel,
              stride: f.stride,
              dilation: f.dilation,
              mode: f.backward ? 'forward-backward' : 'forward',
            },
            timing,
          ),
        );
      }
    }
    if (!this.jsonEnabled()) this.render(result, backends);
    return result;
  }

  private async backendsToCompare(): Promise<BackendName[]> {
    if (this.flags.backends !== undefined) {
      return this.flags.backends.split(',').map((name) => parseBackendPreference(name.trim())) as BackendName[];
    }
    if (this.flags.backend !== undefined && this.flags.backend !== 'auto')
      return [parseBackendPreference(this.flags.backend) as BackendName];
    return (await diagnoseBackends()).filter((b) => b.available).map((b) => b.backend);
  }

  private render(result: BenchJson, backends: string[]): void {
    const tfjsOf = (b: string) => (b.startsWith('tensorflow') ? 'tensorflow' : b);
    const cell = (rows: { backend: string; ms: number }[], backend: string, extra: (r: never) => string) => {
      const row = rows.find((r) => r.backend === tfjsOf(backend));
      return row ? `${row.ms.toFixed(2)} ms${extra(row as never)}` : '-';
    };
    if (result.models.length > 0) {
      const works = [...new Set(result.models.map((m) => `${m.arch} ${m.mode} batch ${m.batchSize} @ ${m.inputShape.join('x')}`))];
      this.log(
        renderTable(works, [
          { header: 'model', value: (w) => w },
          ...backends.map((b) => ({
            header: b,
            align: 'right' as const,
            value: (w: string) =>
              cell(
                result.models.filter((m) => `${m.arch} ${m.mode} batch ${m.batchSize} @ ${m.inputShape.join('x')}` === w),
                b,
                (m: ModelTiming) => ` (${formatCount(Math.round(m.imagesPerSecond))} img/s)`,
              ),
          })),
        ]),
      );
    }
    if (this.flags.profile) for (const timing of result.models) this.log(this.formatProfile(timing));
    if (result.ops.length > 0) {
      const first = result.ops[0] as OpTiming;
      const s = first.shape;
      this.log(
        `\n${s.op} ${s.mode} on ${s.input.join('x')}, ${s.filters} filters, kernel ${s.kernel}, stride ${s.stride}, dilation ${s.dilation}`,
      );
      this.log(
        renderTable(
          [first],
          backends.map((b) => ({ header: b, align: 'right' as const, value: () => cell(result.ops, b, () => '') })),
        ),
      );
    }
  }

  /** One model step's eight slowest kernels on one backend, with their share of the profiled time. */
  private formatProfile(timing: ModelTiming): string {
    const total = timing.kernels.reduce((sum, k) => sum + k.ms, 0);
    const rows = timing.kernels.slice(0, 8);
    const heading = `\n${timing.arch} ${timing.mode} on ${timing.backend}: ${timing.kernelCalls} kernel calls, ${total.toFixed(1)} ms of kernel time in one profiled step`;
    return `${heading}\n${renderTable(rows, [
      { header: 'kernel', value: (k) => k.name },
      { header: 'calls', align: 'right', value: (k) => String(k.calls) },
      { header: 'ms', align: 'right', value: (k) => k.ms.toFixed(2) },
      { header: 'share', align: 'right', value: (k) => (total > 0 ? `${((100 * k.ms) / total).toFixed(1)}%` : '-') },
    ])}`;
  }
}
