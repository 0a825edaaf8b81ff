import { randomUUID } from 'node:crypto';
import type { NotificationStore } from '../../src/app/ports';
import type { FailureOutcome, NotificationDraft, NotificationStatus } from '../../src/domain/notification';

/** What a contract test may look at beyond the port: one row's delivery state. */
export interface RowState {
  status: NotificationStatus;
  attempts: number;
  providerMessageId: string | null;
  lastError: string | null;
}

export interface NotificationStoreUnderTest {
  store: NotificationStore;
  row(id: string): Promise<RowState | undefined>;
}

const LONG_LEASE_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const aDraft = (overrides: Partial<NotificationDraft> = {}): NotificationDraft => ({
  channel: 'sms',
  recipient: `+44770090${Math.floor(Math.random() * 1e4)
    .toString()
    .padStart(4, '0')}`,
  subject: null,
  text: 'Your order has shipped.',
  html: null,
  ...overrides,
});

export const anEvent = () => ({
  eventId: randomUUID(),
  eventKind: 'shipped',
  orderId: randomUUID(),
  traceContext: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
});

const failure = (status: FailureOutcome['status'], inMs: number, attempts = 1): FailureOutcome => ({
  status,
  attempts,
  nextAttemptAt: new Date(Date.now() + inMs),
  error: `transient: try ${attempts}`,
});

/**
 * The behaviour every NotificationStore must have: the PostgreSQL store and the in-memory fake
 * both run it, so the fake used by fast tests cannot drift from the real table. `setUp` runs
 * before each test and must hand back an empty store.
 */
