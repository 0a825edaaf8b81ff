import type { Logger } from '@ordersystem/platform';
import { payOnDelivery } from '../../src/clients/pay-on-delivery';
import { DEFAULT_TAX_TABLE } from '../../src/domain/tax-table';
import { encodeOrderEvent } from '../../src/events/order-events';
import type { OrderServiceDeps } from '../../src/rpc/order-service';
import { MemoryOrderRepository } from './order-repository';
import { MemoryReservationJournal } from './reservation-journal';
import { MemoryContacts, MemoryInventory, RecordingTaskRunner } from './upstreams';

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
} as unknown as Logger;

/** Everything routes(deps) needs, in memory, with the real domain rules and event encoder. */
export function memoryOrderServiceDeps(over: { maxLines?: number; confirmAtPlacement?: boolean } = {}) {
  // The journal asks the repository whether an order exists; the repository drops journal entries.
  const journal: MemoryReservationJournal = new MemoryReservationJournal((id) => orders.has(id));
  const orders = new MemoryOrderRepository(encodeOrderEvent, journal);
  const inventory = new MemoryInventory();
  const contacts = new MemoryContacts();
  const tasks = new RecordingTaskRunner();
  const deps: OrderServiceDeps = {
    orders,
    journal,
    inventory,
    contacts,
    tasks,
    logger: silent,
    payments: new Map([['pay_on_delivery', payOnDelivery({ confirmAtPlacement: over.confirmAtPlacement ?? true })]]),
    taxTable: DEFAULT_TAX_TABLE,
    currency: 'KES',
    limits: { maxLines: over.maxLines ?? 50 },
    leaseMs: 30_000,
  };
  return { deps, orders, journal, inventory, contacts, tasks };
}
