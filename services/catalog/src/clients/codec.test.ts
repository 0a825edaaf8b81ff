import { decode, encode } from './codec';

it('round-trips bigints and dates through the cache codec', () => {
  const value = {
    n: 12345678901234567890n,
    at: new Date('2026-01-02T03:04:05.678Z'),
    list: [{ m: -1n }],
    s: 'x',
    none: null,
  };
  expect(decode(encode(value))).toEqual(value);
});
