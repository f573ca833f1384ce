import type { BackendPreference, BackendReport, Registry } from '@convkit/core';

/** What every use of a trained model (`evaluate`, `predict`) accepts besides its own inputs. */
export interface TrainedModelOptions {
  /** A `convkit train` output folder, or its `model/` subfolder. */
  model: string;
  /** Images per inference batch. Default 256. */
  batchSize?: number;
  backend?: BackendPreference;
  /** Called with the active backend (which one runs, why others were skipped) once the inputs are checked and work starts. */
  onBackend?: (report: BackendReport) => void;
  /** Told what the user must know but is not an error: images resized or turned grey, class names that differ. */
  onWarning?: (message: string) => void;
  /** Registry to rebuild the architecture from; default convkit's process-wide one. */
  registry?: Registry;
}
