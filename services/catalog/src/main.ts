import { createRuntime, createServer, databaseReadiness, migrate, openDatabase, runMain, serve } from '@ordersystem/platform';
import { startSweeper } from './app/sweeper.js';
import { createRedisCache, noCache } from './cache/redis-cache.js';
import { closeRedis, connectRedis, redisReadiness } from './cache/redis-client.js';
import { loadCatalogConfig } from './config.js';
import { entities } from './db/entities.js';
import { migrations } from './db/migrations/index.js';
import { createDatabase } from './db/sql.js';
import { createDeps, routes } from './routes.js';

runMain(async () => {
  const config = loadCatalogConfig();
  const runtime = createRuntime('catalog', config);
  const { logger, metrics, readiness, lifecycle } = runtime;

  const orm = await openDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, entities, migrations, poolMax: config.DATABASE_POOL_MAX });
  lifecycle.onStop('database', () => orm.close());
  if (config.MIGRATE_ON_START) logger.info({ applied: await migrate(orm) }, 'migrations applied');
  readiness.add(databaseReadiness(orm));

  const redis = await connectRedis(config.REDIS_URL, logger);
  lifecycle.onStop('redis', () => closeRedis(redis));
  readiness.add(redisReadiness(redis));
  const cache = config.CACHE_ENABLED
    ? createRedisCache(redis, logger, { prefix: config.CACHE_PREFIX, ttlSeconds: config.CACHE_TTL_SECONDS })
    : noCache;

  const deps = createDeps(createDatabase(orm), cache, {
    currency: config.CATALOG_CURRENCY, taxClasses: config.TAX_CLASSES, reservationTtlSeconds: config.RESERVATION_TTL_SECONDS,
  });
  const sweeper = startSweeper(() => deps.inventory.expireOverdue(), config.SWEEP_INTERVAL_MS, logger);
  lifecycle.onStop('sweeper', () => sweeper.stop());

  const server = createServer({ service: 'catalog', logger, metrics, readiness, routes: routes(deps) });
  await serve(runtime, server, config);
});
