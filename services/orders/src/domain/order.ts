import { failedPrecondition, invalidField } from '@ordersystem/platform/errors';
import { MAX_MINOR, taxOf } from './money.js';
import type { ActorRole, OrderStatus } from './order-status.js';
import type { Payment } from './payment.js';
import { rateFor, type TaxTable } from './tax-table.js';

/** A postal delivery address; required fields are checked by validatePlaceOrder. */
export interface Address {
  recipientName: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  countryCode: string;
  phoneNumber: string;
}

/** How to reach the customer, copied from the customers service at placement. */
export interface ContactSnapshot {
  customerId: string;
  name: string;
  email: string;
  phoneNumber: string;
}

/** The catalog's view of one reserved product at reservation time. */
export interface PricedItem {
  productId: string;
  sku: string;
  name: string;
  taxClass: string;
  quantity: bigint;
  unitPriceMinor: bigint;
  currency: string;
}

/** One order line with its prices frozen at placement. */
export interface OrderLine {
  productId: string;
  sku: string;
  name: string;
  taxClass: string;
  taxRateBp: number;
  quantity: bigint;
  unitPriceMinor: bigint;
  lineSubtotalMinor: bigint;
  lineTaxMinor: bigint;
  lineTotalMinor: bigint;
}

export interface Totals {
  subtotalMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
}

export interface StatusChange {
  from: OrderStatus | null;
  to: OrderStatus;
  actorId: string;
  actorRole: ActorRole;
  reason: string;
  changedAt: Date;
}

export type PaymentMethodName = 'pay_on_delivery' | 'card';

/** The order aggregate as the use cases see it. */
export interface Order extends Totals {
  id: string;
  number: string;
  customerId: string;
  status: OrderStatus;
  paymentMethod: PaymentMethodName;
  currency: string;
  lines: OrderLine[];
  deliveryAddress: Address;
  note: string;
  contact: ContactSnapshot;
  payment: Payment;
  history: StatusChange[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Prices one reserved item: subtotal = unit price × quantity, tax = subtotal × rate rounded
 * half-up once per line, total = subtotal + tax. `field` names the line in errors.
 */
export function priceLine(item: PricedItem, table: TaxTable, field: string): OrderLine {
  const taxRateBp = rateFor(table, item.taxClass, field);
  const lineSubtotalMinor = item.unitPriceMinor * item.quantity;
  const lineTaxMinor = taxOf(lineSubtotalMinor, taxRateBp);
  return {
    productId: item.productId,
    sku: item.sku,
    name: item.name,
    taxClass: item.taxClass,
    taxRateBp,
    quantity: item.quantity,
    unitPriceMinor: item.unitPriceMinor,
    lineSubtotalMinor,
    lineTaxMinor,
    lineTotalMinor: lineSubtotalMinor + lineTaxMinor,
  };
}

/** Order totals are sums of the line figures, so subtotal + tax = total exactly. */
export function totalsOf(lines: readonly OrderLine[]): Totals {
  const subtotalMinor = lines.reduce((sum, l) => sum + l.lineSubtotalMinor, 0n);
  const taxMinor = lines.reduce((sum, l) => sum + l.lineTaxMinor, 0n);
  return { subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor };
}

/**
 * Refuses an order whose figures would not fit the database's bigint. The catalog's price limit
 * makes this unreachable for prices it accepts today (see catalog's MAX_PRICE_MINOR); this keeps
 * a product priced before that limit from turning an order into a 500.
 */
function assertStorable(lines: readonly OrderLine[], totals: Totals): void {
  const tooBig = 'the order amounts would exceed the largest amount an order can hold; order fewer units';
  lines.forEach((l, i) => {
    if (l.lineTotalMinor > MAX_MINOR) throw invalidField(`lines[${i}].quantity`, tooBig);
  });
  if (totals.totalMinor > MAX_MINOR) throw invalidField('lines', tooBig);
}

/**
 * Prices every reserved item in one currency. An item priced in another currency than the
 * shop's cannot be summed, so the order is refused rather than converted.
 */
export function priceItems(
  items: readonly PricedItem[],
  table: TaxTable,
  currency: string,
): { lines: OrderLine[] } & Totals {
  const lines = items.map((item, i) => {
    if (item.currency !== currency) {
      throw failedPrecondition(
        `product ${item.productId} is priced in ${item.currency}, orders are in ${currency}`,
        `lines[${i}].product_id`,
      );
    }
    return priceLine(item, table, `lines[${i}].product_id`);
  });
  const totals = totalsOf(lines);
  assertStorable(lines, totals);
  return { lines, ...totals };
}

/** Human order number from the sequence value: ORD-000042 (widens past a million, never truncates). */
export function formatOrderNumber(seq: bigint | number | string): string {
  return `ORD-${String(seq).padStart(6, '0')}`;
}

/** The sequence value behind an order number ("ORD-000042", "ord-42" or "42" → "42"); undefined for anything else. */
export function parseOrderNumber(text: string): string | undefined {
  return /^(?:ORD-)?0*(\d{1,18})$/i.exec(text.trim())?.[1];
}
