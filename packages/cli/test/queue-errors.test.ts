import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RedisServer, startRedis } from './redis-server.js';
import { isolatedHome, runCli } from './run-cli.js';

describe('a worker pointed at a queue it cannot use exits 1 with one line', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis({ password: 'right-password' });
  });
  afterAll(async () => {
    await redis?.stop();
  });

  const oneLine = async (args: string[], expected: RegExp) => {
    const result = await runCli(args, isolatedHome());
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(expected);
  };

  it('wrong password', () =>
    oneLine(
      ['worker', '--queue', `redis://:wrong@127.0.0.1:${redis.port}`],
      /^convkit: Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ refused the credentials \(WRONGPASS\); fix the user or password in --queue/,
    ));

  it('no password for a server that needs one', () =>
    oneLine(['worker', '--queue', redis.url], /^convkit: Redis at redis:\/\/127\.0\.0\.1:\d+ needs a password \(NOAUTH\)/));

  it('nothing listening at the URL', async () => {
    const port = await freePort();
    await oneLine(
      ['worker', '--queue', `redis://127.0.0.1:${port}`],
      /^convkit: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(connection refused\)/,
    );
  });

  it('not a Redis URL, for the worker and for the sweep', async () => {
    await oneLine(
      ['worker', '--queue', 'http://127.0.0.1:6379'],
      /^convkit: --queue http:\/\/127\.0\.0\.1:6379 is not a Redis URL; expected redis:\/\//,
    );
    await oneLine(
      ['sweep', '--config', 'missing.yaml', '--queue', 'redis://127.0.0.1:1'],
      /^convkit: cannot read sweep config missing\.yaml \(ENOENT\)/,
    );
  });
});
