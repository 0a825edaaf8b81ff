import {
  assertTransition,
  canTransition,
  catalogActionFor,
  ORDER_STATUSES,
  type OrderStatus,
  roleMayRequest,
} from './order-status.js';

const LEGAL: Array<[OrderStatus, OrderStatus]> = [
  ['pending', 'confirmed'],
  ['pending', 'cancelled'],
  ['confirmed', 'shipped'],
  ['confirmed', 'cancelled'],
  ['shipped', 'delivered'],
];

describe('order status workflow', () => {
  it.each(LEGAL)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  const illegal = ORDER_STATUSES.flatMap((from) =>
    ORDER_STATUSES.map((to) => [from, to] as [OrderStatus, OrderStatus]),
  ).filter(([from, to]) => !LEGAL.some(([f, t]) => f === from && t === to));

  it.each(illegal)('refuses %s → %s with failed_precondition naming the move', (from, to) => {
    expect(() => assertTransition(from, to)).toThrow(
      expect.objectContaining({ kind: 'failed_precondition', message: `illegal status transition ${from} -> ${to}` }),
    );
  });

  it('lets customers only cancel, admins everything but pending', () => {
    expect(roleMayRequest('customer', 'cancelled')).toBe(true);
    for (const to of ['confirmed', 'shipped', 'delivered'] as const) expect(roleMayRequest('customer', to)).toBe(false);
    for (const to of ['confirmed', 'shipped', 'delivered', 'cancelled'] as const)
      expect(roleMayRequest('admin', to)).toBe(true);
  });

  it('names the catalog follow-up of each move', () => {
    expect(catalogActionFor('pending', 'confirmed')).toBe('commit_reservation');
    expect(catalogActionFor('pending', 'cancelled')).toBe('release_reservation');
    expect(catalogActionFor('confirmed', 'cancelled')).toBe('restock_order');
    expect(catalogActionFor('confirmed', 'shipped')).toBeUndefined();
  });
});
