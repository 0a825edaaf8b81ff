import type { OrderEventView } from './order-event';
import { countSegments } from './sms-text';
import { renderNotifications } from './templates';

const eur = (amountMinor: bigint) => ({ currencyCode: 'EUR', amountMinor });

function anEvent(
  overrides: Partial<OrderEventView> = {},
  customer: Partial<OrderEventView['order']['customer']> = {},
): OrderEventView {
  return {
    eventId: 'e1',
    kind: 'confirmed',
    orderId: 'o1',
    reason: '',
    ...overrides,
    order: {
      number: 'ORD-000123',
      customer: { id: 'c1', name: 'Ada <script>', email: 'ada@example.com', phoneNumber: '+441234567890', ...customer },
      lines: [{ sku: 'SKU-1', name: 'Tea & "Biscuits"', quantity: 2n, unitPrice: eur(1050n), lineTotal: eur(2100n) }],
      subtotal: eur(2100n),
      tax: eur(420n),
      total: eur(123452n),
    },
  };
}

describe('renderNotifications', () => {
  it('sends the customer an SMS and every admin an email when an order is confirmed', () => {
    const drafts = renderNotifications(anEvent(), ['ops@example.com', 'Boss@Example.com', 'ops@example.com']);
    expect(drafts.map((d) => [d.channel, d.recipient])).toEqual([
      ['sms', '+441234567890'],
      ['email', 'ops@example.com'],
      ['email', 'boss@example.com'],
    ]);
    expect(drafts[0]!.text).toBe(
      'Your order ORD-000123 is confirmed. Total €1,234.52. We will text you when it ships.',
    );
  });

  it('writes the admin email with lines and totals, as text and escaped HTML', () => {
    const [, email] = renderNotifications(anEvent(), ['ops@example.com']);
    expect(email!.subject).toBe('Order ORD-000123 confirmed (€1,234.52)');
    expect(email!.text).toContain('2 x Tea & "Biscuits" (SKU-1) @ €10.50 = €21.00');
    expect(email!.text).toContain('Tax: €4.20');
    expect(email!.html).toContain('Ada &lt;script&gt;');
    expect(email!.html).toContain('Tea &amp; &quot;Biscuits&quot;');
    expect(email!.html).not.toContain('<script>');
  });

  it('sends only an SMS for shipped, delivered and cancelled', () => {
    for (const kind of ['shipped', 'delivered', 'cancelled'] as const) {
      const drafts = renderNotifications(anEvent({ kind }), ['ops@example.com']);
      expect(drafts.map((d) => d.channel)).toEqual(['sms']);
      expect(drafts[0]!.text).toContain('ORD-000123');
    }
  });

  it('sends nothing for a placed order', () => {
    expect(renderNotifications(anEvent({ kind: 'placed' }), ['ops@example.com'])).toEqual([]);
  });

  it('skips the SMS when the customer has no phone number', () => {
    expect(renderNotifications(anEvent({ kind: 'shipped' }, { phoneNumber: '' }), [])).toEqual([]);
  });

  it('tells the customer a cancelled card payment is refunded, before any long reason', () => {
    const refund = { currencyCode: 'KES', amountMinor: 116_000n };
    const [sms] = renderNotifications(
      anEvent({ kind: 'cancelled', refund, reason: 'changed my mind '.repeat(40) }),
      [],
    );
    expect(sms!.text).toContain('A refund of ');
    expect(sms!.text).toContain('1,160.00');
    const [plain] = renderNotifications(anEvent({ kind: 'cancelled' }), []);
    expect(plain!.text).not.toContain('refund');
  });

  it('keeps a long cancellation reason within two segments', () => {
    const [sms] = renderNotifications(anEvent({ kind: 'cancelled', reason: 'out of stock '.repeat(50) }), []);
    expect(countSegments(sms!.text)).toBeLessThanOrEqual(2);
    expect(sms!.text.endsWith('...')).toBe(true);
  });
});
