import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A free TCP port on 127.0.0.1, as the OS hands one out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function answersPing(port: number, password?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(/\+PONG/.test(reply)));
    socket.on('data', (chunk) => {
      reply += chunk;
      if (/\+PONG/.test(reply) || /-/.test(reply)) socket.end();
    });
    socket.connect(port, '127.0.0.1', () => socket.write(`${password ? `AUTH ${password}\r\n` : ''}PING\r\n`));
  });
}

/** A redis-server of the tests' own, on a loopback port with its own temporary folder. */
export interface RedisServer {
  port: number;
  url: string;
  /** Stops the server (SIGTERM, which writes its append-only file) and waits for it to exit. */
  stop(): Promise<void>;
  /** Stops and starts it again on the same port and folder; with persistence on, its data survives. */
  restart(): Promise<void>;
}

/**
 * Starts Debian's `redis-server` on a free 127.0.0.1 port in a temporary folder, with
 * `maxmemory-policy noeviction` (BullMQ's requirement) and, with `persist`, the append-only file
 * fsynced on every write, so a restart loses nothing. A machine without redis-server fails here,
 * loudly: `pnpm verify` provisions it (scripts/provision-redis).
 */
export async function startRedis(options: { persist?: boolean; password?: string } = {}): Promise<RedisServer> {
  if (spawnSync('redis-server', ['--version']).error)
    throw new Error('redis-server is not installed; run `bash scripts/provision-redis` (pnpm verify does) or apt-get install redis-server');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'convkit-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--maxmemory-policy',
    'noeviction',
    '--save',
    '',
    '--appendonly',
    options.persist ? 'yes' : 'no',
    '--appendfsync',
    'always',
    ...(options.password ? ['--requirepass', options.password] : []),
  ];
  let child: ChildProcess;
  const launch = async () => {
    child = spawn('redis-server', args, { stdio: 'ignore' });
    for (let i = 0; i < 200; i++) {
      if (await answersPing(port, options.password)) return;
      if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode} on port ${port}`);
      await sleep(50);
    }
    throw new Error(`redis-server did not answer on port ${port}`);
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
  };
}
