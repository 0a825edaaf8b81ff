import type { MigrationObject } from '@ordersystem/platform';

/** Every migration of the notifications schema, oldest first. Never edit one that has shipped; add a new one. */
export const migrations: MigrationObject[] = [];
