import type { Redis } from '@ordersystem/platform';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Limiter } from '../limits/limiter.js';

export interface LimiterOptions {
  redis: Redis;
  /** Key prefix in Redis; distinct per limiter (and per test run). */
  keyPrefix: string;
  points: number;
  durationSeconds: number;
}

/**
 * A fixed-window limiter shared by every gateway replica through Redis. If Redis is unreachable
 * the per-process in-memory insurance limiter takes over with the same budget: limits get looser
 * (per replica instead of global) but the API stays up and abuse is still capped.
 */
export function createLimiter(options: LimiterOptions): Limiter {
  const { points, durationSeconds: duration, keyPrefix } = options;
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix,
    points,
    duration,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
  });
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
        return { allowed: true };
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) throw res;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
      }
    },
  };
}
