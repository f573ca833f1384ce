/** The benchmarks' engines run in child processes that print their result as a last JSON line. */
import { spawnSync } from 'node:child_process';

function lastJsonLine(stdout) {
  const line = (stdout ?? '')
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  return line ? JSON.parse(line) : undefined;
}

/**
 * Runs `command` to its end (stderr shown) and returns its last JSON line of stdout, parsed, and how it
 * ended: its exit status, or `failure` naming the limit when it ran over `timeoutMs` and was killed. A
 * runner that never returns (seen once: a Keras bfloat16 round stuck for an hour in TensorFlow's thread
 * pool) then costs one engine's round, not the whole run.
 */
export function runForJson(command, args, options, timeoutMs) {
  const child = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
    ...options,
    ...(timeoutMs ? { timeout: timeoutMs, killSignal: 'SIGKILL' } : {}),
  });
  const timedOut = child.error?.code === 'ETIMEDOUT';
  const failure = timedOut
    ? `was killed after the ${timeoutMs / 60000}-minute limit; --timeout-min raises it`
    : `exited with status ${child.status}${child.signal ? ` (${child.signal})` : ''}`;
  return { parsed: timedOut ? undefined : lastJsonLine(child.stdout), failure };
}
