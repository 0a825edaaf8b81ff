import { runMigrationJob } from '@ordersystem/platform';
import { loadNotificationsConfig } from './config.js';
import { migrations } from './db/migrations/index.js';

/** Applies pending migrations to the notifications schema and exits (a Kubernetes hook Job runs this). */
runMigrationJob('notifications', loadNotificationsConfig, migrations);
