import { invalidField, notFound, unavailable } from '@ordersystem/platform/errors';
import type {
  NewOrder,
  OrderEventEncoder,
  OrderFilter,
  OrderRepository,
  Page,
  TransitionRequest,
} from '../../src/app/ports';
import { formatOrderNumber, type Order, parseOrderNumber } from '../../src/domain/order';
import type { CatalogAction } from '../../src/domain/order-status';
import { paymentStateOnCancel } from '../../src/domain/payment';
import type { MemoryReservationJournal } from './reservation-journal';

interface Stored {
  order: Order;
  seq: number;
  idempotencyKey: string;
  requestHash: string;
  events: string[];
  tasks: CatalogAction[];
}

/** UUIDs compare like PostgreSQL's uuid type: case does not matter. */
const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Deep enough a copy that a caller can never change what is stored (dates and bigints are immutable). */
const copy = (o: Order): Order => ({
  ...o,
  lines: o.lines.map((l) => ({ ...l })),
  history: o.history.map((h) => ({ ...h })),
  deliveryAddress: { ...o.deliveryAddress },
  contact: { ...o.contact },
});

/**
 * OrderRepository in memory, held to the same contract suite as PgOrderRepository
 * (test/contracts/order-repository.contract.ts). Each call's writes apply all at once or not at
 * all, like the PostgreSQL transaction; a given journal gets its entry dropped on insert.
 */
export class MemoryOrderRepository implements OrderRepository {
  private readonly byId = new Map<string, Stored>();
  private seq = 0;

  constructor(
    private readonly encode: OrderEventEncoder,
    private readonly journal?: MemoryReservationJournal,
  ) {}

  async findById(id: string): Promise<Order | undefined> {
    const stored = this.byId.get(id.toLowerCase());
    return stored && copy(stored.order);
  }

  async findRequestHash(id: string): Promise<string | undefined> {
    return this.byId.get(id.toLowerCase())?.requestHash;
  }

  async insert(n: NewOrder): Promise<'inserted' | 'duplicate'> {
    const taken = [...this.byId.values()].some(
      (s) => sameId(s.order.customerId, n.order.customerId) && s.idempotencyKey === n.idempotencyKey,
    );
    if (this.byId.has(n.order.id.toLowerCase()) || taken) return 'duplicate';
    if (n.leaseToken !== undefined && this.journal && !this.journal.holds(n.order.id, n.leaseToken)) {
      throw unavailable('this placement outlived its reservation lease; retry with the same idempotency key');
    }
    const seq = ++this.seq;
    const createdAt = new Date();
    const base: Order = {
      ...n.order,
      status: 'pending',
      number: formatOrderNumber(seq),
      history: [],
      version: 1,
      createdAt,
      updatedAt: createdAt,
    };
    const events: string[] = [];
    for (const change of n.changes) {
      const at = new Date();
      base.history.push({
        from: change.from,
        to: change.to,
        actorId: change.actor.id,
        actorRole: change.actor.role,
        reason: change.reason,
        changedAt: at,
      });
      events.push(this.encode({ ...base, history: [], status: change.to }, { ...change, at }).type);
    }
    const order = copy({ ...base, status: n.changes[n.changes.length - 1]!.to });
    this.byId.set(order.id.toLowerCase(), {
      order,
      seq,
      idempotencyKey: n.idempotencyKey,
      requestHash: n.requestHash,
      events,
      tasks: [...n.catalogTasks],
    });
    this.journal?.forget(order.id);
    return 'inserted';
  }

  async transition(req: TransitionRequest, plan: (order: Order) => CatalogAction | undefined): Promise<Order> {
    const stored = this.byId.get(req.orderId.toLowerCase());
    if (!stored || (req.ownerId !== undefined && !sameId(stored.order.customerId, req.ownerId)))
      throw notFound('order');
    const action = plan(copy(stored.order));
    const at = new Date();
    const updated: Order = {
      ...copy(stored.order),
      status: req.to,
      payment:
        req.to === 'cancelled'
          ? { ...stored.order.payment, state: paymentStateOnCancel(stored.order.payment.state) }
          : stored.order.payment,
      version: stored.order.version + 1,
      updatedAt: at,
    };
    updated.history.push({
      from: stored.order.status,
      to: req.to,
      actorId: req.actor.id,
      actorRole: req.actor.role,
      reason: req.reason,
      changedAt: at,
    });
    const event = this.encode(updated, { to: req.to, actor: req.actor, reason: req.reason, at });
    stored.order = updated;
    stored.events.push(event.type);
    if (action) stored.tasks.push(action);
    return copy(updated);
  }

  async list(filter: OrderFilter, pageSize: number, cursor: string | undefined): Promise<Page<Order>> {
    let before = Number.POSITIVE_INFINITY;
    if (cursor !== undefined) {
      if (!/^\d{1,15}$/.test(cursor)) throw invalidField('page_token', 'is not a token from a previous page');
      before = Number(cursor);
    }
    const matches = [...this.byId.values()]
      .filter(
        ({ order: o, seq }) =>
          seq < before &&
          (!filter.customerId || sameId(o.customerId, filter.customerId)) &&
          (!filter.status || o.status === filter.status) &&
          (!filter.createdAfter || o.createdAt >= filter.createdAfter) &&
          (!filter.createdBefore || o.createdAt < filter.createdBefore) &&
          (filter.number === undefined || String(seq) === parseOrderNumber(filter.number)),
      )
      .sort((a, b) => b.seq - a.seq);
    const page = matches.slice(0, pageSize);
    const last = page[page.length - 1];
    return {
      items: page.map((s) => copy(s.order)),
      nextCursor: matches.length > pageSize && last ? String(last.seq) : undefined,
    };
  }

  /** Whether an order with this id is stored (what the journal's recovery asks). */
  has(orderId: string): boolean {
    return this.byId.has(orderId.toLowerCase());
  }

  /** What was written with an order besides itself: its event types and catalog follow-ups, in order. */
  written(orderId: string): { events: string[]; tasks: CatalogAction[] } {
    const stored = this.byId.get(orderId.toLowerCase());
    return { events: [...(stored?.events ?? [])], tasks: [...(stored?.tasks ?? [])] };
  }
}
