import type { MigrationObject } from '@ordersystem/platform';
import { Migration0001Orders } from './0001-orders.js';
import { Migration0002Payments } from './0002-payments.js';

/** Every migration of the orders schema, oldest first. Never edit one that has shipped; add a new one. */
export const migrations: MigrationObject[] = [
  { name: '0001-orders', class: Migration0001Orders },
  { name: '0002-payments', class: Migration0002Payments },
];
