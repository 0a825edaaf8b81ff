import { createRuntime, createServer, databaseReadiness, migrate, openDatabase, runMain, serve } from '@ordersystem/platform';
import { loadCatalogConfig } from './config.js';
import { entities } from './db/entities.js';
import { migrations } from './db/migrations/index.js';
import { routes } from './routes.js';

runMain(async () => {
  const config = loadCatalogConfig();
  const runtime = createRuntime('catalog', config);
  const { logger, metrics, readiness, lifecycle } = runtime;

  const orm = await openDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, entities, migrations });
  lifecycle.onStop('database', () => orm.close());
  if (config.MIGRATE_ON_START) logger.info({ applied: await migrate(orm) }, 'migrations applied');
  readiness.add(databaseReadiness(orm));

  const server = createServer({ service: 'catalog', logger, metrics, readiness, routes: routes() });
  await serve(runtime, server, config);
});
