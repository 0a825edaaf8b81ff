import type { EntitySchema } from '@ordersystem/platform';

/** Every MikroORM entity of the orders schema. */
export const entities: EntitySchema[] = [];
