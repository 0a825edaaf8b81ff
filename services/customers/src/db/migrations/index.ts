import type { MigrationObject } from '@ordersystem/platform';
import { Migration0001Identity } from './0001-identity.js';

/** Every migration of the customers schema, oldest first. Never edit one that has shipped; add a new one. */
export const migrations: MigrationObject[] = [{ name: '0001-identity', class: Migration0001Identity }];
