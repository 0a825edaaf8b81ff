import type { EntitySchema } from '@ordersystem/platform';

/** Every MikroORM entity of the notifications schema. */
export const entities: EntitySchema[] = [];
