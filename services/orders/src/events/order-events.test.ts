import { fromBinary } from '@bufbuild/protobuf';
import { OrderEventSchema } from '@ordersystem/contracts/ordersystem/orders/v1/events';
import { OrderStatus } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import type { Order } from '../domain/order.js';
import { ON_DELIVERY } from '../domain/payment.js';
import { encodeOrderEvent } from './order-events.js';
import { ADDRESS } from '../../test/address.js';

const order: Order = {
  id: '00000000-0000-4000-8000-0000000000a1',
  number: 'ORD-000007',
  customerId: '00000000-0000-4000-8000-00000000c001',
  status: 'cancelled',
  paymentMethod: 'pay_on_delivery',
  payment: ON_DELIVERY,
  currency: 'KES',
  subtotalMinor: 2_000n,
  taxMinor: 320n,
  totalMinor: 2_320n,
  lines: [
    {
      productId: 'p1',
      sku: 'S1',
      name: 'Kettle',
      taxClass: 'standard',
      taxRateBp: 1600,
      quantity: 2n,
      unitPriceMinor: 1_000n,
      lineSubtotalMinor: 2_000n,
      lineTaxMinor: 320n,
      lineTotalMinor: 2_320n,
    },
  ],
  deliveryAddress: ADDRESS,
  note: '',
  contact: {
    customerId: '00000000-0000-4000-8000-00000000c001',
    name: 'Achieng',
    email: 'a@example.test',
    phoneNumber: '+254712345678',
  },
  history: [],
  version: 3,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
};

describe('order events', () => {
  it('encodes a cancellation with the actor, the contact snapshot, lines and totals', () => {
    const at = new Date('2026-01-02T03:04:05Z');
    const encoded = encodeOrderEvent(order, {
      to: 'cancelled',
      actor: { id: order.customerId, role: 'customer' },
      reason: 'too late',
      at,
    });
    const event = fromBinary(OrderEventSchema, encoded.payload);
    expect(encoded.type).toBe('OrderCancelled');
    expect(event.eventId).toBe(encoded.eventId);
    expect(event.orderId).toBe(order.id);
    expect(Number(event.occurredAt!.seconds)).toBe(at.getTime() / 1000);
    expect(event.kind).toMatchObject({
      case: 'cancelled',
      value: { reason: 'too late', actorRole: 'customer', actorId: order.customerId },
    });
    expect(event.order).toMatchObject({
      number: 'ORD-000007',
      status: OrderStatus.CANCELLED,
      customer: { name: 'Achieng', phoneNumber: '+254712345678' },
    });
    expect(event.order!.lines[0]).toMatchObject({
      sku: 'S1',
      quantity: 2n,
      lineTax: { amountMinor: 320n, currencyCode: 'KES' },
    });
    expect(event.order!.total).toMatchObject({ amountMinor: 2_320n, currencyCode: 'KES' });
  });

  it('leaves the actor empty when the system confirmed at placement', () => {
    const encoded = encodeOrderEvent(
      { ...order, status: 'confirmed' },
      { to: 'confirmed', actor: { id: '', role: 'system' }, reason: 'cod', at: new Date() },
    );
    expect(fromBinary(OrderEventSchema, encoded.payload).kind).toMatchObject({
      case: 'confirmed',
      value: { actorId: '' },
    });
  });
});
