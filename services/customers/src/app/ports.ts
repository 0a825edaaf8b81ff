import type { Customer, ProviderIdentity, Role } from '../domain/customer.js';

/** Customers by id and by provider identity. */
export interface CustomerRepository {
  /**
   * Creates the customer on first login or refreshes email and name on later ones, atomically on
   * (issuer, subject): concurrent first logins yield one row. `grantAdmin` adds the admin role.
   */
  upsertFromLogin(identity: ProviderIdentity, id: string, grantAdmin: boolean): Promise<Customer>;
  findById(id: string): Promise<Customer | undefined>;
  updateProfile(id: string, changes: { name?: string; phoneNumber?: string }): Promise<Customer | undefined>;
  setRoles(id: string, roles: Role[]): Promise<Customer | undefined>;
  /** One page in creation order, strictly after `afterSeq`; `query` matches email or name, case-insensitively. */
  list(options: {
    query: string;
    limit: number;
    afterSeq?: string;
  }): Promise<Array<{ customer: Customer; seq: string }>>;
}

/** A login in progress: what the callback must match, kept server-side and used once. */
export interface LoginAttempt {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  expiresAt: Date;
}

export interface LoginAttemptStore {
  save(attempt: LoginAttempt): Promise<void>;
  /** Removes and returns the attempt if it exists and has not expired; single use by construction. */
  consume(state: string): Promise<LoginAttempt | undefined>;
}

export interface NewRefreshToken {
  hash: Buffer;
  familyId: string;
  customerId: string;
  expiresAt: Date;
}

export type RotateResult =
  | { outcome: 'rotated'; customerId: string; familyId: string }
  | { outcome: 'unknown' | 'expired' | 'revoked' }
  /** The token had been used already: its whole family was revoked (theft detection). */
  | { outcome: 'reused' };

export interface RefreshTokenStore {
  insert(token: NewRefreshToken): Promise<void>;
  /** Atomically marks `hash` used and stores `next` in the same family, or says why it cannot. */
  rotate(hash: Buffer, next: (familyId: string, customerId: string) => NewRefreshToken): Promise<RotateResult>;
  /** Revokes every token of the family `hash` belongs to; unknown hashes are ignored. */
  revokeFamilyOf(hash: Buffer): Promise<void>;
}

/** The OpenID provider, seen from the login use cases. */
export interface IdentityProvider {
  authorizationUrl(params: {
    redirectUri: string;
    state: string;
    nonce: string;
    codeChallenge: string;
  }): Promise<string>;
  /** Exchanges the code in `callbackUrl` (checking state, nonce and PKCE) and returns who logged in. */
  exchange(callbackUrl: URL, attempt: LoginAttempt): Promise<ProviderIdentity>;
}

export interface AccessTokenClaims {
  sub: string;
  email: string;
  roles: Role[];
}

export interface AccessTokenSigner {
  sign(claims: AccessTokenClaims): Promise<string>;
  /** The public JWK set that verifies what `sign` produces (all keys of the rotation). */
  publicJwks(): { keys: object[] };
}

export type Clock = () => Date;
