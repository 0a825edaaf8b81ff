import type { OutgoingHttpHeaders } from 'node:http';

/** One stored answer: what Connect wrote for a public GET, with the ETag computed once. */
export interface CachedResponse {
  headers: OutgoingHttpHeaders;
  body: Buffer;
  etag: string;
  expiresAt: number;
}

export interface ResponseCacheOptions {
  /** Most answers kept at once (0 turns the cache off). */
  maxEntries: number;
  /** Larger answers are not kept, so a few big pages cannot take the memory. */
  maxEntryBytes: number;
  /** Upper bound on how long an answer is reused, below each method's max-age. */
  maxTtlMs: number;
  now?: () => number;
}

/**
 * A bounded in-process cache of public, cacheable GET answers (the micro-cache in front of
 * Connect): a hit costs no upstream call, no JSON↔protobuf work and no hashing. An entry lives
 * for the method's max-age at most (and at most `maxTtlMs`), so nothing is served longer than a
 * browser or CDN may keep it anyway. Insertion order is the eviction order (a Map keeps it); a hit
 * re-inserts its key, which makes that least-recently-used.
 */
export class ResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  private readonly now: () => number;

  constructor(private readonly o: ResponseCacheOptions) {
    this.now = o.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.o.maxEntries > 0;
  }

  get(key: string): CachedResponse | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    if (hit.expiresAt <= this.now()) return undefined;
    this.entries.set(key, hit);
    return hit;
  }

  set(key: string, maxAgeSeconds: number, entry: Omit<CachedResponse, 'expiresAt'>): void {
    const ttl = Math.min(maxAgeSeconds * 1000, this.o.maxTtlMs);
    if (!this.enabled || ttl <= 0 || entry.body.length > this.o.maxEntryBytes) return;
    this.entries.delete(key);
    this.entries.set(key, { ...entry, expiresAt: this.now() + ttl });
    while (this.entries.size > this.o.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
