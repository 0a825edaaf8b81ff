import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { ReadinessCheck } from '../server/readiness.js';

export type { Redis } from 'ioredis';

export interface RedisOptions {
  /** What degrades while Redis is away, for the log line ("reads go to the database"). */
  fallback: string;
  /** How long start-up waits for the first connection before going on without it. */
  waitMs?: number;
}

/**
 * Redis as every service uses it: a cache or a shared counter, never the system of record. Commands
 * fail fast instead of queueing (no offline queue, one retry, 1 s timeout), so a slow or absent
 * Redis degrades the feature instead of stalling requests. Start-up waits briefly so the first
 * requests already use Redis, but an outage at boot does not keep the service down; ioredis keeps
 * reconnecting in the background.
 *
 * Commands issued in the same turn of the event loop go out as one pipeline (one socket write):
 * the gateway charges every request to the rate limit, and one write per request was a fifth of
 * its CPU on a cached read.
 */
export async function connectRedis(url: string, logger: Logger, options: RedisOptions): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
    enableAutoPipelining: true,
  });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, `redis error; ${options.fallback}`));
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), options.waitMs ?? 3_000).unref());
  const connected = redis.connect().then(
    () => true,
    () => false,
  );
  if (!(await Promise.race([connected, timeout]))) logger.error(`redis unavailable at start-up; ${options.fallback}`);
  return redis;
}

/** Closes politely when connected; a connection that is down is just dropped, which is not a shutdown failure. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
}

/** Readiness check for a service that needs Redis to be ready: Redis answers PING. */
export function redisReadiness(redis: Redis): ReadinessCheck {
  return { name: 'redis', check: async () => void (await redis.ping()) };
}

/** Redis as /readyz reports it where it is information only (the gateway's rate limits fall back). */
export const redisStatus = (redis: Redis): string =>
  redis.status === 'ready' ? 'SERVING' : `failing: ${redis.status}`;
