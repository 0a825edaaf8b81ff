import type { Redis } from '@ordersystem/platform';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { SharedWindow, WindowCharge } from '../limits/limiter.js';

export interface WindowOptions {
  redis: Redis;
  /** Key prefix in Redis; distinct per limiter (and per test run). */
  keyPrefix: string;
  points: number;
  durationSeconds: number;
}

const toCharge = (res: RateLimiterRes, allowed: boolean): WindowCharge => ({
  allowed,
  remaining: Math.max(0, res.remainingPoints),
  resetInMs: Math.max(0, res.msBeforeNext),
});

/**
 * A fixed window shared by every gateway replica through Redis. If Redis is unreachable the
 * per-process in-memory insurance limiter takes over with the same budget: limits get looser
 * (per replica instead of global) but the API stays up and abuse is still capped.
 */
export function createSharedWindow(options: WindowOptions): SharedWindow {
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
    points,
    async charge(key, n) {
      try {
        return toCharge(await limiter.consume(key, n), true);
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) throw res;
        return toCharge(res, false);
      }
    },
  };
}
