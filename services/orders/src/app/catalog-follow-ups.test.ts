import type { Logger } from '@ordersystem/platform';
import { failedPrecondition, unavailable } from '@ordersystem/platform/errors';
import { createCatalogFollowUps } from './catalog-follow-ups.js';
import type { CatalogTask, InventoryPort } from './ports.js';

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as Logger;

function followUps(commit: InventoryPort['commit'], abandoned: string[] = []) {
  const log: string[] = [];
  const queue: CatalogTask[] = [{ id: '1', orderId: 'o1', action: 'commit_reservation', attempts: 3 }];
  const f = createCatalogFollowUps({
    tasks: {
      claim: async () => queue.splice(0, 1),
      done: async (ids) => void (ids.length > 0 && log.push(`done ${ids.join(',')}`)),
      retryLater: async (id, delay) => void log.push(`retry ${id} in ${delay}`),
      fail: async (id) => void log.push(`parked ${id}`),
    },
    journal: {
      acquire: async () => 'lease-1',
      // A retry of the placement took over the lease of the order ids ending in "-retried".
      extend: async (id, token) => (id.endsWith('-retried') ? undefined : `${token}+`),
      clear: async (id, token) => void log.push(`cleared ${id} (${token})`),
      claimAbandoned: async () => abandoned.splice(0).map((orderId) => ({ orderId, token: `claim-${orderId}` })),
    },
    inventory: {
      reserve: async () => [],
      release: async (id) => void log.push(`released ${id}`),
      commit,
      restock: async () => undefined,
    },
    logger,
    leaseMs: 1_000,
    maxBackoffMs: 1_500,
  });
  return { f, log };
}

describe('catalog follow-ups', () => {
  it('deletes a task the catalog accepted', async () => {
    const { f, log } = followUps(async () => undefined);
    await f.runForOrder('o1');
    expect(log).toEqual(['done 1']);
  });

  it('retries an outage later with capped exponential backoff', async () => {
    const { f, log } = followUps(async () => Promise.reject(unavailable('catalog is unavailable')));
    await f.runForOrder('o1');
    expect(log).toEqual(['retry 1 in 1500']); // 200 × 2³ = 1600, capped at 1500
  });

  it('parks a task the catalog refuses for good', async () => {
    const { f, log } = followUps(async () =>
      Promise.reject(failedPrecondition('the reservation was expired', 'order_id')),
    );
    await f.runForOrder('o1');
    expect(log).toEqual(['parked 1']);
  });

  it('releases abandoned reservations before due tasks and reports how much a pass did', async () => {
    const { f, log } = followUps(async () => undefined, ['o9']);
    expect(await f.pass()).toBe(2);
    expect(log).toEqual(['released o9', 'cleared o9 (claim-o9+)', 'done 1']);
    expect(await f.pass()).toBe(0);
  });

  it('runs queued orders together: one claim for all of them, one delete for what succeeded', async () => {
    const log: string[] = [];
    const claims: Array<readonly string[] | undefined> = [];
    const queue: CatalogTask[] = ['a', 'b', 'c'].map((o, i) => ({
      id: String(i + 1),
      orderId: o,
      action: 'commit_reservation',
      attempts: 0,
    }));
    const f = createCatalogFollowUps({
      tasks: {
        claim: async (_lease, limit, orderIds) => {
          claims.push(orderIds);
          return queue.splice(0, limit).filter((t) => !orderIds || orderIds.includes(t.orderId));
        },
        done: async (ids) => void log.push(`done ${ids.join(',')}`),
        retryLater: async (id) => void log.push(`retry ${id}`),
        fail: async (id) => void log.push(`parked ${id}`),
      },
      journal: {} as never,
      inventory: {
        reserve: async () => [],
        release: async () => undefined,
        commit: async (orderId) => (orderId === 'b' ? Promise.reject(unavailable('catalog is busy')) : undefined),
        restock: async () => undefined,
      },
      logger,
      leaseMs: 1_000,
      maxBackoffMs: 1_500,
    });
    f.queue('a');
    f.queue('b');
    f.queue('c');
    f.queue('a');
    expect(await f.drainQueued()).toBe(3);
    expect(claims[0]).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['retry 2', 'done 1,3']);
    expect(await f.drainQueued()).toBe(0);
  });

  it('leaves an abandoned reservation alone once a retry of its placement took the lease over', async () => {
    const { f, log } = followUps(async () => undefined, ['o8-retried']);
    await f.pass();
    expect(log).toEqual(['done 1']);
  });
});
