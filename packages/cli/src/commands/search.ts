import { type EarlyStop, runSearch, SEARCH_METHODS, type SearchEpoch, type SearchResult } from '@convkit/nas';
import { kinds } from '@convkit/train';
import { Flags, ux } from '@oclif/core';
import { ConvkitCommand } from '../base-command.js';
import { numberFlag, numberListFlag } from '../flags.js';
import { formatDuration } from '../progress-bars.js';

/** What `convkit search --json` prints: one line. */
export type SearchJson = Pick<SearchResult, 'genotype' | 'genotypeFile' | 'seconds' | 'stoppedEarly' | 'latency'> & {
  epochs: number;
  backend: string;
};

/** Flags not given stay out, so the library's (method-dependent) defaults apply. */
const given = <T extends Record<string, unknown>>(flags: T): Partial<T> =>
  Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Why an early-stop rule fired, with the flag that set it. */
function stopText(reason: EarlyStop, f: { 'max-skip'?: number | undefined; 'stable-epochs'?: number | undefined }): string {
  return reason === 'skip-connects'
    ? `the normal cell has --max-skip ${f['max-skip']} or more skip-connects`
    : `the ranking of the alphas held for --stable-epochs ${f['stable-epochs']}`;
}

const edges = (cell: SearchEpoch['genotype']['normal']) => cell.map(([op, source]) => `${op}<-${source}`).join(' ');

