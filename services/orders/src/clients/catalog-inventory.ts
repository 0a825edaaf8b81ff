import { type Client, createClient } from '@connectrpc/connect';
import { InventoryService } from '@ordersystem/contracts/ordersystem/catalog/v1/inventory';
import { createServiceTransport } from '@ordersystem/platform';
import type { InventoryPort } from '../app/ports.js';
import type { PricedItem } from '../domain/order.js';
import { upstreamError } from './upstream-errors.js';

/** InventoryPort over the catalog's internal InventoryService (gRPC), with a deadline on every call. */
export function createCatalogInventory(options: { baseUrl: string; timeoutMs: number }): InventoryPort {
  const client: Client<typeof InventoryService> = createClient(InventoryService, createServiceTransport(options));
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw upstreamError('catalog', err);
    }
  };
  return {
    async reserve(orderId, lines) {
      const res = await call(() =>
        client.reserveStock({ orderId, lines: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })) }),
      );
      return res.items.map((item): PricedItem => ({
        productId: item.productId,
        sku: item.sku,
        name: item.name,
        taxClass: item.taxClass,
        quantity: item.quantity,
        unitPriceMinor: item.unitPrice?.amountMinor ?? 0n,
        currency: item.unitPrice?.currencyCode ?? '',
      }));
    },
    release: async (orderId) => void (await call(() => client.releaseReservation({ orderId }))),
    commit: async (orderId) => void (await call(() => client.commitReservation({ orderId }))),
    restock: async (orderId) => void (await call(() => client.restockOrder({ orderId }))),
  };
}
