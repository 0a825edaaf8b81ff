import { invalidField, notFound, unavailable } from '@ordersystem/platform/errors';
import { type Database, type Sql, toDate } from '@ordersystem/platform';
import { formatOrderNumber, type Order, parseOrderNumber } from '../domain/order.js';
import type { CatalogAction, OrderStatus } from '../domain/order-status.js';
import { paymentStateOnCancel } from '../domain/payment.js';
import type {
  Actor,
  NewOrder,
  OrderEventEncoder,
  OrderFilter,
  OrderRepository,
  Page,
  TransitionRequest,
} from '../app/ports.js';
import { hydrate, ORDER_COLUMNS } from './order-rows.js';

type Change = { to: OrderStatus; actor: Actor; reason: string; at: Date };

/**
 * Orders in PostgreSQL with raw SQL. Every state change writes the order, its history row, its
 * outbox event and any catalog follow-up in ONE transaction, and nudges the relay with NOTIFY
 * (delivered only on commit).
 */
export class PgOrderRepository implements OrderRepository {
  constructor(
    private readonly db: Database,
    private readonly encode: OrderEventEncoder,
  ) {}

  async findById(id: string): Promise<Order | undefined> {
    const rows = await this.db.query(`select ${ORDER_COLUMNS} from orders where id = $1`, [id]);
    return (await hydrate(this.db, rows))[0];
  }

  async findRequestHash(id: string): Promise<string | undefined> {
    const rows = await this.db.query(`select request_hash from orders where id = $1`, [id]);
    return rows[0] ? String(rows[0].request_hash) : undefined;
  }

  async insert(n: NewOrder): Promise<'inserted' | 'duplicate'> {
    return (await this.insertReturning(n)) === 'duplicate' ? 'duplicate' : 'inserted';
  }

  /** insert, answering with the order as stored, built from what was written (no re-read). */
  async insertReturning(n: NewOrder): Promise<Order | 'duplicate'> {
    let stored: Order | undefined;
    const result = await this.db.transaction(async (tx) => {
      const o = n.order;
      const finalStatus = n.changes[n.changes.length - 1]!.to;
      const inserted = await tx.query(
        `insert into orders (id, customer_id, idempotency_key, request_hash, status, payment_method, currency,
           subtotal_minor, tax_minor, total_minor, delivery_address, note, contact_name, contact_email, contact_phone,
           payment_state, payment_provider, payment_reference)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15, $16, $17, $18)
         on conflict do nothing returning seq, created_at`,
        [
          o.id,
          o.customerId,
          n.idempotencyKey,
          n.requestHash,
          finalStatus,
          o.paymentMethod,
          o.currency,
          o.subtotalMinor.toString(),
          o.taxMinor.toString(),
          o.totalMinor.toString(),
          JSON.stringify(o.deliveryAddress),
          o.note,
          o.contact.name,
          o.contact.email,
          o.contact.phoneNumber,
          o.payment.state,
          o.payment.provider,
          o.payment.reference,
        ],
      );
      const row = inserted[0];
      if (!row) return 'duplicate';
      // The events need only what we already hold, so the snapshot is built, not re-read.
      const createdAt = toDate(row.created_at);
      const base = {
        ...o,
        number: formatOrderNumber(String(row.seq)),
        history: [],
        version: 1,
        createdAt,
        updatedAt: createdAt,
      };
      const at = new Date();
      const events = n.changes.map((change) => this.encode({ ...base, status: change.to }, { ...change, at }));
      // Everything else in ONE statement (lines, history, events, tasks, the journal entry, the relay's
      // nudge): each round trip inside the transaction holds the order's locks a little longer.
      const [rest] = await tx.query(PLACEMENT_REST, [
        o.id,
        ...lineColumns(o),
        n.changes.map((c) => c.from),
        n.changes.map((c) => c.to),
        n.changes.map((c) => c.actor.id),
        n.changes.map((c) => c.actor.role),
        n.changes.map((c) => c.reason),
        events.map((e) => e.eventId),
        events.map((e) => e.type),
        events.map((e) => Buffer.from(e.payload)),
        JSON.stringify(n.traceHeaders),
        n.catalogTasks,
        n.leaseToken ?? null,
      ]);
      if (n.leaseToken !== undefined && Number(rest!.held) === 0) {
        // Rolls the whole insert back: recovery took the lease over and may have released the stock.
        throw unavailable('this placement outlived its reservation lease; retry with the same idempotency key');
      }
      // History rows take the transaction's now(), as created_at does.
      stored = {
        ...base,
        status: n.changes[n.changes.length - 1]!.to,
        history: n.changes.map((c) => ({
          from: c.from,
          to: c.to,
          actorId: c.actor.id,
          actorRole: c.actor.role,
          reason: c.reason,
          changedAt: createdAt,
        })),
      } as Order;
      return 'inserted' as const;
    });
    return result === 'duplicate' ? result : stored!;
  }

