import type { Logger } from '@ordersystem/platform';
import type { InventoryUseCases } from './inventory.js';

/**
 * One pass of the reservation sweeper (main.ts runs it with platform startWorker): expires a batch
 * of overdue reservations and returns how many products got stock back, so a backlog drains at once.
 */
export function reservationSweep(
  inventory: Pick<InventoryUseCases, 'expireOverdue'>,
  logger: Logger,
  onExpired: (products: number) => void = () => {},
): () => Promise<number> {
  return async () => {
    const products = await inventory.expireOverdue();
    if (products > 0) {
      logger.info({ products }, 'expired overdue reservations');
      onExpired(products);
    }
    return products;
  };
}
