import { samePayload, sumLines, validateReserveRequest } from './reservation';

const A = 'aaaaaaaa-0000-4000-8000-000000000000';
const B = 'bbbbbbbb-0000-4000-8000-000000000000';

describe('reservation lines', () => {
  it('sums duplicate products, keeps the first index and sorts by product id', () => {
    expect(
      sumLines([
        { productId: B, quantity: 1n },
        { productId: A, quantity: 2n },
        { productId: B, quantity: 3n },
      ]),
    ).toEqual([
      { productId: A, quantity: 2n, index: 1 },
      { productId: B, quantity: 4n, index: 0 },
    ]);
  });

  it('recognises a retry of the same summed payload', () => {
    const lines = sumLines([{ productId: A, quantity: 2n }]);
    const item = { productId: A, sku: 's', name: 'n', unitPriceMinor: 1n, currencyCode: 'KES', taxClass: 'standard' };
    expect(samePayload([{ ...item, quantity: 2n }], lines)).toBe(true);
    expect(samePayload([{ ...item, quantity: 3n }], lines)).toBe(false);
  });

  it('names every bad field', () => {
    expect(() => validateReserveRequest('x', [{ productId: 'y', quantity: 0n }])).toThrow(
      /order_id.*lines\[0\]\.product_id.*lines\[0\]\.quantity/,
    );
  });
});
