import type { JWK } from 'jose';
import type { Database } from '@ordersystem/platform';

/**
 * Development signing keys, kept in the database so a restart does not invalidate every issued
 * token. Production never comes here: its keys come from JWT_SIGNING_KEYS (a secret).
 * Returns the keys newest first (the newest signs), creating one when there is none.
 */
export async function loadOrCreateDevSigningKeys(db: Database, generate: () => Promise<JWK>): Promise<JWK[]> {
  return db.transaction(async (tx) => {
    // Two replicas starting together must not each create a key.
    await tx.query(`select pg_advisory_xact_lock(hashtext(current_schema() || '.signing_keys'))`);
    const rows = await tx.query<{ private_jwk: JWK }>(
      'select private_jwk from signing_keys order by created_at desc, kid',
    );
    if (rows.length > 0) return rows.map((row) => row.private_jwk);
    const jwk = await generate();
    await tx.query('insert into signing_keys (kid, private_jwk) values ($1, $2)', [jwk.kid, JSON.stringify(jwk)]);
    return [jwk];
  });
}
