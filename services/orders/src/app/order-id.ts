import { createHash } from 'node:crypto';
import type { PlaceOrderInput } from '../domain/place-order-input.js';

/** Fixed namespace for order ids (a random v4 chosen once; changing it would break idempotency). */
const ORDER_NAMESPACE = '6f1b3c1e-58a4-4f1f-9a57-0d6b0b9c8e21';

/** RFC 9562 UUIDv5 (SHA-1, name-based): the same name always gives the same id. */
export function uuidV5(name: string, namespace: string = ORDER_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The order id for a customer's idempotency key. Deriving it (instead of storing a random one)
 * means a retry reaches the catalog with the same order id, and ReserveStock is idempotent by
 * order id, so even a retry racing the first attempt never reserves twice.
 */
export function orderIdFor(customerId: string, idempotencyKey: string): string {
  return uuidV5(`${customerId}\n${idempotencyKey}`);
}

/** Fingerprint of what was asked for, to tell a true retry from a reused key with new contents. */
export function requestHash(input: PlaceOrderInput): string {
  const canonical = JSON.stringify({
    lines: input.lines.map((l) => [l.productId.toLowerCase(), l.quantity.toString()]),
    address: input.deliveryAddress,
    note: input.note,
    payment: input.paymentMethod,
  });
  return createHash('sha256').update(canonical).digest('hex');
}
