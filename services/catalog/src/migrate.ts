import { runMigrationJob } from '@ordersystem/platform';
import { loadCatalogConfig } from './config.js';
import { migrations } from './db/migrations/index.js';

runMigrationJob('catalog', loadCatalogConfig, migrations);
