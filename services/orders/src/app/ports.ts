import type { ContactSnapshot, Order, PricedItem } from '../domain/order.js';
import type { ActorRole, CatalogAction, OrderStatus } from '../domain/order-status.js';
import type { Payment, PaymentDecision, PaymentUpdate } from '../domain/payment.js';

/** The catalog's inventory, as the orders service needs it. Every call is idempotent by order id. */
export interface InventoryPort {
  /**
   * Reserves all lines or none. Lines are passed in request order so that the catalog's field
   * violations (`lines[2].quantity`) name the caller's lines. Returns one item per distinct product.
   */
  reserve(orderId: string, lines: ReadonlyArray<{ productId: string; quantity: bigint }>): Promise<PricedItem[]>;
  release(orderId: string): Promise<void>;
  commit(orderId: string): Promise<void>;
  restock(orderId: string): Promise<void>;
}

/** The customers service's contact lookup. */
export interface ContactsPort {
  /** The customer's contact details; not_found when the customer has no profile. */
  getContact(customerId: string): Promise<ContactSnapshot>;
}

/** Result of starting a payment: settled now, or waiting for a later confirmation. */
export interface PaymentOutcome {
  settled: boolean;
  /** Human-readable note for the status history (e.g. "pay on delivery"). */
  note: string;
  /** The payment as stored with the order (state, provider and its reference). */
  payment: Payment;
}

/**
 * A way to pay. Runs before the order is stored (never inside the transaction). Future
 * providers (card, M-Pesa) return `settled: false` and confirm later through ConfirmOrder or a
 * provider callback; pay on delivery settles immediately.
 */
export interface PaymentMethod {
  readonly name: Order['paymentMethod'];
  begin(order: { id: string; customerId: string; totalMinor: bigint; currency: string }): Promise<PaymentOutcome>;
}

/** Who asks for a change. */
export interface Actor {
  id: string;
  role: ActorRole;
}

/** Everything written with a new order in ONE transaction. */
export interface NewOrder {
  order: Omit<Order, 'number' | 'history' | 'version' | 'createdAt' | 'updatedAt' | 'status'>;
  idempotencyKey: string;
  requestHash: string;
  /** Status changes in order: null→pending, then possibly pending→confirmed. */
  changes: Array<{ from: OrderStatus | null; to: OrderStatus; actor: Actor; reason: string }>;
  /** Catalog follow-ups to run after commit (e.g. commit_reservation when confirmed at once). */
  catalogTasks: CatalogAction[];
  /** Trace context of the placing request, carried into every event's Kafka headers. */
  traceHeaders: Record<string, string>;
  /**
   * The placement's journal lease. When recovery took the lease over (the placement outlived it),
   * the stock may already be released, so the insert refuses instead of storing an unbacked order.
   */
  leaseToken?: string;
}

export interface OrderFilter {
  customerId?: string;
  status?: OrderStatus;
  createdAfter?: Date;
  createdBefore?: Date;
  /** Only the order with this number; a valid one (listOrders checks it with parseOrderNumber). */
  number?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | undefined;
}

/** What a transition writes, atomically, once the order row is locked and the move checked. */
export interface TransitionRequest {
  orderId: string;
  to: OrderStatus;
  actor: Actor;
  reason: string;
  /** Only orders owned by this customer are visible (customers); undefined for admins. */
  ownerId?: string;
  traceHeaders: Record<string, string>;
}

/** One encoded event, ready for the outbox. */
export interface EncodedEvent {
  eventId: string;
  type: string;
  payload: Uint8Array;
}

/** Turns an order right after a change into its event (OrderPlaced, OrderConfirmed, ...). */
export type OrderEventEncoder = (
  order: Order,
  change: { to: OrderStatus; actor: Actor; reason: string; at: Date },
) => EncodedEvent;

/** Orders persistence: the order, its lines, history, outbox events and catalog tasks. */
export interface OrderRepository {
  findById(id: string): Promise<Order | undefined>;
  /** Returns the request hash stored with an order, for idempotent-retry checks. */
  findRequestHash(id: string): Promise<string | undefined>;
  /** Stores the order with everything in NewOrder; `duplicate` when the id already exists. */
  insert(order: NewOrder): Promise<'inserted' | 'duplicate'>;
  /**
   * insert, answering with the order as stored instead of 'inserted', so a placement need not read
   * it back (three queries). Optional: without it the placement reads the order after inserting.
   */
  insertReturning?(order: NewOrder): Promise<Order | 'duplicate'>;
  /**
   * Locks the order (not_found if absent or not owned by req.ownerId), lets `plan` check the
   * move and name the catalog follow-up, then writes status, history, event and task atomically.
   */
  transition(req: TransitionRequest, plan: (order: Order) => CatalogAction | undefined): Promise<Order>;
  list(filter: OrderFilter, pageSize: number, cursor: string | undefined): Promise<Page<Order>>;
}

/**
 * The reservation journal: a row exists while a placement holds (or may hold) a catalog
 * reservation without an order row. It doubles as a lease so that two concurrent placements
 * with the same idempotency key never race each other's release.
 */
export interface ReservationJournal {
  /**
   * Takes the lease for `orderId` and returns its token; undefined when another placement holds a
   * live lease. The order's insert succeeds only while the token is still the lease's.
   */
  acquire(orderId: string, customerId: string, leaseMs: number): Promise<string | undefined>;
  /**
   * Renews the lease while `token` is still its token, and returns the new token; undefined once
   * another placement or recovery took it over (from then on the reservation is theirs to settle).
   */
  extend(orderId: string, token: string, leaseMs: number): Promise<string | undefined>;
  /** Drops the entry, if `token` is still its lease, after the holder settled its reservation. */
  clear(orderId: string, token: string): Promise<void>;
  /** Claims expired entries that never became orders, for release by recovery, with their new tokens. */
  claimAbandoned(leaseMs: number, limit: number): Promise<Array<{ orderId: string; token: string }>>;
}

