import type { Clock, NewRefreshToken, RefreshTokenStore, RotateResult } from '../../src/app/ports';

interface StoredToken extends NewRefreshToken {
  usedAt?: Date;
  revokedAt?: Date;
}

/** Refresh-token families in memory, with the PostgreSQL store's rotation rules (reuse revokes the family). */
export function createMemoryRefreshTokenStore(clock: Clock = () => new Date()): RefreshTokenStore {
  const tokens = new Map<string, StoredToken>();
  const key = (hash: Buffer) => hash.toString('hex');
  const revokeFamily = (familyId: string) => {
    for (const token of tokens.values()) if (token.familyId === familyId) token.revokedAt ??= clock();
  };
  return {
    async insert(token) {
      tokens.set(key(token.hash), { ...token });
    },
    async rotate(hash, next): Promise<RotateResult> {
      const token = tokens.get(key(hash));
      if (!token) return { outcome: 'unknown' };
      if (token.revokedAt) return { outcome: 'revoked' };
      if (token.usedAt) {
        revokeFamily(token.familyId);
        return { outcome: 'reused' };
      }
      if (token.expiresAt <= clock()) return { outcome: 'expired' };
      token.usedAt = clock();
      const successor = next(token.familyId, token.customerId);
      tokens.set(key(successor.hash), { ...successor });
      return { outcome: 'rotated', customerId: token.customerId, familyId: token.familyId };
    },
    async revokeFamilyOf(hash) {
      const token = tokens.get(key(hash));
      if (token) revokeFamily(token.familyId);
    },
  };
}
