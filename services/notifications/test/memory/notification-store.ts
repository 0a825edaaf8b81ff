import { randomUUID } from 'node:crypto';
import type { NotificationStore } from '../../src/app/ports';
import type { Notification } from '../../src/domain/notification';

type StoredRow = Notification & { seq: bigint; claimedUntil: Date | null };

/**
 * The delivery table in memory, for fast tests of the layers above it. It follows the same
 * contract suite as the PostgreSQL store (test/contracts/notification-store.contract.ts). Every
 * method runs without awaiting in between, which is what makes it atomic, like one SQL statement.
 */
export function createMemoryNotificationStore(): NotificationStore & { rows: StoredRow[] } {
  const rows: StoredRow[] = [];
  let seq = 0n;
  const now = () => new Date();
  const copy = ({ seq: _seq, claimedUntil: _claimedUntil, ...n }: StoredRow): Notification => ({ ...n });

  return {
    rows,
    async storeEvent(event, drafts) {
      let stored = 0;
      for (const d of drafts) {
        if (rows.some((r) => r.eventId === event.eventId && r.channel === d.channel && r.recipient === d.recipient))
          continue;
        const at = now();
        seq += 1n;
        rows.push({
          ...d,
          id: randomUUID(),
          seq,
          eventId: event.eventId,
          eventKind: event.eventKind,
          orderId: event.orderId,
          status: 'pending',
          attempts: 0,
          providerMessageId: null,
          lastError: null,
          nextAttemptAt: at,
          createdAt: at,
          updatedAt: at,
          traceContext: { ...event.traceContext },
          claimedUntil: null,
        });
        stored += 1;
      }
      return stored;
    },

    async claimDue(limit, leaseMs) {
      const at = now();
      const due = rows
        .filter((r) => (r.status === 'pending' || r.status === 'failed') && r.nextAttemptAt <= at)
        .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
        .slice(0, limit);
      for (const r of due)
        Object.assign(r, { status: 'sending', claimedUntil: new Date(at.getTime() + leaseMs), updatedAt: at });
      return due.map(copy);
    },

    async markSent(id, providerMessageId) {
      const r = rows.find((row) => row.id === id && row.status !== 'sent');
      if (r)
        Object.assign(r, {
          status: 'sent',
          attempts: r.attempts + 1,
          providerMessageId,
          lastError: null,
          claimedUntil: null,
          updatedAt: now(),
        });
    },

    async markFailure(id, outcome) {
      const r = rows.find((row) => row.id === id);
      if (r)
        Object.assign(r, {
          status: outcome.status,
          attempts: outcome.attempts,
          lastError: outcome.error.slice(0, 2000),
          nextAttemptAt: outcome.nextAttemptAt,
          claimedUntil: null,
          updatedAt: now(),
        });
    },

    async expireLeases(reason) {
      const at = now();
      const expired = rows.filter((r) => r.status === 'sending' && r.claimedUntil !== null && r.claimedUntil < at);
      for (const r of expired)
        Object.assign(r, { status: 'dead', lastError: reason, claimedUntil: null, updatedAt: at });
      return expired.map(copy);
    },

    async listDead(limit, afterSeq) {
      return rows
        .filter((r) => r.status === 'dead' && r.seq > (afterSeq ?? 0n))
        .sort((a, b) => (a.seq < b.seq ? -1 : 1))
        .slice(0, limit)
        .map((r) => ({ ...copy(r), seq: r.seq }));
    },

    async replayDead(id) {
      const replayed = rows.filter((r) => r.status === 'dead' && (id === undefined || r.id === id));
      const at = now();
      for (const r of replayed) Object.assign(r, { status: 'pending', attempts: 0, nextAttemptAt: at, updatedAt: at });
      return replayed.length;
    },

    async listForOrder(orderId, limit) {
      return rows
        .filter((r) => r.orderId === orderId)
        .sort((a, b) => (a.seq < b.seq ? -1 : 1))
        .slice(0, limit)
        .map(copy);
    },
  };
}