/** Runs the durable catalog follow-ups of one order now (best effort; the worker retries). */
export interface CatalogTaskRunner {
  runForOrder(orderId: string): Promise<void>;
}

/** A catalog call an order still owes (commit, release, restock), stored with its state change. */
export interface CatalogTask {
  id: string;
  orderId: string;
  action: CatalogAction;
  /** Attempts so far, including the one the claim just started. */
  attempts: number;
}

/**
 * The durable queue of catalog follow-ups. Tasks are leased (not locked) while the catalog is
 * called, and one order's tasks are handed out strictly in creation order.
 */
export interface CatalogTaskStore {
  /**
   * Leases up to `limit` due tasks whose predecessors for the same order are done, in id order.
   * With `orderIds` (the run right after their transactions) a task never tried is due at once.
   */
  claim(leaseMs: number, limit: number, orderIds?: readonly string[]): Promise<CatalogTask[]>;
  /** Deletes finished tasks (one statement for a batch). */
  done(ids: readonly string[]): Promise<void>;
  /** Schedules another attempt after `delayMs`. */
  retryLater(id: string, delayMs: number, error: string): Promise<void>;
  /** Parks a task the catalog refuses for good, for an operator. */
  fail(id: string, error: string): Promise<void>;
}

/**
 * The order funnel as operators watch it (Prometheus), counted after each commit. Optional in the
 * use cases' deps: tests that do not look at metrics leave it out.
 */
export interface OrderMetrics {
  /** A committed status change, including the initial `pending` of a placement. */
  statusChanged(to: OrderStatus): void;
  /** A committed placement's total, in integer minor units of its currency. */
  placed(totalMinor: bigint, currency: string): void;
  /** A catalog follow-up that failed: it will be retried, or it was parked for an operator. */
  followUpFailed(action: string, outcome: 'retry' | 'parked'): void;
}

/**
 * An online payment provider, after the payment was started by its PaymentMethod: what the
 * webhooks, the reconciliation and timeout workers and refunds need. Provider-neutral: Stripe is
 * one adapter; M-Pesa would be another (see the README), with no change to the use cases.
 */
export interface PaymentProvider {
  /** "stripe", …: the value stored as the order's payment provider. */
  readonly provider: string;
  /** What the client needs to pay (for Stripe, the PaymentIntent's client secret). */
  clientSecret(reference: string): Promise<string>;
  /** Asks the provider where one payment stands (reconciliation). */
  lookup(reference: string): Promise<PaymentUpdate>;
  /** Calls the payment off; `settled` when it had already succeeded, and so was not cancelled. */
  cancel(reference: string): Promise<'canceled' | 'settled'>;
  /** Refunds `amountMinor` once per order (idempotent by order id); returns the refund's id. */
  refund(reference: string, orderId: string, amountMinor: bigint): Promise<string>;
  /** Reads one verified event: its id and type, and the update when it is about a payment. */
  parseEvent(payload: Uint8Array): { eventId: string; type: string; update?: PaymentUpdate };
}

/** What applying a provider update did. */
export type PaymentApplyResult =
  | { outcome: 'duplicate' }
  | { outcome: 'unknown_order' }
  | { outcome: 'applied' | 'ignored' | 'refused'; decision: PaymentDecision; order: Order };

/** Payment state changes, each in ONE transaction with its status change, history, event and catalog task. */
export interface PaymentStore {
  /**
   * Locks the update's order, lets `decide` choose, and writes the decision; with an `eventId` the
   * event is recorded in the same transaction, so a redelivered event is a `duplicate`.
   */
  apply(
    event: { eventId: string; provider: string } | undefined,
    update: PaymentUpdate,
    decide: (order: Order) => PaymentDecision,
    traceHeaders: Record<string, string>,
  ): Promise<PaymentApplyResult>;
  /**
   * Cancels a pending order whose payment is still outstanding (status, payment `canceled`, history,
   * OrderCancelled, release task); undefined when it is no longer pending and unpaid.
   */
  cancelUnpaid(orderId: string, reason: string, traceHeaders: Record<string, string>): Promise<Order | undefined>;
  /**
   * Records the refund of a `refund_pending` order (idempotent: a refunded order stays as it is);
   * true only for the call that recorded it.
   */
  recordRefund(orderId: string, refundReference: string, amountMinor: bigint): Promise<boolean>;
  /** Pending online payments placed (or last updated) more than `olderThanMs` ago, oldest first. */
  awaitingPayment(since: 'placed' | 'updated', olderThanMs: number, limit: number): Promise<Order[]>;
  /** Orders whose refund is due (`refund_pending`), oldest first. */
  refundsDue(limit: number): Promise<Order[]>;
}

/** Payment counters for operators (Prometheus); optional in the use cases' deps. */
export interface PaymentMetrics {
  /** A payment outcome applied to an order: paid, failed, mismatch, canceled, late_refund. */
  outcome(outcome: string): void;
  /** The reconciliation worker changed an order a webhook should have changed. */
  reconciled(): void;
  /** A refund attempt: issued or failed (it is retried). */
  refund(outcome: 'issued' | 'failed'): void;
}
