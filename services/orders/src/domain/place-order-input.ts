import { Violations } from '@ordersystem/platform/errors';
import type { Address, PaymentMethodName } from './order.js';

/** A PlaceOrder request after transport decoding, before any business rule. */
export interface PlaceOrderInput {
  lines: Array<{ productId: string; quantity: bigint }>;
  deliveryAddress: Address | undefined;
  note: string;
  idempotencyKey: string;
  paymentMethod: PaymentMethodName;
}

export interface PlaceOrderLimits {
  maxLines: number;
}

export const MAX_QUANTITY = 10_000n;
export const MAX_NOTE_LENGTH = 500;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COUNTRY = /^[A-Z]{2}$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;

export const isUuid = (value: string): boolean => UUID.test(value);

/** Checks the whole request and throws one invalid_argument naming every bad field. */
export function validatePlaceOrder(input: PlaceOrderInput, limits: PlaceOrderLimits): void {
  const v = new Violations();
  if (input.lines.length === 0) v.add('lines', 'at least one line is required');
  if (input.lines.length > limits.maxLines) v.add('lines', `at most ${limits.maxLines} lines are allowed`);
  input.lines.forEach((line, i) => {
    if (!isUuid(line.productId)) v.add(`lines[${i}].product_id`, 'must be a UUID');
    if (line.quantity < 1n || line.quantity > MAX_QUANTITY)
      v.add(`lines[${i}].quantity`, `must be between 1 and ${MAX_QUANTITY}`);
  });
  validateAddress(input.deliveryAddress, v);
  if ([...input.note].length > MAX_NOTE_LENGTH) v.add('note', `must be at most ${MAX_NOTE_LENGTH} characters`);
  const keyLength = [...input.idempotencyKey].length;
  if (keyLength < 1 || keyLength > MAX_IDEMPOTENCY_KEY_LENGTH) {
    v.add('idempotency_key', `is required, 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  v.throwIfAny();
}

function validateAddress(address: Address | undefined, v: Violations): void {
  if (!address) {
    v.add('delivery_address', 'is required');
    return;
  }
  const required: Array<[keyof Address, string]> = [
    ['recipientName', 'recipient_name'],
    ['line1', 'line1'],
    ['city', 'city'],
    ['postalCode', 'postal_code'],
    ['countryCode', 'country_code'],
  ];
  for (const [key, field] of required) {
    if (address[key].trim() === '') v.add(`delivery_address.${field}`, 'is required');
    else if (address[key].length > 200) v.add(`delivery_address.${field}`, 'must be at most 200 characters');
  }
  if (address.countryCode !== '' && !COUNTRY.test(address.countryCode)) {
    v.add('delivery_address.country_code', 'must be an ISO 3166-1 alpha-2 code, e.g. "KE"');
  }
  if (address.phoneNumber !== '' && !E164.test(address.phoneNumber)) {
    v.add('delivery_address.phone_number', 'must be in E.164 format, e.g. "+254712345678"');
  }
}
