import type { LayerSummary, ModelSummary } from '@convkit/core';

/** What an attention module is, read from its layers' names. */
export type AttentionModuleKind = 'se' | 'cbam' | 'non-local' | 'other';

/** One attention module's own cost in a network: the sum over its layers' summary rows. */
export interface AttentionModuleCost {
  /** The prefix of the module's layers, `stage2.block1.attn` or `layer4.5.nonlocal`. */
  module: string;
  kind: AttentionModuleKind;
  params: number;
  trainableParams: number;
  /** MACs of one image, by the summary's per-layer rules. */
  macs: number;
}

/** A cost as a total, its share of the whole network, and its addition over the network without the modules. */
export interface CostShare {
  total: number;
  /** `total / network`, 0 to 1. */
  share: number;
  /** `total / (network - total)`: what the modules add to the network they were put into. */
  added: number;
}

/** The attention modules of a network and their cost against the whole. */
export interface AttentionCosts {
  modules: AttentionModuleCost[];
  params: CostShare;
  trainableParams: CostShare;
  macs: CostShare;
}

/**
 * Layer names inside a module: convkit's blocks name their attention slot `<block>.attn` (SE, CBAM,
 * or a third party's module) and `nonLocalAfter` names its blocks `<block>.nonlocal`.
 */
const MODULE_PREFIX = /^(.*?\.(?:attn|nonlocal))\./;

function kindOf(module: string, rows: LayerSummary[]): AttentionModuleKind {
  const has = (part: string) => rows.some((row) => row.name === `${module}.${part}` || row.name.startsWith(`${module}.${part}.`));
  if (module.endsWith('.nonlocal')) return 'non-local';
  if (has('channel') && has('spatial')) return 'cbam';
  if (['pool', 'fc1', 'fc2', 'scale'].every(has)) return 'se';
  return 'other';
}

function costShare(total: number, network: number): CostShare {
  return { total, share: network === 0 ? 0 : total / network, added: network === total ? 0 : total / (network - total) };
}

/**
 * The attention modules' own parameters and MACs in `summary` (from `summarizeModel` or
 * `summarizeArchitecture`), module by module and in total, with their share of the network and what
 * they add over it: SE-ResNet-20's nine SE modules hold 5,784 trainable parameters, 2.1% of the
 * network, and add 0.43% MACs to ResNet-20. A network without modules gives an empty list and zeros.
 */
export function attentionCosts(summary: ModelSummary): AttentionCosts {
  const byModule = new Map<string, LayerSummary[]>();
  for (const row of summary.layers) {
    const module = MODULE_PREFIX.exec(row.name)?.[1];
    if (module !== undefined) byModule.set(module, [...(byModule.get(module) ?? []), row]);
  }
  const modules = [...byModule].map(([module, rows]) => ({
    module,
    kind: kindOf(module, rows),
    params: rows.reduce((s, r) => s + r.params, 0),
    trainableParams: rows.reduce((s, r) => s + r.trainableParams, 0),
    macs: rows.reduce((s, r) => s + r.macs, 0),
  }));
  const sum = (key: 'params' | 'trainableParams' | 'macs') => modules.reduce((s, m) => s + m[key], 0);
  return {
    modules,
    params: costShare(sum('params'), summary.totals.params),
    trainableParams: costShare(sum('trainableParams'), summary.totals.trainableParams),
    macs: costShare(sum('macs'), summary.totals.macs),
  };
}
