import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

export interface JwksCacheOptions {
  /** Fetches the current key set (customers' IdentityService.GetJwks). */
  fetch: () => Promise<JSONWebKeySet>;
  ttlMs: number;
  /** Minimum gap between refetches caused by an unknown `kid`. */
  refetchMinMs: number;
  /** Told about every failed fetch (the keys are then stale or missing), so it is logged, not swallowed. */
  onRefreshError: (err: unknown) => void;
  now?: () => number;
}

/**
 * The signing keys of the customers service, cached for `ttlMs`. A token whose `kid` is not in
 * the cache triggers one refetch (key rotation), but at most once per `refetchMinMs`, so a stream
 * of forged kids cannot turn the gateway into a load generator against customers. When a routine
 * refresh fails, the stale keys stay in use: an outage of customers must not log everyone out.
 */
export class JwksCache {
  private keys?: { resolve: JWTVerifyGetKey; fetchedAt: number };
  private lastFetchAt = Number.NEGATIVE_INFINITY;
  private inflight?: Promise<JWTVerifyGetKey>;
  private readonly now: () => number;

  constructor(private readonly options: JwksCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The key resolver to hand to jose's jwtVerify. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const resolve = await this.current();
    try {
      return await resolve(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey) || this.now() - this.lastFetchAt < this.options.refetchMinMs)
        throw err;
      return (await this.refresh())(header, token);
    }
  };

  private async current(): Promise<JWTVerifyGetKey> {
    if (!this.keys) return this.refresh();
    if (this.now() - this.keys.fetchedAt < this.options.ttlMs) return this.keys.resolve;
    // The failure is reported by refresh(); the stale keys stay in use meanwhile.
    return this.refresh().catch(() => this.keys!.resolve);
  }

  private refresh(): Promise<JWTVerifyGetKey> {
    this.inflight ??= (async () => {
      this.lastFetchAt = this.now();
      try {
        const resolve = createLocalJWKSet(await this.options.fetch());
        this.keys = { resolve, fetchedAt: this.now() };
        return resolve;
      } catch (err) {
        this.options.onRefreshError(err);
        throw err;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }
}
