import { flagOf, TRAIN_OPTION_NAMES, TRAIN_OPTIONS, type TrainOptionSpec } from './training-options.js';

const RESUME: Record<TrainOptionSpec<unknown>['resume'], string> = {
  fixed: 'must match',
  extend: 'may grow',
  free: 'may change',
};

function defaultText(spec: TrainOptionSpec<unknown>): string {
  if (spec.defaultText !== undefined) return spec.defaultText;
  return typeof spec.default === 'string' ? `\`${spec.default}\`` : `\`${JSON.stringify(spec.default)}\``;
}

/**
 * The training options as a Markdown table (flag, `train()` option, default, valid values, what it
 * does, what a resume does with it), generated from {@link TRAIN_OPTIONS} for the train README.
 */
export function trainOptionsMarkdown(): string {
  const rows = TRAIN_OPTION_NAMES.map((name) => {
    const spec: TrainOptionSpec<unknown> = TRAIN_OPTIONS[name];
    return `| \`--${flagOf(name)}\` | \`${name}\` | ${defaultText(spec)} | ${spec.kind.expected} | ${spec.description} | ${RESUME[spec.resume]} |`;
  });
  return ['| flag | option | default | value | what it does | on `--resume` |', '| --- | --- | --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}
