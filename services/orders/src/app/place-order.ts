import { alreadyExists, AppError, unavailable } from '@ordersystem/platform/errors';
import type { Logger } from '@ordersystem/platform';
import { type Order, priceItems, type PricedItem } from '../domain/order.js';
import { type PlaceOrderInput, type PlaceOrderLimits, validatePlaceOrder } from '../domain/place-order-input.js';
import type { TaxTable } from '../domain/tax-table.js';
import { orderIdFor, requestHash } from './order-id.js';
import type {
  Actor,
  CatalogTaskRunner,
  ContactsPort,
  InventoryPort,
  NewOrder,
  OrderMetrics,
  OrderRepository,
  PaymentMethod,
  PaymentOutcome,
  ReservationJournal,
} from './ports.js';

export interface PlaceOrderDeps {
  orders: OrderRepository;
  inventory: InventoryPort;
  contacts: ContactsPort;
  journal: ReservationJournal;
  tasks: CatalogTaskRunner;
  payments: ReadonlyMap<Order['paymentMethod'], PaymentMethod>;
  taxTable: TaxTable;
  currency: string;
  limits: PlaceOrderLimits;
  /** How long a placement may hold its reservation lease before recovery may release it. */
  leaseMs: number;
  logger: Logger;
  metrics?: OrderMetrics;
}

/**
 * Places an order for `customerId`: validate → (same key? return the stored order) → contact
 * snapshot → reserve stock → price and tax → payment → ONE transaction writing order, lines,
 * history, events and catalog follow-ups. No remote call runs inside the transaction; if
 * anything fails after the reservation, the reservation is released (best effort, with the
 * journal and the catalog's expiry as backstops) and no order row exists.
 */
export async function placeOrder(
  deps: PlaceOrderDeps,
  customer: { id: string },
  input: PlaceOrderInput,
  traceHeaders: Record<string, string>,
): Promise<Order> {
  validatePlaceOrder(input, deps.limits);
  const orderId = orderIdFor(customer.id, input.idempotencyKey);
  const hash = requestHash(input);
  const existing = await findRetry(deps, orderId, hash);
  if (existing) return existing;

  const payment = deps.payments.get(input.paymentMethod);
  if (!payment) throw new AppError('failed_precondition', `payment method ${input.paymentMethod} is not available`);
  const contact = await deps.contacts.getContact(customer.id);
  const lease = await deps.journal.acquire(orderId, customer.id, deps.leaseMs);
  if (lease === undefined) {
    throw unavailable('an order with this idempotency key is being placed right now; retry shortly');
  }

  let reserved = false;
  let result: Order | 'inserted' | 'duplicate';
  try {
    const items = await reserve(deps, orderId, input);
    reserved = true;
    const priced = priceItems(items, deps.taxTable, deps.currency);
    const outcome = await payment.begin({
      id: orderId,
      customerId: customer.id,
      totalMinor: priced.totalMinor,
      currency: deps.currency,
    });
    const order = {
      id: orderId,
      customerId: customer.id,
      paymentMethod: payment.name,
      currency: deps.currency,
      ...priced,
      deliveryAddress: input.deliveryAddress!,
      note: input.note,
      contact,
      payment: outcome.payment,
    };
    const placement = { ...newOrder(order, input.idempotencyKey, hash, outcome, traceHeaders), leaseToken: lease };
    result = deps.orders.insertReturning
      ? await deps.orders.insertReturning(placement)
      : await deps.orders.insert(placement);
    if (result !== 'duplicate') countPlacement(deps.metrics, placement);
  } catch (err) {
    await releaseAfterFailure(
      deps,
      orderId,
      lease,
      reserved || !(err instanceof AppError && err.kind === 'failed_precondition'),
    );
    throw err;
  }
  if (result === 'duplicate') {
    // A concurrent retry with the same key won: the reservation (same order id) is its, so keep
    // it; only our lease on the journal entry is dropped.
    await deps.journal.clear(orderId, lease);
    return (await findRetry(deps, orderId, hash))!;
  }
  await deps.tasks.runForOrder(orderId);
  return result === 'inserted' ? (await deps.orders.findById(orderId))! : result;
}

