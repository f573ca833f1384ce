import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ImageBatch } from '../data/image-batch.js';
import { resizeBatch } from '../data/resize-batch.js';
import { finalSize, parseResizeSchedule, type ResizeStage, sizeAtEpoch } from './resize-schedule.js';
import { resizedModel } from './resized-model.js';

/**
 * Progressive resizing (fast.ai's, as FixRes motivates it: train small first, finish at the size the
 * model is tested at): the run's model is built at the schedule's last size, and each earlier size
 * trains the same weights through a view of the model at that size ({@link resizedModel}), built
 * once, up front, so an architecture that cannot change size is refused before anything trains.
 * Batches are resized bilinearly to the epoch's size; the stage follows from the epoch alone, so a
 * resumed run continues in the stage it stopped in.
 */
export class ProgressiveResize {
  readonly stages: readonly ResizeStage[];
  private readonly views = new Map<number, LayersModel>();

  /** @param model built at the schedule's last size. */
  constructor(
    private readonly model: LayersModel,
    schedule: string,
    arch: string,
  ) {
    this.stages = parseResizeSchedule(schedule) as ResizeStage[];
    try {
      for (const { size } of this.stages) {
        if (size !== this.size && !this.views.has(size)) this.views.set(size, resizedModel(model, size, size, arch));
      }
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  /** The last size: the model's input, and what validation and the test set are scored at. */
  get size(): number {
    return finalSize(this.stages);
  }

  /** The input size of 1-based `epoch`. */
  sizeAt(epoch: number): number {
    return sizeAtEpoch(this.stages, epoch);
  }

  /** The model taking `size` inputs: a view sharing the run model's weights, or the run model itself at the last size. */
  modelAt(size: number): LayersModel {
    return this.views.get(size) ?? this.model;
  }

  /** A training batch at the size of `epoch`. */
  resize(batch: ImageBatch, epoch: number): ImageBatch {
    const size = this.sizeAt(epoch);
    return resizeBatch(batch, size, size);
  }

  /** Releases the views' references to the shared layers (the run model keeps its own). */
  dispose(): void {
    for (const view of this.views.values()) view.dispose();
    this.views.clear();
  }
}
