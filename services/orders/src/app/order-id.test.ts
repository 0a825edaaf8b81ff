import { orderIdFor, uuidV5 } from './order-id.js';

describe('deterministic order ids', () => {
  it('implements RFC 9562 UUIDv5 (DNS namespace test vector)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('gives the same id for the same customer and key, different ids otherwise', () => {
    const a = orderIdFor('c1', 'k1');
    expect(orderIdFor('c1', 'k1')).toBe(a);
    expect(orderIdFor('c2', 'k1')).not.toBe(a);
    expect(orderIdFor('c1', 'k2')).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
