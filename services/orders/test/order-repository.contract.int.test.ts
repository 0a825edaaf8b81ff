import { createSql, migrate, type MikroORM, openDatabase } from '@ordersystem/platform';
import { createTestSchema, infraEnv, type TestSchema } from '@ordersystem/testing';
import { migrations } from '../src/db/migrations';
import { PgOrderRepository } from '../src/db/order-repository';
import type { CatalogAction } from '../src/domain/order-status';
import { orderRepositoryContract } from './contracts/order-repository.contract';

describe('PgOrderRepository honours the OrderRepository contract', () => {
  let schema: TestSchema;
  let orm: MikroORM;

  afterAll(async () => {
    await orm?.close();
    await schema?.drop();
  });

  orderRepositoryContract(async (encode) => {
    schema = await createTestSchema(infraEnv(), 'orders');
    orm = await openDatabase({ url: schema.url, schema: schema.schema, migrations });
    await migrate(orm);
    const db = createSql(orm);
    return {
      orders: new PgOrderRepository(db, encode),
      written: async (orderId) => ({
        events: (
          await db.query<{ event_type: string }>(`select event_type from outbox where order_id = $1 order by id`, [
            orderId,
          ])
        ).map((r) => r.event_type),
        tasks: (
          await db.query<{ action: CatalogAction }>(
            `select action from catalog_tasks where order_id = $1 order by id`,
            [orderId],
          )
        ).map((r) => r.action),
      }),
    };
  });
});
