import { ADDRESS } from '../../test/address';
import { type PlaceOrderInput, validatePlaceOrder } from './place-order-input.js';

const valid = (): PlaceOrderInput => ({
  lines: [{ productId: '00000000-0000-4000-8000-000000000001', quantity: 2n }],
  deliveryAddress: { ...ADDRESS },
  note: '',
  idempotencyKey: 'key-1',
  paymentMethod: 'pay_on_delivery',
});

const fieldsOf = (input: PlaceOrderInput, maxLines = 50): string[] => {
  try {
    validatePlaceOrder(input, { maxLines });
    return [];
  } catch (err) {
    return (err as { violations: Array<{ field: string }> }).violations.map((v) => v.field);
  }
};

describe('PlaceOrder validation', () => {
  it('accepts a complete request', () => expect(fieldsOf(valid())).toEqual([]));

  it('names zero, negative and too large quantities per line', () => {
    const input = valid();
    input.lines = [0n, -3n, 10_001n, 10_000n].map((quantity) => ({
      productId: '00000000-0000-4000-8000-000000000001',
      quantity,
    }));
    expect(fieldsOf(input)).toEqual(['lines[0].quantity', 'lines[1].quantity', 'lines[2].quantity']);
  });

  it('refuses an empty order and more lines than the limit', () => {
    expect(fieldsOf({ ...valid(), lines: [] })).toEqual(['lines']);
    const many = { ...valid(), lines: Array.from({ length: 4 }, () => valid().lines[0]!) };
    expect(fieldsOf(many, 3)).toEqual(['lines']);
  });

  it('requires product UUIDs, the address, a short note and an idempotency key', () => {
    const input = { ...valid(), note: 'x'.repeat(501), idempotencyKey: '' };
    input.lines = [{ productId: 'not-a-uuid', quantity: 1n }];
    input.deliveryAddress = { ...valid().deliveryAddress!, city: ' ', countryCode: 'Kenya', phoneNumber: '0712' };
    expect(fieldsOf(input)).toEqual([
      'lines[0].product_id',
      'delivery_address.city',
      'delivery_address.country_code',
      'delivery_address.phone_number',
      'note',
      'idempotency_key',
    ]);
    expect(fieldsOf({ ...valid(), deliveryAddress: undefined })).toEqual(['delivery_address']);
    expect(fieldsOf({ ...valid(), idempotencyKey: 'k'.repeat(101) })).toEqual(['idempotency_key']);
  });
});
