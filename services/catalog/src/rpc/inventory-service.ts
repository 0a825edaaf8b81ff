import type { ServiceImpl } from '@connectrpc/connect';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { type InventoryService } from '@ordersystem/contracts/ordersystem/catalog/v1/inventory';
import type { InventoryUseCases } from '../app/inventory.js';
import { toReservedItemMessage } from './mappers.js';

/** InventoryService: internal, called by the orders service; the gateway never routes to it. */
export function inventoryService(inventory: InventoryUseCases): ServiceImpl<typeof InventoryService> {
  return {
    async reserveStock(req) {
      const r = await inventory.reserve(
        req.orderId,
        req.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
      );
      return {
        reservationId: r.id,
        expiresAt: timestampFromDate(r.expiresAt),
        items: r.items.map(toReservedItemMessage),
      };
    },
    releaseReservation: async (req) => ({ released: await inventory.release(req.orderId) }),
    async commitReservation(req) {
      await inventory.commit(req.orderId);
      return {};
    },
    async restockOrder(req) {
      await inventory.restock(req.orderId);
      return {};
    },
  };
}
