import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the @convkit/cli package (where bin/run.js and package.json live). */
export const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Path of a test fixture plugin. */
export const fixture = (name: string) => join(cliRoot, 'test', 'fixtures', name);

/** An isolated oclif home (data, cache, config) so linked plugins do not leak between tests or into the user's. */
export function isolatedHome(): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'convkit-cli-'));
  return { XDG_DATA_HOME: join(home, 'data'), XDG_CACHE_HOME: join(home, 'cache'), XDG_CONFIG_HOME: join(home, 'config') };
}

/** A child's exit status and output. */
export interface ChildResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `command` with exactly `env`, without blocking the test worker, and collects its output. */
export function runAsync(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeout?: number },
): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? 300_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
  });
}

/**
 * Runs the built `bin/run.js` as a child process, as users run it. Asynchronous on purpose: a long
 * synchronous child starves vitest's worker RPC ("Timeout calling onTaskUpdate") on a loaded machine.
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildResult> {
  return runAsync(process.execPath, [join(cliRoot, 'bin', 'run.js'), ...args], {
    cwd: cliRoot,
    env: { ...process.env, CONVKIT_BACKEND: '', ...env },
    timeout: 120_000,
  });
}
