import { randomUUID } from 'node:crypto';
import { type Row, type Sql, toBigInt, toDate } from '@ordersystem/platform';
import type { NotificationStore } from '../app/ports.js';
import type { Notification, NotificationStatus } from '../domain/notification.js';

const COLUMNS_PER_ROW = 10;

/**
 * The delivery table in PostgreSQL, with plain SQL: each method is a single statement, so each
 * is atomic without an explicit transaction, and concurrent dispatchers never claim the same row.
 */
export function createNotificationStore(db: Sql): NotificationStore {
  return {
    async storeEvent(event, drafts) {
      if (drafts.length === 0) return 0;
      const params: unknown[] = [];
      const values = drafts.map((d, i) => {
        params.push(
          randomUUID(),
          event.eventId,
          event.eventKind,
          event.orderId,
          d.channel,
          d.recipient,
          d.subject,
          d.text,
          d.html,
          JSON.stringify(event.traceContext),
        );
        const at = (k: number) => `$${i * COLUMNS_PER_ROW + k}`;
        return `(${at(1)}::uuid, ${at(2)}, ${at(3)}, ${at(4)}, ${at(5)}, ${at(6)}, ${at(7)}, ${at(8)}, ${at(9)}, ${at(10)}::jsonb)`;
      });
      const rows = await db.query(
        `insert into notifications (id, event_id, event_kind, order_id, channel, recipient, subject, body_text, body_html, trace_context)
         values ${values.join(', ')}
         on conflict on constraint notifications_dedupe_key do nothing
         returning id`,
        params,
      );
      return rows.length;
    },

    async claimDue(limit, leaseMs) {
      const rows = await db.query(
        `update notifications n set status = 'sending', claimed_until = now() + ($1::int * interval '1 millisecond'), updated_at = now()
         from (select id from notifications
               where status in ('pending', 'failed') and next_attempt_at <= now()
               order by next_attempt_at limit $2 for update skip locked) due
         where n.id = due.id
         returning n.*`,
        [leaseMs, limit],
      );
      return rows.map(toNotification);
    },

    // A retried write whose first try did commit (the reply was lost) must not count the attempt twice.
    async markSent(id, providerMessageId) {
      await db.query(
        `update notifications set status = 'sent', attempts = attempts + 1, provider_message_id = $1, last_error = null,
           claimed_until = null, sent_at = now(), updated_at = now()
         where id = $2 and status <> 'sent'`,
        [providerMessageId, id],
      );
    },

    async markFailure(id, outcome) {
      await db.query(
        `update notifications set status = $1, attempts = $2, last_error = $3, next_attempt_at = $4, claimed_until = null, updated_at = now()
         where id = $5`,
        [outcome.status, outcome.attempts, outcome.error.slice(0, 2000), outcome.nextAttemptAt, id],
      );
    },

    async expireLeases(reason) {
      const rows = await db.query(
        `update notifications set status = 'dead', last_error = $1, claimed_until = null, updated_at = now()
         where status = 'sending' and claimed_until < now() returning *`,
        [reason],
      );
      return rows.map(toNotification);
    },

    async listDead(limit, afterSeq) {
      const rows = await db.query(
        `select * from notifications where status = 'dead' and seq > $1 order by seq limit $2`,
        [(afterSeq ?? 0n).toString(), limit],
      );
      return rows.map((r) => ({ ...toNotification(r), seq: toBigInt(r.seq) }));
    },

    async replayDead(id) {
      const rows = await db.query(
        `update notifications set status = 'pending', attempts = 0, next_attempt_at = now(), updated_at = now()
         where status = 'dead' and ($1::uuid is null or id = $1::uuid) returning id`,
        [id ?? null],
      );
      return rows.length;
    },

    async listForOrder(orderId, limit) {
      const rows = await db.query(`select * from notifications where order_id = $1 order by seq limit $2`, [
        orderId,
        limit,
      ]);
      return rows.map(toNotification);
    },
  };
}

function toNotification(r: Row): Notification {
  return {
    id: r.id as string,
    eventId: r.event_id as string,
    eventKind: r.event_kind as string,
    orderId: r.order_id as string,
    channel: r.channel as Notification['channel'],
    recipient: r.recipient as string,
    subject: (r.subject as string | null) ?? null,
    text: r.body_text as string,
    html: (r.body_html as string | null) ?? null,
    status: r.status as NotificationStatus,
    attempts: Number(r.attempts),
    providerMessageId: (r.provider_message_id as string | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    nextAttemptAt: toDate(r.next_attempt_at),
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
    traceContext: (r.trace_context as Record<string, string> | null) ?? null,
  };
}
