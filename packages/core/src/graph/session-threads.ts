/**
 * How many ops a libtensorflow session runs at once when the user has not set
 * `TF_NUM_INTEROP_THREADS` (libtensorflow sizes its inter-op pool from it when tfjs-node loads;
 * setting it later changes nothing).
 *
 * One, because oneDNN's bfloat16 (AMX) convolution filter gradient splits its work over the intra-op
 * threads and waits for all of them at a spinning barrier. Two such ops running at once each hold part
 * of the shared intra-op pool and wait for the rest forever: a MobileNet v2 step in bfloat16 on 2
 * cores never returned. Run one at a time, every op gets the whole pool, which on a CPU is where the
 * step's time goes anyway.
 */
export const SESSION_INTER_OP_THREADS = '1';

/**
 * Sets `TF_NUM_INTEROP_THREADS` to {@link SESSION_INTER_OP_THREADS} unless it is set already, so
 * the graph engine's sessions run their ops one at a time; `initBackend` calls it before it loads
 * tfjs-node. A value the user set is kept: it is theirs to choose, deadlock risk included.
 */
export function limitSessionOpConcurrency(env: NodeJS.ProcessEnv = process.env): void {
  env.TF_NUM_INTEROP_THREADS ??= SESSION_INTER_OP_THREADS;
}
