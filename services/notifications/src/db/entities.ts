import type { EntitySchema } from '@ordersystem/platform';

/**
 * Every MikroORM entity of the notifications schema: none. The delivery table is used only through
 * single-statement SQL (idempotent inserts, SKIP LOCKED claims, conditional updates) in
 * notification-store.ts, where an identity map would add nothing but stale state.
 */
export const entities: EntitySchema[] = [];
