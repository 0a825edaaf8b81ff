import { invalidField, notFound } from '@ordersystem/platform/errors';
import type { MikroORM } from '@ordersystem/platform';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { formatOrderNumber, type Order } from '../domain/order.js';
import type { CatalogAction, OrderStatus } from '../domain/order-status.js';
import type { Actor, NewOrder, OrderEventEncoder, OrderFilter, OrderRepository, Page, TransitionRequest } from '../app/ports.js';
import { hydrate, ORDER_COLUMNS } from './order-rows.js';
import { type Row, type Sql, toDate } from './sql.js';

type Change = { to: OrderStatus; actor: Actor; reason: string; at: Date };

/**
 * Orders in PostgreSQL with raw SQL. Every state change writes the order, its history row, its
 * outbox event and any catalog follow-up in ONE transaction, and nudges the relay with NOTIFY
 * (delivered only on commit).
 */
export class PgOrderRepository implements OrderRepository {
  constructor(
    private readonly orm: MikroORM,
    private readonly encode: OrderEventEncoder,
  ) {}

  private em(): SqlEntityManager {
    return this.orm.em.fork() as SqlEntityManager;
  }

  async findById(id: string): Promise<Order | undefined> {
    const em = this.em();
    const rows = await em.execute<Row[]>(`select ${ORDER_COLUMNS} from orders where id = ?`, [id]);
    return (await hydrate(em, rows))[0];
  }

  async findRequestHash(id: string): Promise<string | undefined> {
    const rows = await this.em().execute<Row[]>(`select request_hash from orders where id = ?`, [id]);
    return rows[0] ? String(rows[0].request_hash) : undefined;
  }

  insert(n: NewOrder): Promise<'inserted' | 'duplicate'> {
    return this.em().transactional(async (em) => {
      const o = n.order;
      const finalStatus = n.changes[n.changes.length - 1]!.to;
      const inserted = await em.execute<Row[]>(
        `insert into orders (id, customer_id, idempotency_key, request_hash, status, payment_method, currency,
           subtotal_minor, tax_minor, total_minor, delivery_address, note, contact_name, contact_email, contact_phone)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) on conflict do nothing returning seq, created_at`,
        [o.id, o.customerId, n.idempotencyKey, n.requestHash, finalStatus, o.paymentMethod, o.currency,
          o.subtotalMinor.toString(), o.taxMinor.toString(), o.totalMinor.toString(), JSON.stringify(o.deliveryAddress),
          o.note, o.contact.name, o.contact.email, o.contact.phoneNumber],
      );
      const row = inserted[0];
      if (!row) return 'duplicate';
      await insertLines(em, o);
      // The events need only what we already hold, so the snapshot is built, not re-read.
      const createdAt = toDate(row.created_at);
      const base = { ...o, number: formatOrderNumber(String(row.seq)), history: [], version: 1, createdAt, updatedAt: createdAt };
      for (const change of n.changes) {
        const at = new Date();
        await insertHistory(em, o.id, change.from, { ...change, at });
        await this.insertEvent(em, { ...base, status: change.to }, { ...change, at }, n.traceHeaders);
      }
      for (const action of n.catalogTasks) await insertTask(em, o.id, action);
      await em.execute(`delete from pending_reservations where order_id = ?`, [o.id], 'run');
      await nudgeRelay(em);
      return 'inserted';
    });
  }

  transition(req: TransitionRequest, plan: (order: Order) => CatalogAction | undefined): Promise<Order> {
    return this.em().transactional(async (em) => {
      const current = await this.loadLocked(em, req.orderId, true, req.ownerId);
      const action = plan(current);
      await em.execute(`update orders set status = ?, version = version + 1, updated_at = now() where id = ?`, [req.to, req.orderId], 'run');
      const change = { to: req.to, actor: req.actor, reason: req.reason, at: new Date() };
      await insertHistory(em, req.orderId, current.status, change);
      if (action) await insertTask(em, req.orderId, action);
      const updated = await this.loadLocked(em, req.orderId, false);
      await this.insertEvent(em, updated, change, req.traceHeaders);
      await nudgeRelay(em);
      return updated;
    });
  }

