/**
 * @convkit/nas: differentiable architecture search (DARTS) for convkit: the search space, the search
 * network with its alphas, first- and second-order bi-level optimisation, genotypes and the
 * evaluation network registered as the `darts` architecture.
 * @packageDocumentation
 */

export { auxiliaryHead } from './auxiliary-head.js';
export { allCandidateOps, type CandidateOps, candidatesPerEdge, pruneCandidateOps } from './candidate-ops.js';
export {
  CELL_EDGES,
  CELL_MULTIPLIER,
  CELL_STEPS,
  type CellPlan,
  edgeIndex,
  isReductionCell,
  planCells,
  STEM_MULTIPLIER,
} from './cell-geometry.js';
export { buildDartsNetwork, type DartsOptions, darts } from './darts-network.js';
export { checkSkipCap, type DerivableAlphas, type DeriveOptions, deriveGenotype } from './derive-genotype.js';
export { type CellGenes, evalCell } from './eval-cell.js';
export { factorizedReduce } from './factorized-reduce.js';
export { type Genotype, type GenotypeEdge, parseGenotype } from './genotype.js';
export { type GenotypeSource, resolveGenotype } from './genotype-source.js';
export { builtinGenotype, GENOTYPES } from './genotypes.js';
export { type MixedOp, type MixedOpOptions, mixedOp } from './mixed-op.js';
export { channelShuffle, checkPartialChannels } from './partial-channels.js';
export { plugin } from './plugin.js';
export { isPrimitive, type OpContext, PRIMITIVES, type Primitive, primitive, reluConvBn } from './primitives.js';
export { alphaHeatmapSvg } from './search/alpha-heatmap.js';
export { firstOrderGradient, secondOrderGradient, type VirtualStep, virtualWeights } from './search/architecture-gradient.js';
export { type BilevelModel, lossGradients } from './search/bilevel-model.js';
export {
  type BilevelConfig,
  BilevelOptimizer,
  type BilevelState,
  type BilevelStepResult,
} from './search/bilevel-optimizer.js';
export { checkLatencyTableFits, expectedLatency, predictedLatency } from './search/expected-latency.js';
export { type LatencyShapes, measureGenotypeLatency } from './search/genotype-latency.js';
export {
  type LatencyCell,
  type LatencyEdge,
  type LatencyMeasureOptions,
  type LatencyTable,
  latencyCells,
  measureLatencyTable,
  parseLatencyTable,
  readLatencyTable,
  type TimedOp,
  timeOps,
} from './search/latency-table.js';
export { alphaRanking, checkStableEpochs, rankingSettled, sameRanking } from './search/ranking-guard.js';
export { recomputedGradients, type Segment } from './search/recomputed-gradients.js';
export {
  type EarlyStop,
  type GenotypeLatency,
  runSearch,
  type SearchEpoch,
  type SearchOptions,
  type SearchProgress,
  type SearchResult,
} from './search/run-search.js';
export { disposeBatch, type SearchBatch } from './search/search-batch.js';
export {
  hasSearchCheckpoint,
  readSearchCheckpoint,
  readSearchCheckpointStage,
  type SearchCheckpoint,
  type StageProgress,
  writeSearchCheckpoint,
} from './search/search-checkpoint.js';
export { epochPlan, type SearchHalves, searchBatch, splitHalves } from './search/search-data.js';
export { SEARCH_FILES, writeEpochFiles } from './search/search-files.js';
export { LATENCY_FILE, type SearchLatencySettings, searchLatencyTable } from './search/search-latency.js';
export {
  SEARCH_METHODS,
  type SearchMethod,
  type SearchSettings,
  type SearchSettingsOptions,
  searchSettings,
} from './search/search-settings.js';
export { PDARTS_DEFAULTS, type PdartsStageOptions, pdartsStages, type SearchStage, skipDropoutRate } from './search/search-stages.js';
export { checkMaxSkip, countSkipConnects, type SkipConnects, skipCollapse } from './search/skip-guard.js';
export { withValues } from './search/weight-swap.js';
export { type SearchCell, searchCell } from './search-cell.js';
export { type Alphas, type AlphaValues, type Betas, SearchNetwork, type SearchNetworkConfig } from './search-network.js';
export { collectLayers, type Flow, identity, layerUnit, type RunFlags, sequence, type Unit } from './unit.js';
