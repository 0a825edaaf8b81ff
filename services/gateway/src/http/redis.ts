import { Redis } from 'ioredis';
import type { Logger } from '@ordersystem/platform';

/**
 * The Redis client behind the rate limiters. Commands fail fast instead of queueing while Redis
 * is away (the in-memory insurance limiter answers meanwhile). Start-up waits briefly for the
 * connection so the first requests are already counted in Redis, but a Redis outage at boot does
 * not keep the API down.
 */
export async function connectRedis(url: string, logger: Logger, waitMs = 3_000): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis error; rate limits fall back to per-process memory'));
  const ready = new Promise<boolean>((resolve) => redis.once('ready', () => resolve(true)));
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), waitMs).unref());
  if (!(await Promise.race([ready, timeout]))) logger.warn('redis not ready at start-up; continuing with in-memory rate limits');
  return redis;
}

/** Redis as /readyz reports it (information only, see the ops server). */
export const redisStatus = (redis: Redis): string => (redis.status === 'ready' ? 'SERVING' : `failing: ${redis.status}`);