  async list(filter: OrderFilter, pageSize: number, cursor: string | undefined): Promise<Page<Order>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => (where.push(clause), params.push(value));
    if (filter.customerId) add('customer_id = ?', filter.customerId);
    if (filter.status) add('status = ?', filter.status);
    if (filter.createdAfter) add('created_at >= ?', filter.createdAfter.toISOString());
    if (filter.createdBefore) add('created_at < ?', filter.createdBefore.toISOString());
    if (cursor !== undefined) add('seq < ?', decodeCursor(cursor));
    const em = this.em();
    const rows = await em.execute<Row[]>(
      `select ${ORDER_COLUMNS} from orders ${where.length ? `where ${where.join(' and ')}` : ''} order by seq desc limit ?`,
      [...params, pageSize + 1],
    );
    const page = rows.slice(0, pageSize);
    const last = page[page.length - 1];
    return { items: await hydrate(em, page), nextCursor: rows.length > pageSize && last ? encodeCursor(String(last.seq)) : undefined };
  }

  /** The order, optionally row-locked; not_found when absent or not owned by `ownerId`. */
  private async loadLocked(em: Sql, id: string, lock: boolean, ownerId?: string): Promise<Order> {
    const rows = await em.execute<Row[]>(
      `select ${ORDER_COLUMNS} from orders where id = ? ${ownerId ? 'and customer_id = ?' : ''} ${lock ? 'for update' : ''}`,
      ownerId ? [id, ownerId] : [id],
    );
    const [order] = await hydrate(em, rows);
    if (!order) throw notFound('order');
    return order;
  }

  private async insertEvent(em: Sql, order: Order, change: Change, headers: Record<string, string>): Promise<void> {
    const event = this.encode(order, change);
    await em.execute(
      `insert into outbox (event_id, order_id, event_type, payload, headers) values (?, ?, ?, ?, ?::jsonb)`,
      [event.eventId, order.id, event.type, Buffer.from(event.payload), JSON.stringify(headers)],
      'run',
    );
  }
}

async function insertLines(em: Sql, o: NewOrder['order']): Promise<void> {
  const values = o.lines.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  const params = o.lines.flatMap((l, i) => [o.id, i, l.productId, l.sku, l.name, l.taxClass, l.taxRateBp, l.quantity.toString(),
    l.unitPriceMinor.toString(), l.lineSubtotalMinor.toString(), l.lineTaxMinor.toString(), l.lineTotalMinor.toString()]);
  await em.execute(
    `insert into order_lines (order_id, position, product_id, sku, name, tax_class, tax_rate_bp, quantity,
       unit_price_minor, line_subtotal_minor, line_tax_minor, line_total_minor) values ${values}`,
    params,
    'run',
  );
}

async function insertHistory(em: Sql, orderId: string, from: OrderStatus | null, change: Change): Promise<void> {
  await em.execute(
    `insert into order_status_history (order_id, from_status, to_status, actor_id, actor_role, reason) values (?, ?, ?, ?, ?, ?)`,
    [orderId, from, change.to, change.actor.id, change.actor.role, change.reason],
    'run',
  );
}

async function insertTask(em: Sql, orderId: string, action: CatalogAction): Promise<void> {
  // The request that wrote the task runs it right after commit; the worker waits out a grace period.
  await em.execute(
    `insert into catalog_tasks (order_id, action, next_attempt_at) values (?, ?, now() + interval '5 seconds')`,
    [orderId, action],
    'run',
  );
}

/** Wakes the outbox relay right after commit instead of waiting for its next poll. */
async function nudgeRelay(em: Sql): Promise<void> {
  await em.execute(`select pg_notify('orders_outbox_' || current_schema(), '')`, [], 'run');
}

const encodeCursor = (seq: string): string => Buffer.from(`seq:${seq}`).toString('base64url');

function decodeCursor(token: string): string {
  const match = /^seq:(\d{1,19})$/.exec(Buffer.from(token, 'base64url').toString());
  if (!match) throw invalidField('page_token', 'is not a token from a previous page');
  return match[1]!;
}
