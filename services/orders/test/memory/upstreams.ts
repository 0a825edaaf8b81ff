import { AppError, type FieldViolation, failedPrecondition } from '@ordersystem/platform/errors';
import type { CatalogTaskRunner, ContactsPort, InventoryPort } from '../../src/app/ports';
import type { PricedItem } from '../../src/domain/order';

/** A product the in-memory catalog knows: price and available stock. */
export interface MemoryProduct {
  id: string;
  priceMinor: bigint;
  available: bigint;
  taxClass?: string;
}

/**
 * InventoryPort in memory, idempotent by order id like the catalog: a reservation is all lines
 * or none, unknown products and short stock are failed_precondition naming the caller's line.
 */
export class MemoryInventory implements InventoryPort {
  readonly products = new Map<string, MemoryProduct>();
  readonly reservations = new Map<string, PricedItem[]>();
  readonly calls: string[] = [];

  add(product: MemoryProduct): MemoryProduct {
    this.products.set(product.id.toLowerCase(), product);
    return product;
  }

  async reserve(orderId: string, lines: ReadonlyArray<{ productId: string; quantity: bigint }>): Promise<PricedItem[]> {
    this.calls.push(`reserve ${orderId}`);
    const existing = this.reservations.get(orderId);
    if (existing) return existing;
    const problems: FieldViolation[] = [];
    const wanted = new Map<string, bigint>();
    lines.forEach((l, i) => {
      const product = this.products.get(l.productId.toLowerCase());
      const total = (wanted.get(l.productId.toLowerCase()) ?? 0n) + l.quantity;
      wanted.set(l.productId.toLowerCase(), total);
      if (!product) problems.push({ field: `lines[${i}].product_id`, description: 'no such product' });
      else if (product.available < total)
        problems.push({ field: `lines[${i}].quantity`, description: 'not enough stock' });
    });
    if (problems.length > 0) throw new AppError('failed_precondition', 'cannot reserve', problems);
    const items = [...wanted].map(([id, quantity]): PricedItem => {
      const p = this.products.get(id)!;
      p.available -= quantity;
      return {
        productId: p.id,
        sku: `SKU-${p.id.slice(0, 4)}`,
        name: `Product ${p.id.slice(0, 4)}`,
        taxClass: p.taxClass ?? 'standard',
        quantity,
        unitPriceMinor: p.priceMinor,
        currency: 'KES',
      };
    });
    this.reservations.set(orderId, items);
    return items;
  }

  async release(orderId: string): Promise<void> {
    this.calls.push(`release ${orderId}`);
    for (const item of this.reservations.get(orderId) ?? [])
      this.products.get(item.productId.toLowerCase())!.available += item.quantity;
    this.reservations.delete(orderId);
  }

  async commit(orderId: string): Promise<void> {
    this.calls.push(`commit ${orderId}`);
  }

  async restock(orderId: string): Promise<void> {
    this.calls.push(`restock ${orderId}`);
  }
}

/** ContactsPort in memory; a customer without a profile is failed_precondition, as over gRPC. */
export class MemoryContacts implements ContactsPort {
  readonly contacts = new Map<string, { name: string; email: string; phoneNumber: string }>();

  async getContact(customerId: string) {
    const contact = this.contacts.get(customerId);
    if (!contact) throw failedPrecondition('customer profile not found');
    return { customerId, ...contact };
  }
}

/** CatalogTaskRunner that only records which orders it was asked to settle. */
export class RecordingTaskRunner implements CatalogTaskRunner {
  readonly ran: string[] = [];

  async runForOrder(orderId: string): Promise<void> {
    this.ran.push(orderId);
  }
}
