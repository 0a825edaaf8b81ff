import pino from 'pino';
import { aDraft, anEvent } from '../../test/contracts/notification-store.contract';
import { createMemoryNotificationStore } from '../../test/memory/notification-store';
import type { Notification } from '../domain/notification';
import { createDispatcher } from './dispatcher';
import type { DeliveryMetrics, Sender } from './ports';

/** What pg reports when pg_terminate_backend cuts the connection a statement runs on. */
const connectionCut = () =>
  Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

function world(options: { leaseMs?: number } = {}) {
  const store = createMemoryNotificationStore();
  const sent: Notification[] = [];
  const deadLetters: Notification[] = [];
  const counted: string[] = [];
  let markSentFailures: Array<() => Error> = [];
  const sms: Sender = { send: async (n) => (sent.push(n), { providerMessageId: `SM-${sent.length}` }) };
  const metrics: DeliveryMetrics = {
    sent: () => counted.push('sent'),
    failed: () => counted.push('failed'),
    retried: () => counted.push('retried'),
    dead: () => counted.push('dead'),
  };
  const flakyStore = {
    ...store,
    markSent: async (id: string, providerMessageId: string) => {
      const failure = markSentFailures.shift();
      if (failure) throw failure();
      return store.markSent(id, providerMessageId);
    },
  };
  const dispatcher = createDispatcher({
    store: flakyStore,
    senders: { sms, email: sms },
    metrics,
    logger: pino({ level: 'silent' }),
    deadLetters: { publishDeadNotification: async (n) => void deadLetters.push(n) },
    retry: { baseMs: 10, factor: 2, capMs: 100, maxAttempts: 3 },
    batchSize: 10,
    leaseMs: options.leaseMs ?? 60_000,
    recordRetryDelaysMs: [1, 1],
  });
  return {
    store,
    sent,
    deadLetters,
    counted,
    dispatcher,
    failMarkSent: (...errors: Array<() => Error>) => void (markSentFailures = errors),
    async oneNotification() {
      await store.storeEvent(anEvent(), [aDraft()]);
      return store.rows[store.rows.length - 1]!;
    },
  };
}

describe('dispatcher recording provider answers', () => {
  it('retries the write through a brief database cut and records the send once', async () => {
    const w = world();
    const row = await w.oneNotification();
    w.failMarkSent(connectionCut, connectionCut);
    expect(await w.dispatcher.runOnce()).toBe(1);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, providerMessageId: 'SM-1' });
    expect(w.counted).toEqual(['sent']);
  });

  it('keeps an answer the database would not take, and stores it before expiring any lease', async () => {
    const w = world({ leaseMs: 0 });
    const row = await w.oneNotification();
    w.failMarkSent(connectionCut, connectionCut, connectionCut, connectionCut);
    await w.dispatcher.runOnce();
    expect(row.status).toBe('sending');
    expect(w.counted).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The database is still away at the next pass: it fails before it could expire the (ran out) lease.
    await expect(w.dispatcher.runOnce()).rejects.toThrow('administrator command');
    expect(row.status).toBe('sending');
    expect(await w.dispatcher.runOnce()).toBe(0);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, providerMessageId: 'SM-1', lastError: null });
    expect(w.sent).toHaveLength(1);
    expect(w.deadLetters).toHaveLength(0);
    expect(w.counted).toEqual(['sent']);
  });

  it('does not retry a write that failed for another reason than a lost connection, but keeps the answer', async () => {
    const w = world();
    const row = await w.oneNotification();
    w.failMarkSent(() => new Error('deadlock detected'), connectionCut);
    await w.dispatcher.runOnce();
    expect(row.status).toBe('sending');
    await expect(w.dispatcher.drain()).resolves.toBeUndefined();
    expect(row).toMatchObject({ status: 'sent', providerMessageId: 'SM-1' });
  });

  it('fails the shutdown drain, naming the count, when the answers still cannot be stored', async () => {
    const w = world();
    await w.oneNotification();
    w.failMarkSent(...Array.from({ length: 10 }, () => connectionCut));
    await w.dispatcher.runOnce();
    await expect(w.dispatcher.drain()).rejects.toThrow('1 delivery outcome(s) could not be recorded before shutdown');
  });

  it('dead-letters a lease that ran out with no answer in this process as an unknown outcome', async () => {
    const w = world({ leaseMs: 0 });
    const row = await w.oneNotification();
    await w.store.claimDue(10, 0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await w.dispatcher.runOnce();
    expect(row).toMatchObject({ status: 'dead' });
    expect(row.lastError).toMatch(/^unknown-outcome: no outcome was recorded within the send lease/);
    expect(w.deadLetters.map((n) => n.id)).toEqual([row.id]);
  });
});
