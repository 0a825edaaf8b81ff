import { Violations } from '@ordersystem/platform/errors';
import { isUuid } from './category.js';

export type ReservationStatus = 'reserved' | 'committed' | 'released' | 'expired' | 'restocked';

/** One requested line after duplicates are summed; `index` is the first request line naming the product. */
export interface SummedLine {
  productId: string;
  quantity: bigint;
  index: number;
}

/** A reserved product with the snapshot taken at reservation time. */
export interface ReservedItem {
  productId: string;
  sku: string;
  name: string;
  unitPriceMinor: bigint;
  currencyCode: string;
  taxClass: string;
  quantity: bigint;
}

export interface Reservation {
  id: string;
  orderId: string;
  status: ReservationStatus;
  expiresAt: Date;
  items: ReservedItem[];
}

const MAX_QUANTITY = 1_000_000n;
const MAX_LINES = 500;

/** Validates a reservation request; throws invalid_argument naming every bad field. */
export function validateReserveRequest(
  orderId: string,
  lines: readonly { productId: string; quantity: bigint }[],
): void {
  const v = new Violations();
  if (!isUuid(orderId)) v.add('order_id', 'must be a UUID');
  if (lines.length === 0) v.add('lines', 'must not be empty');
  if (lines.length > MAX_LINES) v.add('lines', `must have at most ${MAX_LINES} entries`);
  lines.forEach((line, i) => {
    if (!isUuid(line.productId)) v.add(`lines[${i}].product_id`, 'must be a UUID');
    if (line.quantity <= 0n) v.add(`lines[${i}].quantity`, 'must be positive');
    else if (line.quantity > MAX_QUANTITY) v.add(`lines[${i}].quantity`, `must be at most ${MAX_QUANTITY}`);
  });
  v.throwIfAny();
}

/**
 * Sums lines of the same product and sorts by product id: every transaction then locks product rows
 * in the same order, so two reservations can never deadlock on each other.
 */
export function sumLines(lines: readonly { productId: string; quantity: bigint }[]): SummedLine[] {
  const byProduct = new Map<string, SummedLine>();
  lines.forEach((line, index) => {
    const id = line.productId.toLowerCase();
    const existing = byProduct.get(id);
    if (existing) existing.quantity += line.quantity;
    else byProduct.set(id, { productId: id, quantity: line.quantity, index });
  });
  return [...byProduct.values()].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
}

/** Whether a stored reservation was made for exactly these (summed) lines, i.e. a retry of the same call. */
export function samePayload(items: readonly ReservedItem[], lines: readonly SummedLine[]): boolean {
  if (items.length !== lines.length) return false;
  const stored = new Map(items.map((i) => [i.productId, i.quantity]));
  return lines.every((l) => stored.get(l.productId) === l.quantity);
}
