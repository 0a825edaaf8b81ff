import { randomUUID } from 'node:crypto';
import { failedPrecondition } from '@ordersystem/platform';
import type { InventoryRepository } from '../../src/app/ports';
import type { ReservedItem } from '../../src/domain/reservation';
import type { MemoryCatalogStore } from './catalog-store';

/** Per unit of each line: what a status change does to on-hand and reserved stock. */
const EFFECTS = {
  committed: { onHand: -1n, reserved: -1n },
  released: { onHand: 0n, reserved: -1n },
  expired: { onHand: 0n, reserved: -1n },
  restocked: { onHand: 1n, reserved: 0n },
} as const;

/** The inventory repository port over in-memory maps (for the fast routes tests). */
export function createMemoryInventoryRepository(
  store: MemoryCatalogStore,
  now: () => Date = () => new Date(),
): InventoryRepository {
  const { products, reservations } = store;
  const apply = (items: readonly ReservedItem[], effect: { onHand: bigint; reserved: bigint }) => {
    for (const item of items) {
      const p = products.get(item.productId)!;
      p.stockOnHand += item.quantity * effect.onHand;
      p.reserved += item.quantity * effect.reserved;
    }
  };

  /** Every line is checked before any stock moves: all or nothing, like the rolled-back transaction. */
  const take = (lines: Parameters<InventoryRepository['reserve']>[1]): ReservedItem[] => {
    const items = lines.map((line): ReservedItem => {
      const p = products.get(line.productId);
      const field = `lines[${line.index}].product_id`;
      if (!p) throw failedPrecondition(`product ${line.productId} does not exist`, field);
      if (!p.active) throw failedPrecondition(`product ${line.productId} is not available`, field);
      if (p.stockOnHand - p.reserved < line.quantity)
        throw failedPrecondition(`insufficient stock for product ${line.productId}`, field);
      return {
        productId: p.id,
        sku: p.sku,
        name: p.name,
        unitPriceMinor: p.priceMinor,
        currencyCode: p.currencyCode,
        taxClass: p.taxClass,
        quantity: line.quantity,
      };
    });
    apply(items, { onHand: 0n, reserved: 1n });
    return items;
  };

  return {
    async reserve(orderId, lines, expiresAt) {
      const existing = reservations.get(orderId);
      if (existing) return { reservation: structuredClone(existing), created: false };
      const reservation = { id: randomUUID(), orderId, status: 'reserved' as const, expiresAt, items: take(lines) };
      reservations.set(orderId, reservation);
      return { reservation: structuredClone(reservation), created: true };
    },

    async renew(orderId, lines, expiresAt) {
      const r = reservations.get(orderId)!;
      if (r.status !== 'released' && r.status !== 'expired') return { reservation: structuredClone(r), created: false };
      Object.assign(r, { items: take(lines), status: 'reserved', expiresAt });
      return { reservation: structuredClone(r), created: true };
    },

    async transition(orderId, from, to) {
      const r = reservations.get(orderId.toLowerCase());
      if (r?.status !== from) return { before: r?.status, items: [] };
      r.status = to;
      apply(r.items, EFFECTS[to]);
      return { before: from, items: structuredClone(r.items) };
    },

    async expireOverdue(limit) {
      const due = [...reservations.values()]
        .filter((r) => r.status === 'reserved' && r.expiresAt <= now())
        .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
        .slice(0, limit);
      for (const r of due) {
        r.status = 'expired';
        apply(r.items, EFFECTS.expired);
      }
      return [...new Set(due.flatMap((r) => r.items.map((i) => i.productId)))];
    },
  };
}
