import { type Sql, toDate } from '@ordersystem/platform';
import type { Clock, LoginAttempt, LoginAttemptStore } from '../app/ports.js';

interface AttemptRow {
  state: string;
  nonce: string;
  code_verifier: string;
  redirect_uri: string;
  expires_at: Date | string;
}

/** Login attempts in PostgreSQL; consuming one is a DELETE … RETURNING, so two callbacks can never both win. */
export function createLoginAttemptStore(db: Sql, clock: Clock): LoginAttemptStore {
  return {
    async save(attempt: LoginAttempt) {
      // Expired attempts are swept opportunistically; abandoned logins never pile up.
      await db.query('delete from login_attempts where expires_at < $1', [clock()]);
      await db.query(
        'insert into login_attempts (state, nonce, code_verifier, redirect_uri, expires_at) values ($1, $2, $3, $4, $5)',
        [attempt.state, attempt.nonce, attempt.codeVerifier, attempt.redirectUri, attempt.expiresAt],
      );
    },

    async consume(state: string) {
      const [row] = await db.query<AttemptRow>('delete from login_attempts where state = $1 returning *', [state]);
      if (!row || toDate(row.expires_at) <= clock()) return undefined;
      return {
        state: row.state,
        nonce: row.nonce,
        codeVerifier: row.code_verifier,
        redirectUri: row.redirect_uri,
        expiresAt: toDate(row.expires_at),
      };
    },
  };
}
