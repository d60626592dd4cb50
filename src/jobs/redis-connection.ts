import { Redis } from 'ioredis';
import { DocentError, describeError } from '../core/errors.js';

/** The URL without its password, for logs and error messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured Redis URL';
  }
}

/**
 * A Redis connection for BullMQ. Workers need `maxRetriesPerRequest: null` (BullMQ's
 * blocking commands wait indefinitely and must survive a Redis restart); ioredis then
 * reconnects with backoff on its own, so a restarted Redis is picked up without a restart
 * of Docent.
 */
export function createRedisConnection(url: string): Redis {
  const connection = new Redis(url, {
    maxRetriesPerRequest: null,
    // Reconnect every 0.1 s at first, then at most every 2 s, for as long as Redis is away.
    retryStrategy: (times) => Math.min(times * 100, 2000),
    lazyConnect: true,
  });
  // Connection errors are retried by ioredis; without a listener each would be printed as "unhandled error event".
  connection.on('error', () => undefined);
  return connection;
}

/** Connects, or fails within `timeoutMilliseconds` with a message that names Redis but not its password. */
export async function connectRedis(connection: Redis, url: string, timeoutMilliseconds = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      (connection.status === 'wait' ? connection.connect() : Promise.resolve()).then(() => connection.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMilliseconds / 1000} s`)), timeoutMilliseconds);
      }),
    ]);
  } catch (error) {
    throw new DocentError('queue_unavailable', `cannot reach Redis at ${redactRedisUrl(url)} (jobs.redisUrl / REDIS_URL): ${describeError(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
