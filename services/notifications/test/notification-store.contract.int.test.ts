import type { Database } from '@ordersystem/platform';
import { type TestDatabase, openTestDatabase } from '@ordersystem/testing';
import type { NotificationStatus } from '../src/domain/notification';
import { migrations } from '../src/db/migrations';
import { createNotificationStore } from '../src/db/notification-store';
import { notificationStoreContract } from './contracts/notification-store.contract';

let testDb: TestDatabase;

let db: Database;

beforeAll(async () => {
  testDb = await openTestDatabase('notifications', migrations);
  db = testDb.db;
});

afterAll(async () => {
  await testDb?.close();
});

notificationStoreContract('PostgreSQL', async () => {
  await db.query('truncate notifications');
  return {
    store: createNotificationStore(db),
    async row(id) {
      const [r] = await db.query<{
        status: NotificationStatus;
        attempts: number;
        provider_message_id: string | null;
        last_error: string | null;
      }>('select status, attempts, provider_message_id, last_error from notifications where id = $1', [id]);
      return (
        r && {
          status: r.status,
          attempts: r.attempts,
          providerMessageId: r.provider_message_id,
          lastError: r.last_error,
        }
      );
    },
  };
});
