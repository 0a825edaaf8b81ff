import type { Logger } from '@ordersystem/platform';
import { failedPrecondition, unavailable } from '@ordersystem/platform/errors';
import type { InventoryPort } from '../app/ports.js';
import type { CatalogTask } from '../db/catalog-task-store.js';
import { CatalogTaskWorker } from './catalog-task-worker.js';

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as Logger;

function worker(commit: InventoryPort['commit']) {
  const log: string[] = [];
  let queue: CatalogTask[] = [{ id: '1', orderId: 'o1', action: 'commit_reservation', attempts: 3 }];
  const w = new CatalogTaskWorker({
    store: {
      claim: async () => queue.splice(0, 1),
      done: async (id) => void log.push(`done ${id}`),
      retryLater: async (id, delay) => void log.push(`retry ${id} in ${delay}`),
      fail: async (id) => void log.push(`parked ${id}`),
    },
    journal: { acquire: async () => true, clear: async () => undefined, claimAbandoned: async () => [] },
    inventory: { reserve: async () => [], release: async () => undefined, commit, restock: async () => undefined },
    logger,
    leaseMs: 1_000,
    pollMs: 1_000,
    maxBackoffMs: 1_500,
  });
  return { w, log, reset: () => (queue = []) };
}

describe('catalog follow-up worker', () => {
  it('deletes a task the catalog accepted', async () => {
    const { w, log } = worker(async () => undefined);
    await w.runForOrder('o1');
    expect(log).toEqual(['done 1']);
  });

  it('retries an outage later with capped exponential backoff', async () => {
    const { w, log } = worker(async () => Promise.reject(unavailable('catalog is unavailable')));
    await w.runForOrder('o1');
    expect(log).toEqual(['retry 1 in 1500']); // 200 × 2³ = 1600, capped at 1500
  });

  it('parks a task the catalog refuses for good', async () => {
    const { w, log } = worker(async () => Promise.reject(failedPrecondition('the reservation was expired', 'order_id')));
    await w.runForOrder('o1');
    expect(log).toEqual(['parked 1']);
  });
});
