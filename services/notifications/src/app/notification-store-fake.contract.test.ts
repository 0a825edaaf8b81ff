import { notificationStoreContract } from '../../test/contracts/notification-store.contract';
import { createMemoryNotificationStore } from '../../test/memory/notification-store';

// The fast tests' fake keeps the contract the PostgreSQL store keeps (test/notification-store.contract.int.test.ts).
notificationStoreContract('in-memory fake', async () => {
  const store = createMemoryNotificationStore();
  return {
    store,
    async row(id) {
      const r = store.rows.find((candidate) => candidate.id === id);
      return (
        r && { status: r.status, attempts: r.attempts, providerMessageId: r.providerMessageId, lastError: r.lastError }
      );
    },
  };
});
