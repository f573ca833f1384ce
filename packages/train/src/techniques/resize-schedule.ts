/** One stage of progressive resizing: square inputs of `size` pixels from `startEpoch` epochs completed on. */
export interface ResizeStage {
  size: number;
  /** Epochs completed before the stage starts: 0 for the first stage. */
  startEpoch: number;
}

const STAGE = /^(\d+):(\d+)$/;

/**
 * Reads a progressive-resizing schedule written `SIZE:START_EPOCH,...` (`16:0,24:3,32:6`), or undefined
 * when it is not one: each size a positive integer, the first stage starting at epoch 0 and each later
 * stage at a later epoch.
 */
export function parseResizeSchedule(text: string): ResizeStage[] | undefined {
  const stages: ResizeStage[] = [];
  for (const part of text.split(',')) {
    const match = STAGE.exec(part.trim());
    if (!match) return undefined;
    const stage = { size: Number(match[1]), startEpoch: Number(match[2]) };
    const previous = stages.at(-1);
    if (stage.size === 0 || (previous ? stage.startEpoch <= previous.startEpoch : stage.startEpoch !== 0)) return undefined;
    stages.push(stage);
  }
  return stages;
}

/** The input size of 1-based `epoch`: that of the last stage starting at or before it. */
export function sizeAtEpoch(stages: readonly ResizeStage[], epoch: number): number {
  let size = (stages[0] as ResizeStage).size;
  for (const stage of stages) if (stage.startEpoch < epoch) size = stage.size;
  return size;
}

/** The size the schedule ends at: the model's input size, and the size the validation and test splits are scored at. */
export function finalSize(stages: readonly ResizeStage[]): number {
  return (stages.at(-1) as ResizeStage).size;
}
