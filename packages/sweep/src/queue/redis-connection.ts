import { ConvkitError } from '@convkit/core';
import { Redis } from 'ioredis';

/** The name of the BullMQ queue trials go on when none is given. */
export const DEFAULT_QUEUE_NAME = 'convkit-trials';

/** `url` with its password replaced by `***`, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/** Checks a `--queue` URL's form: `redis://` or `rediss://` (TLS), a host, and optionally user, password, port and database. */
export function parseQueueUrl(url: string): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['redis:', 'rediss:'].includes(parsed.protocol) || parsed.hostname === '')
    throw new ConvkitError(
      'bad-queue-url',
      `--queue ${redactUrl(url)} is not a Redis URL; expected redis://[user:password@]host[:port][/db] (rediss:// for TLS)`,
    );
  if (parsed.pathname !== '' && parsed.pathname !== '/' && !/^\/\d+$/.test(parsed.pathname))
    throw new ConvkitError(
      'bad-queue-url',
      `--queue ${redactUrl(url)} names database "${parsed.pathname.slice(1)}"; a Redis database is a number such as /0`,
    );
  return parsed;
}

/** The one-line reason a Redis connection failed, naming the server and the fix. */
export function connectionError(url: string, error: Error & { code?: string }): ConvkitError {
  const where = `Redis at ${redactUrl(url)}`;
  const message = error.message ?? '';
  const reason = (() => {
    if (error.code === 'ECONNREFUSED') return `cannot reach ${where} (connection refused); start redis-server there or fix --queue`;
    if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return `cannot resolve the host of ${where}; fix the host in --queue`;
    if (/WRONGPASS|invalid password|invalid username-password/i.test(message))
      return `${where} refused the credentials (WRONGPASS); fix the user or password in --queue redis://[user]:PASSWORD@host:port`;
    if (/NOAUTH/.test(message)) return `${where} needs a password (NOAUTH); give it in --queue redis://:PASSWORD@host:port`;
    if (/without any password configured/.test(message)) return `${where} has no password set, but --queue gives one; drop it from the URL`;
    if (/timeout/i.test(message) || error.code === 'ETIMEDOUT')
      return `${where} did not answer in time; check the host and port in --queue`;
    return `cannot use ${where}: ${message.split('\n')[0]}; check --queue and that the server is a Redis 6.2 or newer`;
  })();
  return new ConvkitError('queue-unavailable', reason);
}

/** Options of {@link connectRedis}. */
export interface ConnectOptions {
  /** Told when the server evicts keys (BullMQ needs `maxmemory-policy noeviction` to lose no job), and when the connection drops and comes back. */
  onWarning?: (message: string) => void;
}

/**
 * Connects to the Redis of a `--queue` URL. The first connection is tried once, so a wrong URL or
 * password is a one-line error at once; the connection returned then reconnects on its own for as
 * long as it takes (a Redis restarted mid-sweep), with commands waiting meanwhile, as BullMQ's
 * workers need (`maxRetriesPerRequest: null`).
 */
export async function connectRedis(url: string, options: ConnectOptions = {}): Promise<Redis> {
  parseQueueUrl(url);
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 5000,
    enableOfflineQueue: false,
  });
  // The awaited calls reject with a bare "Connection is closed"; the event says why (ECONNREFUSED, ...).
  let cause: Error | undefined;
  probe.on('error', (error: Error) => {
    cause ??= error;
  });
  try {
    await probe.connect();
    await probe.ping();
    const policy = (await probe.config('GET', 'maxmemory-policy').catch(() => [])) as string[];
    if (policy[1] !== undefined && policy[1] !== 'noeviction')
      options.onWarning?.(
        `${redactUrl(url)} has maxmemory-policy ${policy[1]}; set it to noeviction, or Redis may drop queued trials when full`,
      );
  } catch (error) {
    throw connectionError(url, cause ?? (error as Error));
  } finally {
    probe.disconnect();
  }
  const connection = new Redis(url, {
    maxRetriesPerRequest: null,
    // Back off to one try a second: a restart takes seconds, an outage may take longer.
    retryStrategy: (times) => Math.min(times * 100, 1000),
  });
  // One line when the connection drops and one when it is back, not one per reconnection attempt.
  let down = false;
  connection.on('error', (error: Error & { code?: string }) => {
    if (down) return;
    down = true;
    options.onWarning?.(`lost ${redactUrl(url)} (${error.code ?? error.message.split('\n')[0]}); reconnecting`);
  });
  connection.on('ready', () => {
    if (!down) return;
    down = false;
    options.onWarning?.(`reconnected to ${redactUrl(url)}`);
  });
  return connection;
}