/** `convkit search`: a DARTS architecture search whose genotype file feeds `convkit train --arch darts`. */
export default class Search extends ConvkitCommand<typeof Search> {
  static override summary = 'Search a DARTS cell architecture on a dataset (DARTS, PC-DARTS or P-DARTS, first or second order)';
  static override description =
    "Runs DARTS (Liu et al. 2019): half of the training set trains the search network's weights (SGD, cosine schedule), the other half its alphas (Adam; --learning-rate, --arch-learning-rate and --arch-weight-decay set the two optimizers, the reference's 0.025, 3e-4 and 1e-3 by default). Each epoch writes into --out epoch-NNN/ with alphas.json, genotype.json and alphas.svg/.png (softmax(alpha) per edge), the latest genotype.json and a checkpoint; --resume continues a stopped search exactly. --method pc-darts (Xu et al. 2020) runs the ops of each edge on 1/K of the channels (--partial-channels K, 4 by default) and weighs each edge by a beta normalized over the inputs of its node. --latency-weight W adds W times the expected latency in ms (sum over edges of softmax(alpha) times the time of each op, measured on this backend into OUT/latency.json unless --latency-table gives one) to the architecture loss; each epoch (and the final genotype, in genotype.json and --json) then reports the expected latency, the genotype's latency as the table predicts it (its ops' entries summed) and as measured (each cell's chosen ops run together at the table's shapes on this backend, timed like the table). --method pdarts (Chen et al. 2019) searches in stages of growing depth (--stage-layers, default 5,11,17), pruning each edge to the ops the stage's alphas rank highest (--stage-ops, default 8,5,3), with dropout on the skip connections (--skip-dropout, initial rates 0,0.4,0.7, decayed through each stage), the first --warmup-epochs of each stage (default two fifths of --epochs) training the weights only, and at most --skip-cap (2) skip connections in the final normal cell. Each epoch reports the skip-connects of its genotype per cell and for how many epochs the ranking of the alphas has held; --max-skip N stops the search (a P-DARTS stage) once the normal cell has N or more, --stable-epochs N once the ranking has held N epochs (DARTS+'s two rules). The genotype file feeds `convkit train --arch darts --arch-options '{\"genotype\":\"OUT/genotype.json\"}'`.";
  static override examples = [
    '<%= config.bin %> search --data shapes --channels 4 --layers 3 --epochs 2 --out runs/search-shapes',
    '<%= config.bin %> search --data cifar10 --order 2 --epochs 50 --batch-size 64 --out runs/darts-cifar10',
    '<%= config.bin %> search --out runs/darts-cifar10 --data cifar10 --order 2 --epochs 50 --resume',
    '<%= config.bin %> search --data fashion-mnist --epochs 50 --max-skip 2 --out runs/darts-plus',
    '<%= config.bin %> search --data cifar10 --method pdarts --batch-size 96 --out runs/pdarts',
    '<%= config.bin %> search --data fashion-mnist --method pdarts --stage-layers 3,5 --stage-ops 8,4 --skip-dropout 0.1,0.3 --epochs 6 --channels 8 --out runs/pdarts-small',
    '<%= config.bin %> search --data cifar10 --method pc-darts --batch-size 256 --out runs/pc-darts',
    '<%= config.bin %> search --data fashion-mnist --latency-weight 0.01 --out runs/darts-fast',
    '<%= config.bin %> search --data fashion-mnist --train-images 10000 --channels 4 --layers 4 --epochs 2 --arch-learning-rate 3e-3 --out runs/darts-quick',
  ];
  static override flags = {
    data: Flags.string({ description: 'dataset name (shapes, fashion-mnist, cifar10, ...) or folder', required: true }),
    method: Flags.string({
      description: 'darts, pc-darts (partial channels and edge normalization) or pdarts (stages of growing depth over pruned ops)',
      options: [...SEARCH_METHODS],
      default: 'darts',
    }),
    'partial-channels': numberFlag({
      description: "pc-darts: each edge's ops see 1/K of the channels (default 4; channels must be a multiple of 2K)",
      kind: kinds.positiveInteger(),
    }),
    order: Flags.string({
      description: 'architecture gradient: 1 (first order) or 2 (the unrolled second order)',
      options: ['1', '2'],
      default: '1',
    }),
    channels: numberFlag({ description: 'initial width C of the search network', kind: kinds.positiveInteger(), default: 16 }),
    layers: numberFlag({ description: 'cells of the search network (default 8; pdarts: --stage-layers)', kind: kinds.positiveInteger() }),
    epochs: numberFlag({ description: 'search epochs (default 50; pdarts: per stage, default 25)', kind: kinds.positiveInteger() }),
    'stage-layers': numberListFlag({ description: 'pdarts: cells of each stage (default 5,11,17)', kind: kinds.nonNegativeList() }),
    'stage-ops': numberListFlag({
      description: 'pdarts: candidate ops per edge in each stage, 8 first, the top ones kept after each stage (default 8,5,3)',
      kind: kinds.nonNegativeList(),
    }),
    'skip-dropout': numberListFlag({
      description: 'pdarts: initial dropout rate on the skip connections in each stage (default 0,0.4,0.7)',
      kind: kinds.nonNegativeList(),
    }),
    'warmup-epochs': numberFlag({
      description: 'pdarts: epochs at the start of each stage that train the weights only (default two fifths of --epochs)',
      kind: kinds.nonNegativeInteger(),
    }),
    'skip-cap': numberFlag({
      description: 'pdarts: most skip connections in the final normal cell (default 2)',
      kind: kinds.nonNegativeInteger(),
    }),
    'stable-epochs': numberFlag({
      description: "stop (pdarts: end the stage) once the ranking of every edge's ops has held this many epochs (DARTS+'s second rule)",
      kind: kinds.positiveInteger(),
    }),
    'learning-rate': numberFlag({
      description: "the weights' SGD learning rate at the start of the cosine schedule (default 0.025; at least its final 0.001)",
      kind: kinds.positive('0.025'),
    }),
    'arch-learning-rate': numberFlag({
      description: "the alphas' Adam learning rate (default 3e-4; pdarts: 6e-4)",
      kind: kinds.positive('3e-4'),
    }),
    'arch-weight-decay': numberFlag({ description: "the alphas' L2 weight decay (default 1e-3)", kind: kinds.nonNegative() }),
    'batch-size': numberFlag({ description: 'images per batch (each half)', kind: kinds.positiveInteger(), default: 64 }),
    'train-images': numberFlag({ description: 'search on a seeded subset of this many training images', kind: kinds.positiveInteger() }),
    seed: numberFlag({ description: 'seed of the weights, alphas, split and batches', kind: kinds.nonNegativeInteger(), default: 0 }),
    'latency-weight': numberFlag({
      description: 'weight of the expected latency (per ms) in the architecture loss; 0: plain DARTS',
      kind: kinds.nonNegative(),
      default: 0,
    }),
    'latency-table': Flags.string({
      description: "latency table JSON for the same network (e.g. an earlier search's latency.json); measured when absent",
    }),
    'max-skip': numberFlag({
      description:
        "stop (pdarts: end the stage) once the derived normal cell has this many skip-connects (DARTS+'s collapse guard; 2 in its paper)",
      kind: kinds.positiveInteger(),
    }),
    out: Flags.string({ description: 'output folder', default: 'runs/search' }),
    resume: Flags.boolean({ description: 'continue the search checkpointed in --out (same settings)', default: false }),
  };

