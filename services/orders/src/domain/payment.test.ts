import {
  assertPaidBeforeConfirm,
  decidePayment,
  ON_DELIVERY,
  type PayableOrder,
  paymentStateOnCancel,
} from './payment.js';

const order = (
  over: Partial<PayableOrder['payment']> = {},
  status: PayableOrder['status'] = 'pending',
): PayableOrder => ({
  status,
  currency: 'KES',
  totalMinor: 116_000n,
  payment: { ...ON_DELIVERY, state: 'requires_payment', provider: 'stripe', reference: 'pi_1', ...over },
});
const update = (over: Partial<Parameters<typeof decidePayment>[1]> = {}) => ({
  reference: 'pi_1',
  orderId: 'o1',
  outcome: 'succeeded' as const,
  amountMinor: 116_000n,
  currency: 'KES',
  failureReason: '',
  ...over,
});

describe('decidePayment', () => {
  it('confirms a pending order paid in full, also after a failed attempt', () => {
    expect(decidePayment(order(), update())).toEqual({ kind: 'confirm', amountMinor: 116_000n });
    expect(decidePayment(order({ state: 'failed' }), update())).toEqual({ kind: 'confirm', amountMinor: 116_000n });
  });

  it('refuses a success for another amount or currency', () => {
    expect(decidePayment(order(), update({ amountMinor: 1n })).kind).toBe('mismatch');
    expect(decidePayment(order(), update({ currency: 'USD' })).kind).toBe('mismatch');
  });

  it('ignores the same success twice, and updates about another payment', () => {
    expect(decidePayment(order({ state: 'paid' }, 'confirmed'), update()).kind).toBe('ignore');
    expect(decidePayment(order(), update({ reference: 'pi_other' })).kind).toBe('ignore');
  });

  it('records a failure with the reason, once per reason', () => {
    const failed = update({ outcome: 'failed', failureReason: 'Your card was declined.' });
    expect(decidePayment(order(), failed)).toEqual({ kind: 'record_failure', reason: 'Your card was declined.' });
    expect(decidePayment(order({ state: 'failed', failureReason: 'Your card was declined.' }), failed).kind).toBe(
      'ignore',
    );
    expect(decidePayment(order({ state: 'paid' }, 'confirmed'), failed).kind).toBe('ignore');
  });

  it('refunds a payment that arrives after the order was cancelled unpaid', () => {
    expect(decidePayment(order({ state: 'canceled' }, 'cancelled'), update())).toEqual({
      kind: 'refund_late_payment',
      amountMinor: 116_000n,
    });
  });
});

describe('payment on cancel and confirm', () => {
  it('refunds a paid order and calls off an unpaid one', () => {
    expect(paymentStateOnCancel('paid')).toBe('refund_pending');
    expect(paymentStateOnCancel('requires_payment')).toBe('canceled');
    expect(paymentStateOnCancel('failed')).toBe('canceled');
    expect(paymentStateOnCancel('on_delivery')).toBe('on_delivery');
  });

  it('never lets an admin confirm a card order before its payment', () => {
    expect(() => assertPaidBeforeConfirm('requires_payment', 'confirmed')).toThrow(/not been received/);
    expect(() => assertPaidBeforeConfirm('on_delivery', 'confirmed')).not.toThrow();
    expect(() => assertPaidBeforeConfirm('requires_payment', 'cancelled')).not.toThrow();
  });
});
