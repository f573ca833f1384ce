import type { ImageShape } from '../data/labeled-images.js';
import type { ChannelStatistics } from '../data/normalization.js';

/** File beside a trained model's `model.json` that says how to rebuild and feed it. */
export const MODEL_METADATA = 'convkit-train.json';

/** How a trained model was built and what its inputs must look like. */
export interface ModelMetadata {
  arch: string;
  archOptions: Record<string, unknown>;
  /** Dataset name, for display. */
  dataset: string;
  /** The `data` argument the model was trained with (a registered name or a folder), to reopen it. */
  data: string;
  /**
   * The run's seed. Generated datasets and seeded hold-outs (an image folder without `train/` and
   * `test/`) depend on it, so reopening the data with another seed would score a different test
   * split, one that can overlap the training images.
   */
  seed: number;
  /** The epoch whose weights these are (the last, or the best with `finalModel: 'best'`). */
  epoch?: number;
  inputShape: ImageShape;
  classNames: string[];
  normalization: ChannelStatistics;
}