  // The final result is one line, so scripts can read the last line of stdout.
  protected override logJson(json: unknown): void {
    ux.stdout(JSON.stringify(json));
  }

  async run(): Promise<SearchJson> {
    const { registry } = await this.registry();
    const backend = await this.useBackend();
    const f = this.flags;
    let eta = Number.NaN;
    let epochs = 0;
    const result = await runSearch({
      registry,
      data: f.data,
      out: f.out,
      method: f.method as (typeof SEARCH_METHODS)[number],
      ...(f['partial-channels'] === undefined ? {} : { partialChannels: f['partial-channels'] }),
      order: f.order === '2' ? 2 : 1,
      channels: f.channels,
      ...given({
        layers: f.layers,
        epochs: f.epochs,
        stageLayers: f['stage-layers'],
        stageOps: f['stage-ops'],
        skipDropout: f['skip-dropout'],
        warmupEpochs: f['warmup-epochs'],
        skipCap: f['skip-cap'],
        stableEpochs: f['stable-epochs'],
        learningRate: f['learning-rate'],
        archLearningRate: f['arch-learning-rate'],
        archWeightDecay: f['arch-weight-decay'],
      }),
      batchSize: f['batch-size'],
      seed: f.seed,
      resume: f.resume,
      ...(f['train-images'] === undefined ? {} : { trainImages: f['train-images'] }),
      ...(f['max-skip'] === undefined ? {} : { maxSkip: f['max-skip'] }),
      latencyWeight: f['latency-weight'],
      ...(f['latency-table'] === undefined ? {} : { latencyTable: f['latency-table'] }),
      onProgress: (p) => {
        eta = p.etaSeconds;
        epochs = p.epochs;
        if (process.stderr.isTTY && !this.jsonEnabled()) {
          process.stderr.write(
            `\r${p.stages > 1 ? ` stage ${p.stage}/${p.stages}` : ''} epoch ${p.epoch + 1}/${p.epochs} step ${p.step + 1}/${p.stepsPerEpoch} loss ${p.trainLoss.toFixed(3)} val ${p.validationLoss.toFixed(3)} ETA ${formatDuration(p.etaSeconds)}   `,
          );
        }
      },
      onEpoch: (e) => {
        if (this.jsonEnabled()) return;
        if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
        this.log(
          `epoch ${e.epoch}/${epochs}  loss ${e.trainLoss.toFixed(4)}  val loss ${e.validationLoss.toFixed(4)}  ${e.seconds.toFixed(1)}s  ETA ${formatDuration(eta)}`,
        );
        this.log(`  normal: ${edges(e.genotype.normal)}`);
        this.log(`  reduce: ${edges(e.genotype.reduce)}`);
        this.log(
          `  skip-connects: normal ${e.skipConnects.normal}, reduce ${e.skipConnects.reduce}; ranking unchanged ${e.rankingUnchanged}`,
        );
        if (e.skipDropout !== undefined)
          this.log(
            `  stage ${e.stage}: ${e.alphasTrained ? 'alphas trained' : 'warm-up (weights only)'}, skip dropout ${e.skipDropout.toFixed(3)}`,
          );
        if (e.stop) this.log(`  ${stopText(e.stop, f)}: ${f.method === 'pdarts' ? `stage ${e.stage}` : 'the search'} ends here`);
        if (e.latency)
          this.log(
            `  latency: expected ${e.latency.expected.toFixed(2)} ms, genotype predicted ${e.latency.predicted.toFixed(2)} ms, measured ${e.latency.measured.toFixed(2)} ms`,
          );
      },
    });
    const stop = result.stoppedEarly;
    if (stop && !this.jsonEnabled()) this.log(`stopped after epoch ${stop.epoch}: ${stopText(stop.reason, f)}`);
    if (result.latency && !this.jsonEnabled())
      this.log(`genotype latency: predicted ${result.latency.predicted.toFixed(2)} ms, measured ${result.latency.measured.toFixed(2)} ms`);
    if (!this.jsonEnabled())
      this.log(`genotype: ${result.genotypeFile} (train it with --arch darts --arch-options '{"genotype":"${result.genotypeFile}"}')`);
    return {
      genotype: result.genotype,
      genotypeFile: result.genotypeFile,
      seconds: result.seconds,
      ...(stop ? { stoppedEarly: stop } : {}),
      ...(result.latency ? { latency: result.latency } : {}),
      epochs: result.history.length,
      backend: backend.backend,
    };
  }
}
