import { alreadyExists, failedPrecondition, invalidField, notFound } from '@ordersystem/platform';
import { isUuid } from '../domain/category.js';
import { type Reservation, samePayload, sumLines, validateReserveRequest } from '../domain/reservation.js';
import type { CacheScope, InventoryRepository, ReadCache } from './ports.js';

/** Stock moves change product availability (product by id, in-stock listings); stats ignore stock. */
const stockScopes = (productIds: readonly string[]): CacheScope[] => [
  { family: 'list' },
  ...productIds.map((id) => ({ family: 'product' as const, id })),
];

function requireOrderId(orderId: string): void {
  if (!isUuid(orderId)) throw invalidField('order_id', 'must be a UUID');
}

/** Inventory use cases for the orders service: reserve, commit, release, restock, expire. */
export function createInventoryUseCases(
  repo: InventoryRepository,
  cache: ReadCache,
  options: { ttlSeconds: number; now?: () => Date },
) {
  const now = options.now ?? (() => new Date());
  return {
    /**
     * All or nothing, idempotent by order id; a different payload for a known order is already_exists.
     * A released or expired reservation (its placement failed, so no order holds it) is taken again:
     * the orders service retries a placement with the same order id, and that retry must not fail
     * because an earlier attempt was cut off.
     */
    async reserve(orderId: string, lines: readonly { productId: string; quantity: bigint }[]): Promise<Reservation> {
      validateReserveRequest(orderId, lines);
      const summed = sumLines(lines);
      const expiresAt = new Date(now().getTime() + options.ttlSeconds * 1000);
      let { reservation, created } = await repo.reserve(orderId.toLowerCase(), summed, expiresAt);
      if (!created && !samePayload(reservation.items, summed)) {
        throw alreadyExists('order already has a reservation with different lines', 'order_id');
      }
      if (!created && (reservation.status === 'released' || reservation.status === 'expired')) {
        ({ reservation, created } = await repo.renew(orderId.toLowerCase(), summed, expiresAt));
      }
      if (created) {
        await cache.invalidate(stockScopes(summed.map((l) => l.productId)));
        return reservation;
      }
      if (reservation.status !== 'reserved' && reservation.status !== 'committed') {
        throw failedPrecondition(`the reservation for this order was ${reservation.status}`, 'order_id');
      }
      return reservation;
    },

    /** Commits once; committing again is a no-op; a released or expired reservation cannot be committed. */
    async commit(orderId: string): Promise<void> {
      requireOrderId(orderId);
      const { before, items } = await repo.transition(orderId, 'reserved', 'committed');
      if (before === undefined) throw notFound('reservation');
      if (before === 'reserved') return cache.invalidate(stockScopes(items.map((i) => i.productId)));
      if (before !== 'committed' && before !== 'restocked')
        throw failedPrecondition(`the reservation was ${before}`, 'order_id');
    },

    /** Returns reserved stock; true only for the call that actually released it. */
    async release(orderId: string): Promise<boolean> {
      requireOrderId(orderId);
      const { before, items } = await repo.transition(orderId, 'reserved', 'released');
      if (before !== 'reserved') return false;
      await cache.invalidate(stockScopes(items.map((i) => i.productId)));
      return true;
    },

    /** Returns committed stock to on-hand once; an uncommitted reservation is refused (release it instead). */
    async restock(orderId: string): Promise<void> {
      requireOrderId(orderId);
      const { before, items } = await repo.transition(orderId, 'committed', 'restocked');
      if (before === undefined) throw notFound('reservation');
      if (before === 'committed') return cache.invalidate(stockScopes(items.map((i) => i.productId)));
      if (before !== 'restocked') throw failedPrecondition(`the reservation is ${before}, not committed`, 'order_id');
    },

    /** Expires one batch of overdue reservations; returns how many products got stock back. */
    async expireOverdue(batch = 500): Promise<number> {
      const touched = await repo.expireOverdue(batch);
      if (touched.length > 0) await cache.invalidate(stockScopes(touched));
      return touched.length;
    },
  };
}

export type InventoryUseCases = ReturnType<typeof createInventoryUseCases>;
