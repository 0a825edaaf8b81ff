import type { MigrationObject } from '@ordersystem/platform';
import { Migration0001Notifications } from './0001-notifications.js';

/** Every migration of the notifications schema, oldest first. Never edit one that has shipped; add a new one. */
export const migrations: MigrationObject[] = [{ name: '0001-notifications', class: Migration0001Notifications }];
