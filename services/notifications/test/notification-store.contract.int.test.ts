import { type Database, type MikroORM, createSql, migrate, openDatabase } from '@ordersystem/platform';
import { type TestSchema, createTestSchema, infraEnv } from '@ordersystem/testing';
import type { NotificationStatus } from '../src/domain/notification';
import { migrations } from '../src/db/migrations';
import { createNotificationStore } from '../src/db/notification-store';
import { notificationStoreContract } from './contracts/notification-store.contract';

let schema: TestSchema;
let orm: MikroORM;
let db: Database;

beforeAll(async () => {
  schema = await createTestSchema(infraEnv(), 'notifications');
  orm = await openDatabase({ url: schema.url, schema: schema.schema, migrations });
  await migrate(orm);
  db = createSql(orm);
});

afterAll(async () => {
  await orm?.close();
  await schema?.drop();
});

notificationStoreContract('PostgreSQL', async () => {
  await db.query('truncate notifications');
  return {
    store: createNotificationStore(db),
    async row(id) {
      const [r] = await db.query<{ status: NotificationStatus; attempts: number; provider_message_id: string | null; last_error: string | null }>(
        'select status, attempts, provider_message_id, last_error from notifications where id = $1',
        [id],
      );
      return r && { status: r.status, attempts: r.attempts, providerMessageId: r.provider_message_id, lastError: r.last_error };
    },
  };
});
