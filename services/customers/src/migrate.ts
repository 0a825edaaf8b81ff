import { createLogger, migrate, openDatabase, runMain } from '@ordersystem/platform';
import { loadCustomersConfig } from './config.js';
import { entities } from './db/entities.js';
import { migrations } from './db/migrations/index.js';

/** Applies pending migrations to the customers schema and exits (a Kubernetes hook Job runs this). */
runMain(async () => {
  const config = loadCustomersConfig();
  const logger = createLogger({ service: 'customers-migrate', level: config.LOG_LEVEL });
  const orm = await openDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, entities, migrations });
  try {
    const applied = await migrate(orm);
    logger.info({ applied }, 'migrations applied');
  } finally {
    await orm.close();
  }
});
