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

/** Runs `command` to its end (stderr shown) and returns its last JSON line of stdout, parsed, and its exit status. */
export function runForJson(command, args, options) {
  const child = spawnSync(command, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'], maxBuffer: 1 << 24, ...options });
  return { parsed: lastJsonLine(child.stdout), status: child.status };
}
