import type { Logger, Redis } from '@ordersystem/platform';
import type { CacheScope, ReadCache } from '../app/ports.js';
import { decode, encode } from './codec.js';

export interface RedisCacheOptions {
  prefix: string;
  ttlSeconds: number;
  /** Decoded values kept in process, keyed by generation-qualified key (so never stale); 0 disables. */
  localEntries?: number;
}

/**
 * Generation-keyed read-through cache. Each scope (a family, or one product) has a counter in
 * Redis that is part of every data key; a write INCRs the counters it affects after its commit.
 * A reader fetches the counter before reading the database, so a value loaded before a commit
 * can only ever be stored under the old generation, which no later reader asks for: no stale read
 * after a write returns, and no delete/set race. Old generations simply expire (TTL).
 * Any Redis failure is logged and the read goes to the database.
 * Decoded values are also kept in a small in-process map under the same generation-qualified key:
 * the counter is still read from Redis on every call, so a write on any replica retires them too,
 * while big values (the whole tree) skip the Redis transfer and JSON decoding.
 */
export function createRedisCache(redis: Redis, logger: Logger, options: RedisCacheOptions): ReadCache {
  const genKey = (s: CacheScope) => `${options.prefix}:gen:${s.family}${s.id ? `:${s.id}` : ''}`;
  const genTtl = Math.max(86_400, options.ttlSeconds * 10);
  // Local entries expire like Redis ones, so losing the counters (a Redis flush) bounds staleness the same way.
  const local = new Map<string, { value: unknown; until: number }>();
  const maxLocal = options.localEntries ?? 1000;
  const remember = (key: string, value: unknown) => {
    if (maxLocal === 0) return;
    if (local.size >= maxLocal) local.delete(local.keys().next().value!);
    local.set(key, { value, until: Date.now() + options.ttlSeconds * 1000 });
  };

  return {
    async read<T>(scope: CacheScope, key: string, load: () => Promise<T>): Promise<T> {
      let dataKey: string | undefined;
      try {
        const gen = (await redis.get(genKey(scope))) ?? '0';
        dataKey = `${options.prefix}:${scope.family}:${gen}:${key}`;
        const near = local.get(dataKey);
        if (near && near.until > Date.now()) return near.value as T;
        const hit = await redis.get(dataKey);
        if (hit !== null) {
          const value = decode<T>(hit);
          remember(dataKey, value);
          return value;
        }
      } catch (err) {
        logger.warn({ err, scope: scope.family }, 'cache read failed; reading the database');
        dataKey = undefined;
      }
      const value = await load();
      if (dataKey && value !== undefined) {
        remember(dataKey, value);
        redis.set(dataKey, encode(value), 'EX', options.ttlSeconds).catch((err: unknown) => {
          logger.warn({ err, scope: scope.family }, 'cache fill failed');
        });
      }
      return value;
    },

    async invalidate(scopes) {
      if (scopes.length === 0) return;
      try {
        const pipeline = redis.multi();
        for (const scope of scopes) {
          pipeline.incr(genKey(scope));
          // Counters outlive every entry made under them by far, so one that expires after a quiet day
          // restarts at 0 with no old entry left to collide with; meanwhile unused prefixes clean themselves up.
          pipeline.expire(genKey(scope), genTtl);
        }
        await pipeline.exec();
      } catch (err) {
        // The write has committed; entries expire within ttlSeconds at the latest.
        logger.error({ err }, 'cache invalidation failed; entries may be stale until their TTL');
      }
    },
  };
}

/** A cache that always reads through (CACHE_ENABLED=false, and in-process tests that count SQL). */
export const noCache: ReadCache = {
  read: (_scope, _key, load) => load(),
  invalidate: async () => {},
};
