import { formatOrderNumber, parseOrderNumber, priceItems, type PricedItem } from './order.js';
import { DEFAULT_TAX_TABLE } from './tax-table.js';

const item = (over: Partial<PricedItem> = {}): PricedItem => ({
  productId: '00000000-0000-4000-8000-000000000001',
  sku: 'SKU-1',
  name: 'Kettle',
  taxClass: 'standard',
  quantity: 1n,
  unitPriceMinor: 100n,
  currency: 'KES',
  ...over,
});

describe('pricing an order', () => {
  it('taxes each line at its class rate and sums exactly', () => {
    const priced = priceItems(
      [
        item({ unitPriceMinor: 333n, quantity: 3n }),
        item({ taxClass: 'reduced', unitPriceMinor: 1_234n }),
        item({ taxClass: 'zero', unitPriceMinor: 500n, quantity: 2n }),
      ],
      DEFAULT_TAX_TABLE,
      'KES',
    );
    expect(priced.lines.map((l) => [l.lineSubtotalMinor, l.lineTaxMinor, l.lineTotalMinor])).toEqual([
      [999n, 160n, 1_159n], // 159.84 → 160
      [1_234n, 99n, 1_333n], // 98.72 → 99
      [1_000n, 0n, 1_000n],
    ]);
    expect(priced.subtotalMinor).toBe(3_233n);
    expect(priced.taxMinor).toBe(259n);
    expect(priced.totalMinor).toBe(priced.subtotalMinor + priced.taxMinor);
  });

  it('rounds per line, not per order', () => {
    // Two lines of 0.5 tax each: per line 1 + 1 = 2 (per order it would be 1).
    const priced = priceItems([item({ unitPriceMinor: 2n }), item({ unitPriceMinor: 2n })], { standard: 2500 }, 'KES');
    expect(priced.taxMinor).toBe(2n);
  });

  it('refuses a tax class the table does not know, naming the line', () => {
    expect(() => priceItems([item(), item({ taxClass: 'luxury' })], DEFAULT_TAX_TABLE, 'KES')).toThrow(
      expect.objectContaining({
        kind: 'failed_precondition',
        violations: [expect.objectContaining({ field: 'lines[1].product_id' })],
      }),
    );
  });

  it('refuses a product priced in another currency', () => {
    expect(() => priceItems([item({ currency: 'EUR' })], DEFAULT_TAX_TABLE, 'KES')).toThrow(
      expect.objectContaining({ kind: 'failed_precondition' }),
    );
  });

  it('refuses figures PostgreSQL bigint cannot hold, naming the line (a line) or the lines (the sum)', () => {
    const dear = (over: Partial<PricedItem> = {}) =>
      item({ unitPriceMinor: 1_000_000_000_000_000n, quantity: 10_000n, ...over });
    expect(() => priceItems([item(), dear()], DEFAULT_TAX_TABLE, 'KES')).toThrow(
      expect.objectContaining({
        kind: 'invalid_argument',
        violations: [expect.objectContaining({ field: 'lines[1].quantity' })],
      }),
    );
    const half = item({ unitPriceMinor: 4_000_000_000_000_000_000n, taxClass: 'zero' });
    expect(() => priceItems([half, half, half], DEFAULT_TAX_TABLE, 'KES')).toThrow(
      expect.objectContaining({ kind: 'invalid_argument', violations: [expect.objectContaining({ field: 'lines' })] }),
    );
  });

  it('prices the largest order the limits allow (catalog price 10^11, 10,000 units, 1,000 lines, 100% tax)', () => {
    const lines = Array.from({ length: 1_000 }, () => item({ unitPriceMinor: 100_000_000_000n, quantity: 10_000n }));
    expect(priceItems(lines, { standard: 10_000 }, 'KES').totalMinor).toBe(2_000_000_000_000_000_000n);
  });

  it('formats order numbers with six digits and widens past a million', () => {
    expect(formatOrderNumber(1n)).toBe('ORD-000001');
    expect(formatOrderNumber('1234567')).toBe('ORD-1234567');
  });

  it('reads an order number back in any case, with or without leading zeros, and nothing else', () => {
    expect(parseOrderNumber('ORD-000042')).toBe('42');
    expect(parseOrderNumber(' ord-42 ')).toBe('42');
    expect(parseOrderNumber('1234567')).toBe('1234567');
    expect(parseOrderNumber('ORD-12a')).toBeUndefined();
    expect(parseOrderNumber('')).toBeUndefined();
  });
});