function countPlacement(metrics: OrderMetrics | undefined, placement: NewOrder): void {
  metrics?.placed(placement.order.totalMinor, placement.order.currency);
  for (const change of placement.changes) metrics?.statusChanged(change.to);
}

/**
 * What one placement writes: pending by the customer, then — when the payment settled at once —
 * confirmed by the system with the reservation commit queued in the same transaction.
 */
function newOrder(
  order: NewOrder['order'],
  idempotencyKey: string,
  requestHash: string,
  outcome: PaymentOutcome,
  traceHeaders: Record<string, string>,
): NewOrder {
  const customer: Actor = { id: order.customerId, role: 'customer' };
  const system: Actor = { id: '', role: 'system' };
  const changes: NewOrder['changes'] = [{ from: null, to: 'pending', actor: customer, reason: 'order placed' }];
  if (outcome.settled) changes.push({ from: 'pending', to: 'confirmed', actor: system, reason: outcome.note });
  return {
    order,
    idempotencyKey,
    requestHash,
    changes,
    catalogTasks: outcome.settled ? ['commit_reservation'] : [],
    traceHeaders,
  };
}

/**
 * Reserves in the catalog and returns the items in the order the customer listed them (the
 * catalog sorts by product id), so `lines[i]` in any later error names the customer's line.
 */
async function reserve(deps: PlaceOrderDeps, orderId: string, input: PlaceOrderInput): Promise<PricedItem[]> {
  let items: PricedItem[];
  try {
    items = await deps.inventory.reserve(orderId, input.lines);
  } catch (err) {
    // The catalog takes a released reservation again for a retry; one it no longer holds (restocked) is not.
    if (
      err instanceof AppError &&
      err.kind === 'failed_precondition' &&
      err.violations.some((v) => v.field === 'order_id')
    ) {
      throw new AppError(
        'failed_precondition',
        'an earlier attempt with this idempotency key can no longer be resumed; use a new key',
        [{ field: 'idempotency_key', description: 'already used by a failed attempt' }],
      );
    }
    throw err;
  }
  const position = new Map<string, number>();
  input.lines.forEach((l, i) => position.has(l.productId.toLowerCase()) || position.set(l.productId.toLowerCase(), i));
  const rank = (item: PricedItem) => position.get(item.productId.toLowerCase()) ?? Number.MAX_SAFE_INTEGER;
  return [...items].sort((a, b) => rank(a) - rank(b));
}

/** The stored order for a true retry; already_exists when the key was used for a different request. */
async function findRetry(deps: PlaceOrderDeps, orderId: string, hash: string): Promise<Order | undefined> {
  const storedHash = await deps.orders.findRequestHash(orderId);
  if (storedHash === undefined) return undefined;
  if (storedHash !== hash) {
    throw alreadyExists('this idempotency key was already used for a different order', 'idempotency_key');
  }
  return deps.orders.findById(orderId);
}

/**
 * Releases whatever the failed placement may have reserved. A timeout can leave a reservation
 * we never heard about, so release unless the catalog clearly refused. Only while our lease is
 * still the journal's: once a retry with the same key or recovery took it over, the reservation
 * (the same order id) is theirs, and releasing it would leave their order without stock. If the
 * release itself fails, the journal entry stays and recovery retries it; the catalog's expiry is
 * the last resort.
 */
async function releaseAfterFailure(
  deps: PlaceOrderDeps,
  orderId: string,
  lease: string,
  mayHoldReservation: boolean,
): Promise<void> {
  try {
    const held = await deps.journal.extend(orderId, lease, deps.leaseMs);
    if (held === undefined) return;
    if (mayHoldReservation) await deps.inventory.release(orderId);
    await deps.journal.clear(orderId, held);
  } catch (err) {
    deps.logger.warn({ err, orderId }, 'could not release reservation after failed placement; recovery will retry');
  }
}
