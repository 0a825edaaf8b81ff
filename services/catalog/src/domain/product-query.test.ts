import type { AppError } from '@ordersystem/platform/errors';
import { decodeCursor, encodeCursor, parseProductQuery } from './product-query';

const base = {
  includeDescendants: false,
  inStockOnly: false,
  text: '',
  sort: 'default' as const,
  pageSize: 0,
  pageToken: '',
};
const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as AppError).violations.map((v) => v.field);
  }
  return [];
};

describe('product query', () => {
  it('round-trips a cursor through its opaque token', () => {
    const cursor = {
      sort: 'price_asc' as const,
      key: '1999',
      id: '0b7c1f7e-8a43-4e55-9d4a-0d6d1ab0b0a1',
      filters: 'f1',
    };
    const token = encodeCursor(cursor);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(token, 'price_asc', 'f1')).toEqual(cursor);
  });

  it.each([
    'garbage',
    encodeCursor({ sort: 'name', key: 'a', id: 'not-a-uuid', filters: 'f' }),
    Buffer.from('[1]').toString('base64url'),
  ])('rejects the malformed token %s on page_token', (token) => {
    expect(fieldOf(() => decodeCursor(token, 'name', 'f'))).toEqual(['page_token']);
  });

  it('rejects a cursor minted for another sort, other filters, or with a non-numeric price key', () => {
    const id = '0b7c1f7e-8a43-4e55-9d4a-0d6d1ab0b0a1';
    expect(
      fieldOf(() => decodeCursor(encodeCursor({ sort: 'name', key: 'a', id, filters: 'f' }), 'newest', 'f')),
    ).toEqual(['page_token']);
    expect(
      fieldOf(() => decodeCursor(encodeCursor({ sort: 'name', key: 'a', id, filters: 'f' }), 'name', 'g')),
    ).toEqual(['page_token']);
    expect(
      fieldOf(() =>
        decodeCursor(encodeCursor({ sort: 'price_asc', key: '1; drop', id, filters: 'f' }), 'price_asc', 'f'),
      ),
    ).toEqual(['page_token']);
  });

  it('fingerprints the filters, not the page size', () => {
    const a = parseProductQuery({ ...base, text: 'kettle', pageSize: 5 });
    expect(parseProductQuery({ ...base, text: 'kettle', pageSize: 50 }).fingerprint).toBe(a.fingerprint);
    expect(parseProductQuery({ ...base, text: 'mug', pageSize: 5 }).fingerprint).not.toBe(a.fingerprint);
  });

  it('defaults the page size to 20, caps it at 100 and picks relevance only with a query', () => {
    expect(parseProductQuery(base)).toMatchObject({ pageSize: 20, sort: 'name' });
    expect(parseProductQuery({ ...base, text: ' kettle ' })).toMatchObject({ sort: 'relevance', text: 'kettle' });
    expect(fieldOf(() => parseProductQuery({ ...base, pageSize: 101 }))).toEqual(['page_size']);
  });

  it('accepts known field mask paths and names unknown ones', () => {
    expect(parseProductQuery({ ...base, fieldMask: ['id', 'price'] }).fields).toEqual(new Set(['id', 'price']));
    expect(fieldOf(() => parseProductQuery({ ...base, fieldMask: ['id', 'cost'] }))).toEqual(['field_mask']);
  });
});