  transition(req: TransitionRequest, plan: (order: Order) => CatalogAction | undefined): Promise<Order> {
    return this.db.transaction(async (tx) => {
      const current = await loadLocked(tx, req.orderId, true, req.ownerId);
      const action = plan(current);
      // A cancelled order's payment is refunded (paid) or called off (unpaid), in the same transaction.
      const paymentState = req.to === 'cancelled' ? paymentStateOnCancel(current.payment.state) : current.payment.state;
      await tx.query(
        `update orders set status = $1, payment_state = $3, version = version + 1, updated_at = now() where id = $2`,
        [req.to, req.orderId, paymentState],
      );
      const change = { to: req.to, actor: req.actor, reason: req.reason, at: new Date() };
      await insertHistory(tx, req.orderId, current.status, change);
      if (action) await insertTask(tx, req.orderId, action);
      const updated = await loadLocked(tx, req.orderId, false);
      await this.insertEvent(tx, updated, change, req.traceHeaders);
      await nudgeRelay(tx);
      return updated;
    });
  }

  async list(filter: OrderFilter, pageSize: number, cursor: string | undefined): Promise<Page<Order>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (condition: string, value: unknown) => where.push(`${condition} $${params.push(value)}`);
    if (filter.customerId) add('customer_id =', filter.customerId);
    if (filter.status) add('status =', filter.status);
    if (filter.createdAfter) add('created_at >=', filter.createdAfter.toISOString());
    if (filter.createdBefore) add('created_at <', filter.createdBefore.toISOString());
    if (filter.number !== undefined) add('seq =', parseOrderNumber(filter.number) ?? '0');
    if (cursor !== undefined) add('seq <', decodeCursor(cursor));
    const rows = await this.db.query(
      `select ${ORDER_COLUMNS} from orders ${where.length ? `where ${where.join(' and ')}` : ''} order by seq desc limit $${params.length + 1}`,
      [...params, pageSize + 1],
    );
    const page = rows.slice(0, pageSize);
    const last = page[page.length - 1];
    return {
      items: await hydrate(this.db, page),
      nextCursor: rows.length > pageSize && last ? encodeCursor(String(last.seq)) : undefined,
    };
  }

  private async insertEvent(tx: Sql, order: Order, change: Change, headers: Record<string, string>): Promise<void> {
    const event = this.encode(order, change);
    await tx.query(
      `insert into outbox (event_id, order_id, event_type, payload, headers) values ($1, $2, $3, $4, $5::jsonb)`,
      [event.eventId, order.id, event.type, Buffer.from(event.payload), JSON.stringify(headers)],
    );
  }
}

/** The order, optionally row-locked; not_found when absent or not owned by `ownerId`. */
export async function loadLocked(tx: Sql, id: string, lock: boolean, ownerId?: string): Promise<Order> {
  const rows = await tx.query(
    `select ${ORDER_COLUMNS} from orders where id = $1 ${ownerId ? 'and customer_id = $2' : ''} ${lock ? 'for update' : ''}`,
    ownerId ? [id, ownerId] : [id],
  );
  const [order] = await hydrate(tx, rows);
  if (!order) throw notFound('order');
  return order;
}

