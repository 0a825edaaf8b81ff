import type { EntitySchema } from '@ordersystem/platform';

/** Every MikroORM entity of the catalog schema. */
export const entities: EntitySchema[] = [];
