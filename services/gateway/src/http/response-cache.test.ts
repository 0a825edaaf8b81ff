import { ResponseCache } from './response-cache';

const answer = (text: string) => ({
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(text),
  etag: `"${text}"`,
});

describe('response cache', () => {
  it('serves an answer until its max-age and not after', () => {
    let now = 1_000;
    const cache = new ResponseCache({ maxEntries: 10, maxEntryBytes: 1_000, maxTtlMs: 60_000, now: () => now });
    cache.set('k', 30, answer('a'));
    now += 29_999;
    expect(cache.get('k')?.body.toString()).toBe('a');
    now += 1;
    expect(cache.get('k')).toBeUndefined();
  });

  it('never keeps an answer longer than maxTtlMs, nor one with max-age 0', () => {
    let now = 0;
    const cache = new ResponseCache({ maxEntries: 10, maxEntryBytes: 1_000, maxTtlMs: 5_000, now: () => now });
    cache.set('long', 60, answer('a'));
    cache.set('zero', 0, answer('b'));
    expect(cache.get('zero')).toBeUndefined();
    now = 5_000;
    expect(cache.get('long')).toBeUndefined();
  });

  it('is bounded by entries (least recently used goes first) and by entry size', () => {
    const cache = new ResponseCache({ maxEntries: 2, maxEntryBytes: 3, maxTtlMs: 60_000 });
    cache.set('a', 60, answer('a'));
    cache.set('b', 60, answer('b'));
    cache.get('a');
    cache.set('c', 60, answer('c'));
    expect([cache.get('a'), cache.get('b'), cache.get('c')].map((x) => x?.body.toString())).toEqual([
      'a',
      undefined,
      'c',
    ]);
    cache.set('big', 60, answer('four'));
    expect(cache.get('big')).toBeUndefined();
    expect(cache.size).toBeLessThanOrEqual(2);
  });

  it('keeps nothing when turned off', () => {
    const cache = new ResponseCache({ maxEntries: 0, maxEntryBytes: 1_000, maxTtlMs: 60_000 });
    cache.set('a', 60, answer('a'));
    expect(cache.enabled).toBe(false);
    expect(cache.get('a')).toBeUndefined();
  });
});
