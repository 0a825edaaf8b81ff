import { createHash } from 'node:crypto';
import type { Identity } from '@ordersystem/platform';
import { decodeJwt } from 'jose';
import type { TokenVerifier } from './token-verifier.js';

export interface VerifiedTokenCacheOptions {
  /** Most tokens remembered at once (0 turns the cache off). */
  maxEntries: number;
  now?: () => number;
}

/**
 * Remembers tokens that passed verification until they expire, so ES256 runs once per token
 * instead of once per request. Keyed by the token's SHA-256 (the tokens themselves are not kept).
 * Only successes are kept: a bad token is checked, and refused, every time. A token stays accepted
 * until its own `exp` even if its signing key is rotated out meanwhile, which is what a stateless
 * access token already means to every other holder of the public key. Bounded: the oldest entry
 * goes first (a Map keeps insertion order).
 */
export function cacheVerifiedTokens(verify: TokenVerifier, o: VerifiedTokenCacheOptions): TokenVerifier {
  if (o.maxEntries <= 0) return verify;
  const now = o.now ?? Date.now;
  const known = new Map<string, { identity: Identity; expiresAt: number }>();
  return async (token) => {
    const key = createHash('sha256').update(token).digest('base64url');
    const hit = known.get(key);
    if (hit && hit.expiresAt > now()) return hit.identity;
    if (hit) known.delete(key);
    const identity = await verify(token);
    // Verified just now, so its claims are genuine; exp is required by the verifier.
    const expiresAt = Number(decodeJwt(token).exp) * 1000;
    if (expiresAt > now()) {
      known.set(key, { identity, expiresAt });
      if (known.size > o.maxEntries) known.delete(known.keys().next().value!);
    }
    return identity;
  };
}