/**
 * The rest of a placement after the order row: $1 order id, $2–$12 line columns, $13–$17 status
 * changes, $18–$20 events, $21 trace headers, $22 catalog tasks, $23 lease token. Rows go in in
 * array order (WITH ORDINALITY), so history and outbox ids follow the changes: the relay publishes
 * one order's events in that order. `held` is 0 when the lease was taken over.
 */
const PLACEMENT_REST = `
  with lines as (
    insert into order_lines (order_id, position, product_id, sku, name, tax_class, tax_rate_bp, quantity,
      unit_price_minor, line_subtotal_minor, line_tax_minor, line_total_minor)
    select $1, * from unnest($2::int[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::int[], $8::bigint[],
      $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[])
  ), history as (
    insert into order_status_history (order_id, from_status, to_status, actor_id, actor_role, reason)
    select $1, f, t, a, r, why from unnest($13::text[], $14::text[], $15::text[], $16::text[], $17::text[])
      with ordinality as c(f, t, a, r, why, n) order by n
  ), events as (
    insert into outbox (event_id, order_id, event_type, payload, headers)
    select e, $1, t, p, $21::jsonb from unnest($18::uuid[], $19::text[], $20::bytea[]) with ordinality as x(e, t, p, n)
    order by n
  ), tasks as (
    insert into catalog_tasks (order_id, action, next_attempt_at)
    select $1, a, now() + interval '5 seconds' from unnest($22::text[]) with ordinality as y(a, n) order by n
  ), held as (
    delete from pending_reservations where order_id = $1 and ($23::text is null or lease_until = $23::timestamptz)
    returning order_id
  )
  select (select count(*) from held) as held, pg_notify('orders_outbox_' || current_schema(), '')`;

function lineColumns(o: NewOrder['order']): unknown[][] {
  const ls = o.lines;
  return [
    ls.map((_, i) => i),
    ls.map((l) => l.productId),
    ls.map((l) => l.sku),
    ls.map((l) => l.name),
    ls.map((l) => l.taxClass),
    ls.map((l) => l.taxRateBp),
    ls.map((l) => l.quantity.toString()),
    ls.map((l) => l.unitPriceMinor.toString()),
    ls.map((l) => l.lineSubtotalMinor.toString()),
    ls.map((l) => l.lineTaxMinor.toString()),
    ls.map((l) => l.lineTotalMinor.toString()),
  ];
}

export async function insertHistory(tx: Sql, orderId: string, from: OrderStatus | null, change: Change): Promise<void> {
  await tx.query(
    `insert into order_status_history (order_id, from_status, to_status, actor_id, actor_role, reason) values ($1, $2, $3, $4, $5, $6)`,
    [orderId, from, change.to, change.actor.id, change.actor.role, change.reason],
  );
}

export async function insertTask(tx: Sql, orderId: string, action: CatalogAction): Promise<void> {
  // The request that wrote the task runs it right after commit; the worker waits out a grace period.
  await tx.query(
    `insert into catalog_tasks (order_id, action, next_attempt_at) values ($1, $2, now() + interval '5 seconds')`,
    [orderId, action],
  );
}

/** Wakes the outbox relay right after commit instead of waiting for its next poll. */
export async function nudgeRelay(tx: Sql): Promise<void> {
  await tx.query(`select pg_notify('orders_outbox_' || current_schema(), '')`);
}

const encodeCursor = (seq: string): string => Buffer.from(`seq:${seq}`).toString('base64url');

function decodeCursor(token: string): string {
  const match = /^seq:(\d{1,19})$/.exec(Buffer.from(token, 'base64url').toString());
  if (!match) throw invalidField('page_token', 'is not a token from a previous page');
  return match[1]!;
}
