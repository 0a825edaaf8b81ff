import { runMigrationJob } from '@ordersystem/platform';
import { loadOrdersConfig } from './config.js';
import { migrations } from './db/migrations/index.js';

/** Applies pending migrations to the orders schema and exits (a Kubernetes hook Job runs this). */
runMigrationJob('orders', loadOrdersConfig, migrations);
