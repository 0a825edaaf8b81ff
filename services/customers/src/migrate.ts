import { runMigrationJob } from '@ordersystem/platform';
import { loadCustomersConfig } from './config.js';
import { migrations } from './db/migrations/index.js';

/** Applies pending migrations to the customers schema and exits (a Kubernetes hook Job runs this). */
runMigrationJob('customers', loadCustomersConfig, migrations);