export function notificationStoreContract(name: string, setUp: () => Promise<NotificationStoreUnderTest>): void {
  describe(`NotificationStore contract: ${name}`, () => {
    let store: NotificationStore;
    let row: NotificationStoreUnderTest['row'];

    beforeEach(async () => {
      ({ store, row } = await setUp());
    });

    async function storeAndClaim(drafts = [aDraft()], leaseMs = LONG_LEASE_MS) {
      await store.storeEvent(anEvent(), drafts);
      return store.claimDue(100, leaseMs);
    }

    it('stores one row per draft and nothing new when the same event comes again', async () => {
      const event = anEvent();
      const drafts = [
        aDraft(),
        aDraft({ channel: 'email', recipient: 'ops@shop.example', subject: 'Order', html: '<p>Order</p>' }),
      ];
      expect(await store.storeEvent(event, drafts)).toBe(2);
      expect(await store.storeEvent(event, drafts)).toBe(0);
      expect(await store.storeEvent(event, [...drafts, aDraft({ recipient: '+447700900999' })])).toBe(1);
      expect(await store.storeEvent(anEvent(), [])).toBe(0);
    });

    it('claims due rows once, as sending, with everything needed to send them', async () => {
      const event = anEvent();
      const email = aDraft({
        channel: 'email',
        recipient: 'ops@shop.example',
        subject: 'Order ORD-1',
        html: '<p>ORD-1</p>',
      });
      await store.storeEvent(event, [email]);
      const [claimed, ...more] = await store.claimDue(10, LONG_LEASE_MS);
      expect(more).toHaveLength(0);
      expect(claimed).toMatchObject({
        ...email,
        eventId: event.eventId,
        eventKind: event.eventKind,
        orderId: event.orderId,
        status: 'sending',
        attempts: 0,
        traceContext: event.traceContext,
      });
      expect(claimed!.createdAt).toBeInstanceOf(Date);
      expect(await store.claimDue(10, LONG_LEASE_MS)).toHaveLength(0);
    });

    it('claims at most the limit and leaves rows that are not due yet', async () => {
      await store.storeEvent(anEvent(), [aDraft(), aDraft(), aDraft()]);
      const [first] = await store.claimDue(1, LONG_LEASE_MS);
      await store.markFailure(first!.id, failure('failed', 60_000));
      expect(await store.claimDue(1, LONG_LEASE_MS)).toHaveLength(1);
      expect(await store.claimDue(10, LONG_LEASE_MS)).toHaveLength(1);
      expect(await store.claimDue(10, LONG_LEASE_MS)).toHaveLength(0);
    });

    it('never hands the same row to two concurrent claims', async () => {
      await store.storeEvent(
        anEvent(),
        Array.from({ length: 12 }, () => aDraft()),
      );
      const concurrent = await Promise.all([1, 2, 3, 4].map(() => store.claimDue(5, LONG_LEASE_MS)));
      const rest = await store.claimDue(100, LONG_LEASE_MS);
      const ids = [...concurrent.flat(), ...rest].map((n) => n.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(12);
    });

    it('records a send, and recording the same answer again counts one attempt', async () => {
      const [n] = await storeAndClaim();
      await store.markSent(n!.id, 'SM123');
      await store.markSent(n!.id, 'SM123');
      expect(await row(n!.id)).toEqual({ status: 'sent', attempts: 1, providerMessageId: 'SM123', lastError: null });
      expect(await store.claimDue(10, LONG_LEASE_MS)).toHaveLength(0);
    });

    it('records a failure with its schedule: claimable again once due, with the attempts recorded', async () => {
      const [n] = await storeAndClaim();
      await store.markFailure(n!.id, { ...failure('failed', -1_000, 2), error: `transient: ${'x'.repeat(3_000)}` });
      const state = await row(n!.id);
      expect(state).toMatchObject({ status: 'failed', attempts: 2 });
      expect(state!.lastError).toHaveLength(2_000);
      const [again] = await store.claimDue(10, LONG_LEASE_MS);
      expect(again).toMatchObject({ id: n!.id, attempts: 2, status: 'sending' });
    });

    it('makes a row dead on a dead failure and lists it', async () => {
      const [n] = await storeAndClaim();
      await store.markFailure(n!.id, failure('dead', 0, 6));
      const [dead] = await store.listDead(10, undefined);
      expect(dead).toMatchObject({ id: n!.id, status: 'dead', attempts: 6, lastError: 'transient: try 6' });
    });

    it("lists one order's notifications oldest first, whatever their state, and no other order's", async () => {
      const event = anEvent();
      await store.storeEvent(event, [
        aDraft(),
        aDraft({ channel: 'email', recipient: 'ops@shop.example', subject: 'Order' }),
      ]);
      await store.storeEvent({ ...event, eventId: randomUUID(), eventKind: 'delivered' }, [aDraft()]);
      await store.storeEvent(anEvent(), [aDraft()]);
      const listed = await store.listForOrder(event.orderId, 10);
      expect(listed.map((n) => [n.eventKind, n.channel, n.orderId])).toEqual([
        ['shipped', 'sms', event.orderId],
        ['shipped', 'email', event.orderId],
        ['delivered', 'sms', event.orderId],
      ]);
      expect(await store.listForOrder(event.orderId, 2)).toHaveLength(2);
      expect(await store.listForOrder(randomUUID(), 10)).toEqual([]);
    });

    it('expires only leases that ran out, once, with the given reason', async () => {
      const [expiring] = await storeAndClaim([aDraft()], 0);
      const [held] = await storeAndClaim([aDraft()], LONG_LEASE_MS);
      await sleep(20);
      const expired = await store.expireLeases('unknown-outcome: test');
      expect(expired.map((n) => n.id)).toEqual([expiring!.id]);
      expect(expired[0]).toMatchObject({ status: 'dead', lastError: 'unknown-outcome: test' });
      expect(await store.expireLeases('again')).toHaveLength(0);
      expect((await row(held!.id))!.status).toBe('sending');
    });

    it('lists dead rows oldest first, in pages after a sequence number', async () => {
      const claimed = await storeAndClaim([aDraft(), aDraft(), aDraft()]);
      for (const n of claimed) await store.markFailure(n.id, failure('dead', 0));
      const first = await store.listDead(2, undefined);
      expect(first).toHaveLength(2);
      expect(first[0]!.seq < first[1]!.seq).toBe(true);
      const second = await store.listDead(2, first[1]!.seq);
      expect(second).toHaveLength(1);
      expect(new Set([...first, ...second].map((n) => n.id))).toEqual(new Set(claimed.map((n) => n.id)));
    });

    it('replays one dead row or all of them back to pending with a fresh attempt budget', async () => {
      const claimed = await storeAndClaim([aDraft(), aDraft(), aDraft()]);
      for (const n of claimed) await store.markFailure(n.id, failure('dead', 0, 6));
      expect(await store.replayDead(randomUUID())).toBe(0);
      expect(await store.replayDead(claimed[0]!.id)).toBe(1);
      expect(await store.replayDead(claimed[0]!.id)).toBe(0);
      expect(await row(claimed[0]!.id)).toMatchObject({ status: 'pending', attempts: 0 });
      expect(await store.replayDead(undefined)).toBe(2);
      expect(await store.listDead(10, undefined)).toHaveLength(0);
      expect(await store.claimDue(10, LONG_LEASE_MS)).toHaveLength(3);
    });
  });
}
