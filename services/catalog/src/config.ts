import { baseEnv, databaseEnv, loadConfig } from '@ordersystem/platform';
import { z } from 'zod';

const catalogEnv = {
  REDIS_URL: z.url({ protocol: /^rediss?$/ }),
  /** Prefix of every Redis key, so environments (and test runs) sharing a Redis never collide. */
  CACHE_PREFIX: z.string().min(1).default('catalog'),
  /** Turns the read cache off entirely (benchmarks of uncached reads, debugging). */
  CACHE_ENABLED: z.stringbool().default(true),
  /** Upper bound on how long a cached entry lives; invalidation normally retires it much sooner. */
  CACHE_TTL_SECONDS: z.coerce.number().int().positive().default(300),
  /** The one currency of the catalog (ISO 4217). */
  CATALOG_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('KES'),
  /** Comma-separated allowed tax classes. */
  TAX_CLASSES: z
    .string()
    .default('standard,reduced,zero')
    .transform((s) =>
      s
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    ),
  /** How long an uncommitted reservation holds stock before the sweeper returns it. */
  RESERVATION_TTL_SECONDS: z.coerce.number().int().positive().default(900),
  SWEEP_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),
};

/** Every setting of the catalog service, read once from the environment at start-up. */
export function loadCatalogConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig({ ...baseEnv, ...databaseEnv, ...catalogEnv }, env);
}

export type CatalogConfig = ReturnType<typeof loadCatalogConfig>;
