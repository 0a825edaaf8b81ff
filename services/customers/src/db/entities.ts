import type { EntitySchema } from '@ordersystem/platform';

/** Every MikroORM entity of the customers schema. */
export const entities: EntitySchema[] = [];
