import { type Database, type Sql } from '@ordersystem/platform';
import type { Order } from '../domain/order.js';
import type { OrderStatus } from '../domain/order-status.js';
import type { PaymentDecision, PaymentUpdate } from '../domain/payment.js';
import type { Actor, OrderEventEncoder, PaymentApplyResult, PaymentStore } from '../app/ports.js';
import { insertHistory, insertTask, loadLocked, nudgeRelay } from './order-repository.js';
import { hydrate, ORDER_COLUMNS } from './order-rows.js';

const SYSTEM: Actor = { id: '', role: 'system' };

/**
 * Payment changes in PostgreSQL. Each runs in ONE transaction with the order row locked: the
 * provider event's id (so a redelivery is a duplicate), the payment columns and, when the status
 * moves, its history row, outbox event and catalog task. A process killed before the commit leaves
 * nothing behind, and the event is not marked as seen, so its redelivery or the reconciliation
 * applies it in full.
 */
export class PgPaymentStore implements PaymentStore {
  constructor(
    private readonly db: Database,
    private readonly encode: OrderEventEncoder,
  ) {}

  apply(
    event: { eventId: string; provider: string } | undefined,
    update: PaymentUpdate,
    decide: (order: Order) => PaymentDecision,
    traceHeaders: Record<string, string>,
  ): Promise<PaymentApplyResult> {
    return this.db.transaction(async (tx): Promise<PaymentApplyResult> => {
      const known = await tx.query(`select 1 from orders where id = $1`, [update.orderId]);
      if (known.length === 0) return { outcome: 'unknown_order' };
      if (event) {
        const fresh = await tx.query(
          `insert into payment_events (event_id, provider, order_id, outcome) values ($1, $2, $3, $4)
           on conflict do nothing returning event_id`,
          [event.eventId, event.provider, update.orderId, update.outcome],
        );
        if (fresh.length === 0) return { outcome: 'duplicate' };
      }
      const current = await loadLocked(tx, update.orderId, true);
      const decision = decide(current);
      switch (decision.kind) {
        case 'confirm':
          await this.move(tx, current, 'confirmed', 'payment received', traceHeaders, {
            state: 'paid',
            amountPaid: decision.amountMinor,
          });
          await insertTask(tx, current.id, 'commit_reservation');
          break;
        case 'record_failure':
          await tx.query(
            `update orders set payment_state = 'failed', payment_failure = $2, version = version + 1, updated_at = now()
             where id = $1`,
            [current.id, decision.reason.slice(0, 500)],
          );
          break;
        case 'refund_late_payment':
          await tx.query(
            `update orders set payment_state = 'refund_pending', amount_paid_minor = $2, version = version + 1,
               updated_at = now() where id = $1`,
            [current.id, decision.amountMinor.toString()],
          );
          break;
        default:
          return { outcome: decision.kind === 'mismatch' ? 'refused' : 'ignored', decision, order: current };
      }
      return { outcome: 'applied', decision, order: await loadLocked(tx, current.id, false) };
    });
  }

  cancelUnpaid(orderId: string, reason: string, traceHeaders: Record<string, string>): Promise<Order | undefined> {
    return this.db.transaction(async (tx) => {
      const current = await loadLocked(tx, orderId, true);
      const unpaid = current.payment.state === 'requires_payment' || current.payment.state === 'failed';
      if (current.status !== 'pending' || !unpaid) return undefined;
      await this.move(tx, current, 'cancelled', reason, traceHeaders, { state: 'canceled' });
      await insertTask(tx, orderId, 'release_reservation');
      return loadLocked(tx, orderId, false);
    });
  }

  async recordRefund(orderId: string, refundReference: string, amountMinor: bigint): Promise<boolean> {
    const rows = await this.db.query(
      `update orders set payment_state = 'refunded', refund_reference = $2, refunded_minor = $3,
         version = version + 1, updated_at = now()
       where id = $1 and payment_state = 'refund_pending' returning id`,
      [orderId, refundReference, amountMinor.toString()],
    );
    return rows.length > 0;
  }

  async awaitingPayment(since: 'placed' | 'updated', olderThanMs: number, limit: number): Promise<Order[]> {
    const column = since === 'placed' ? 'created_at' : 'updated_at';
    const rows = await this.db.query(
      `select ${ORDER_COLUMNS} from orders
       where payment_state in ('requires_payment', 'failed') and status = 'pending'
         and ${column} < now() - make_interval(secs => $1::double precision / 1000)
       order by ${column} limit $2`,
      [olderThanMs, limit],
    );
    return hydrate(this.db, rows);
  }

  async refundsDue(limit: number): Promise<Order[]> {
    const rows = await this.db.query(
      `select ${ORDER_COLUMNS} from orders where payment_state = 'refund_pending' order by updated_at limit $1`,
      [limit],
    );
    return hydrate(this.db, rows);
  }

  /** A status change with its payment columns, history row and outbox event. */
  private async move(
    tx: Sql,
    current: Order,
    to: OrderStatus,
    reason: string,
    headers: Record<string, string>,
    payment: { state: string; amountPaid?: bigint },
  ): Promise<void> {
    await tx.query(
      `update orders set status = $2, payment_state = $3, payment_failure = '',
         amount_paid_minor = coalesce($4::bigint, amount_paid_minor), version = version + 1, updated_at = now()
       where id = $1`,
      [current.id, to, payment.state, payment.amountPaid?.toString() ?? null],
    );
    const change = { to, actor: SYSTEM, reason, at: new Date() };
    await insertHistory(tx, current.id, current.status, change);
    const updated = await loadLocked(tx, current.id, false);
    const event = this.encode(updated, change);
    await tx.query(
      `insert into outbox (event_id, order_id, event_type, payload, headers) values ($1, $2, $3, $4, $5::jsonb)`,
      [event.eventId, current.id, event.type, Buffer.from(event.payload), JSON.stringify(headers)],
    );
    await nudgeRelay(tx);
  }
}
