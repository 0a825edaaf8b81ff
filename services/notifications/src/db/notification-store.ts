import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@ordersystem/platform';
import type { NotificationStore } from '../app/ports.js';
import type { Notification, NotificationStatus } from '../domain/notification.js';

type Row = Record<string, unknown>;

/**
 * The delivery table in PostgreSQL, with plain SQL: each method is a single statement, so each
 * is atomic without an explicit transaction, and concurrent dispatchers never claim the same row.
 */
export function createNotificationStore(orm: MikroORM): NotificationStore {
  const run = <T = Row[]>(sql: string, params: unknown[] = []): Promise<T> => orm.em.fork().getConnection().execute<T & Row[]>(sql, params);

  return {
    async storeEvent(event, drafts) {
      if (drafts.length === 0) return 0;
      const params: unknown[] = [];
      const values = drafts.map((d) => {
        params.push(randomUUID(), event.eventId, event.eventKind, event.orderId, d.channel, d.recipient, d.subject, d.text, d.html, JSON.stringify(event.traceContext));
        return '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
      });
      const rows = await run(
        `insert into notifications (id, event_id, event_kind, order_id, channel, recipient, subject, body_text, body_html, trace_context)
         values ${values.join(', ')}
         on conflict on constraint notifications_dedupe_key do nothing
         returning id`,
        params,
      );
      return rows.length;
    },

    async claimDue(limit, leaseMs) {
      const rows = await run(
        `update notifications n set status = 'sending', claimed_until = now() + (? * interval '1 millisecond'), updated_at = now()
         from (select id from notifications
               where status in ('pending', 'failed') and next_attempt_at <= now()
               order by next_attempt_at limit ? for update skip locked) due
         where n.id = due.id
         returning n.*`,
        [leaseMs, limit],
      );
      return rows.map(toNotification);
    },

    async markSent(id, providerMessageId) {
      await run(
        `update notifications set status = 'sent', attempts = attempts + 1, provider_message_id = ?, last_error = null,
           claimed_until = null, sent_at = now(), updated_at = now() where id = ?`,
        [providerMessageId, id],
      );
    },

    async markFailure(id, outcome) {
      await run(
        `update notifications set status = ?, attempts = ?, last_error = ?, next_attempt_at = ?, claimed_until = null, updated_at = now()
         where id = ?`,
        [outcome.status, outcome.attempts, outcome.error.slice(0, 2000), outcome.nextAttemptAt, id],
      );
    },

    async expireLeases(reason) {
      const rows = await run(
        `update notifications set status = 'dead', last_error = ?, claimed_until = null, updated_at = now()
         where status = 'sending' and claimed_until < now() returning *`,
        [reason],
      );
      return rows.map(toNotification);
    },

    async listDead(limit, afterSeq) {
      const rows = await run(`select * from notifications where status = 'dead' and seq > ? order by seq limit ?`, [
        (afterSeq ?? 0n).toString(),
        limit,
      ]);
      return rows.map((r) => ({ ...toNotification(r), seq: BigInt(r.seq as string) }));
    },

    async replayDead(id) {
      const filter = id === undefined ? '' : 'and id = ?';
      const rows = await run(
        `update notifications set status = 'pending', attempts = 0, next_attempt_at = now(), updated_at = now()
         where status = 'dead' ${filter} returning id`,
        id === undefined ? [] : [id],
      );
      return rows.length;
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
    nextAttemptAt: new Date(r.next_attempt_at as string),
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
    traceContext: (r.trace_context as Record<string, string> | null) ?? null,
  };
}
