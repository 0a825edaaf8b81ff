import type { Logger } from '@ordersystem/platform';
import { Redis } from 'ioredis';

/**
 * Opens the Redis connection before the service starts listening, so the first readiness probe
 * already sees it. Commands fail fast instead of queueing (no offline queue, 1 s timeout): a slow
 * or absent Redis must degrade reads to the database, not stall them. If Redis is down at start-up
 * the service still starts (readiness reports it) and ioredis keeps reconnecting in the background.
 */
export async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000 });
  redis.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  await redis.connect().catch((err: unknown) => logger.error({ err }, 'redis unavailable at start-up; reads go to the database'));
  return redis;
}

/** Closes politely when connected; a connection that is down is just dropped, which is not a shutdown failure. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}

/** Readiness check: Redis answers PING. */
export function redisReadiness(redis: Redis): { name: string; check: () => Promise<void> } {
  return { name: 'redis', check: async () => void (await redis.ping()) };
}
