import * as tf from '@tensorflow/tfjs-core';
import { registerFusedKernels } from '../kernels/fused/register-fused-kernels.js';

/** Outcome of checking whether a backend can run here, without activating it. */
export interface BackendProbe {
  available: boolean;
  /** Why it is unavailable, one line. */
  reason?: string;
  /** What the user can do about it, one line. */
  fix?: string;
  /** Installed package version, when found. */
  version?: string;
}

/** How to check and activate one backend (in Node or in a page). */
export interface BackendLoader {
  /** The npm package that provides it. */
  packageName: string;
  /** The tfjs backend name it registers. */
  tfjsName: string;
  /** Checks availability without loading the backend. */
  probe(): Promise<BackendProbe>;
  /** Loads and activates the backend; throws with the reason when it cannot. */
  activate(): Promise<void>;
  /** Human-readable device, asked after activation. */
  device(): string;
}

/**
 * Makes `tfjsName` tfjs's active backend and installs convkit's fused training kernels on it; every
 * loader ends its `activate` here, so Node and the page get the same kernels.
 */
export async function activateTfjsBackend(tfjsName: string): Promise<void> {
  const ok = await tf.setBackend(tfjsName);
  if (!ok) throw new Error(`tfjs could not initialise the ${tfjsName} backend`);
  await tf.ready();
  registerFusedKernels(tfjsName);
}
