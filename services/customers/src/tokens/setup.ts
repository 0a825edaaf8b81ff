import type { Database } from '@ordersystem/platform';
import type { CustomersConfig } from '../config.js';
import { loadOrCreateDevSigningKeys } from '../db/signing-key-store.js';
import { type KeyRing, createKeyRing, generateSigningJwk, parseSigningKeys } from './signing-keys.js';

/** Keys from JWT_SIGNING_KEYS when set (required in production), else development keys kept in the database. */
export async function loadKeyRing(config: CustomersConfig, db: Database): Promise<KeyRing> {
  const jwks = config.JWT_SIGNING_KEYS
    ? parseSigningKeys(config.JWT_SIGNING_KEYS)
    : await loadOrCreateDevSigningKeys(db, generateSigningJwk);
  return createKeyRing(jwks);
}
