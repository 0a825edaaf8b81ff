import type { MigrationObject } from '@ordersystem/platform';
import { Migration0001Catalog } from './0001-catalog.js';

/** Every migration of the catalog schema, oldest first. Never edit one that has shipped; add a new one. */
export const migrations: MigrationObject[] = [{ name: '0001-catalog', class: Migration0001Catalog }];
