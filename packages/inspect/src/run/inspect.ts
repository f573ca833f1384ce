import { mkdir } from 'node:fs/promises';
import { type BackendPreference, type BackendReport, ConvkitError, initBackend } from '@convkit/core';
import {
  type InspectionOptions,
  type InspectionResult,
  inspectAttention,
  inspectEquivariance,
  inspectErf,
  inspectFeatureMaps,
  inspectFilters,
  inspectFrequency,
  inspectGradCam,
  inspectGradientFlow,
} from './inspections.js';
import { openSubject, type SubjectOptions } from './subject.js';

/** The inspections `convkit inspect` offers, one subcommand each. */
export const INSPECTIONS = [
  'filters',
  'frequency',
  'feature-maps',
  'erf',
  'equivariance',
  'gradcam',
  'gradient-flow',
  'attention',
] as const;
/** One of {@link INSPECTIONS}. */
export type InspectionName = (typeof INSPECTIONS)[number];

/** Everything `inspect` takes: the model, the inspection's own options, and where to write. */
export interface InspectOptions extends SubjectOptions, InspectionOptions {
  backend?: BackendPreference;
  onBackend?: (report: BackendReport) => void;
  /** `frequency`: side of the zero-padded FFT. Default 32. */
  size?: number;
  /** `equivariance`: input shift (rows, columns). Default [1, 1]. */
  shift?: [number, number];
  /** `erf`, `equivariance`, `gradient-flow`: images to average over. */
  count?: number;
  /** `gradcam`: class to explain. Default the predicted one. */
  classIndex?: number;
  /** `attention`: the input pixel (row, column) whose non-local attention is shown. Default the centre. */
  query?: [number, number];
}

/**
 * Runs one inspection on a trained model (`model`) or an untrained architecture (`arch`): writes
 * its PNG pictures into `out` and returns what it measured. What each computes is documented on
 * the library function it calls (`frequencyResponse`, `effectiveReceptiveField`, `gradCam`, ...).
 */
export async function inspect(
  name: InspectionName,
  options: InspectOptions,
): Promise<InspectionResult<unknown> & { inspection: InspectionName; backend: string }> {
  if (!INSPECTIONS.includes(name)) {
    throw new ConvkitError('bad-option', `no inspection ${name}; choose one of ${INSPECTIONS.join(', ')}`);
  }
  const backend = await initBackend(options.backend);
  options.onBackend?.(backend);
  const subject = await openSubject(options);
  try {
    await mkdir(options.out, { recursive: true });
    const run = {
      filters: () => inspectFilters(subject, options),
      frequency: () => inspectFrequency(subject, options),
      'feature-maps': () => inspectFeatureMaps(subject, options),
      erf: () => inspectErf(subject, options),
      equivariance: () => inspectEquivariance(subject, options),
      gradcam: () => inspectGradCam(subject, options),
      'gradient-flow': () => inspectGradientFlow(subject, options),
      attention: () => inspectAttention(subject, options),
    }[name];
    const result: InspectionResult<unknown> = await run();
    return { inspection: name, backend: backend.backend, ...result };
  } finally {
    subject.model.dispose();
  }
}
