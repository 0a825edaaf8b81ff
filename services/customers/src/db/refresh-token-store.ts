import { type Database, toDate } from '@ordersystem/platform';
import type { Clock, RefreshTokenStore, RotateResult } from '../app/ports.js';

interface TokenRow {
  family_id: string;
  customer_id: string;
  expires_at: Date | string;
  used_at: Date | string | null;
  revoked_at: Date | string | null;
}

/** Refresh tokens (hashes only) in PostgreSQL. */
export function createRefreshTokenStore(db: Database, clock: Clock): RefreshTokenStore {
  return {
    async insert(token) {
      await db.query(
        'insert into refresh_tokens (token_hash, family_id, customer_id, expires_at) values ($1, $2, $3, $4)',
        [token.hash, token.familyId, token.customerId, token.expiresAt],
      );
    },

    rotate(hash, next): Promise<RotateResult> {
      // The row lock serialises concurrent use of one token: the second caller sees used_at set
      // and is treated as a reuse. The family revocation commits even though the call fails.
      return db.transaction(async (tx) => {
        const [row] = await tx.query<TokenRow>(
          'select family_id, customer_id, expires_at, used_at, revoked_at from refresh_tokens where token_hash = $1 for update',
          [hash],
        );
        if (!row) return { outcome: 'unknown' };
        if (row.revoked_at) return { outcome: 'revoked' };
        const now = clock();
        if (row.used_at) {
          await tx.query('update refresh_tokens set revoked_at = $2 where family_id = $1 and revoked_at is null', [
            row.family_id,
            now,
          ]);
          return { outcome: 'reused' };
        }
        if (toDate(row.expires_at) <= now) return { outcome: 'expired' };
        await tx.query('update refresh_tokens set used_at = $2 where token_hash = $1', [hash, now]);
        const token = next(row.family_id, row.customer_id);
        await tx.query(
          'insert into refresh_tokens (token_hash, family_id, customer_id, expires_at) values ($1, $2, $3, $4)',
          [token.hash, token.familyId, token.customerId, token.expiresAt],
        );
        return { outcome: 'rotated', customerId: row.customer_id, familyId: row.family_id };
      });
    },

    async revokeFamilyOf(hash) {
      await db.query(
        `update refresh_tokens set revoked_at = $2
          where family_id = (select family_id from refresh_tokens where token_hash = $1) and revoked_at is null`,
        [hash, clock()],
      );
    },
  };
}
