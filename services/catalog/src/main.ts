import {
  closeRedis,
  connectRedis,
  createRuntime,
  createServer,
  redisReadiness,
  runMain,
  serve,
  startDatabase,
  startWorker,
} from '@ordersystem/platform';
import { createCategoryUseCases } from './app/categories.js';
import { createInventoryUseCases } from './app/inventory.js';
import { createProductUseCases } from './app/products.js';
import { reservationSweep } from './app/reservation-sweep.js';
import { createRedisCache, noCache } from './clients/redis-cache.js';
import { loadCatalogConfig } from './config.js';
import { createCatalogMetrics } from './metrics.js';
import { createCategoryRepository } from './db/category-repository.js';
import { createInventoryRepository } from './db/inventory-repository.js';
import { migrations } from './db/migrations/index.js';
import { createProductRepository } from './db/product-repository.js';
import { routes } from './routes.js';

runMain(async () => {
  const config = loadCatalogConfig();
  const runtime = createRuntime('catalog', config);
  const { logger, metrics, readiness, lifecycle } = runtime;
  const { db } = await startDatabase(runtime, config, migrations);

  const redis = await connectRedis(config.REDIS_URL, logger, { fallback: 'reads go to the database' });
  lifecycle.onStop('redis', () => closeRedis(redis));
  readiness.add(redisReadiness(redis));
  const cache = config.CACHE_ENABLED
    ? createRedisCache(redis, logger, { prefix: config.CACHE_PREFIX, ttlSeconds: config.CACHE_TTL_SECONDS })
    : noCache;

  const currency = config.CATALOG_CURRENCY;
  const deps = {
    categories: createCategoryUseCases(createCategoryRepository(db), cache, currency),
    products: createProductUseCases(createProductRepository(db), cache, { currency, taxClasses: config.TAX_CLASSES }),
    inventory: createInventoryUseCases(createInventoryRepository(db), cache, {
      ttlSeconds: config.RESERVATION_TTL_SECONDS,
    }),
  };
  const sweeper = startWorker({
    name: 'reservation-sweeper',
    pass: reservationSweep(deps.inventory, logger, createCatalogMetrics(metrics.registry).reservationsExpired),
    intervalMs: config.SWEEP_INTERVAL_MS,
    logger,
    registry: metrics.registry,
  });
  lifecycle.onStop('reservation-sweeper', () => sweeper.stop());

  const server = createServer({ service: 'catalog', logger, metrics, readiness, routes: routes(deps) });
  await serve(runtime, server, config);
});
