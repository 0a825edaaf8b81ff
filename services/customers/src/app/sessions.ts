import { randomUUID } from 'node:crypto';
import { unauthenticated } from '@ordersystem/platform/errors';
import type { Customer } from '../domain/customer.js';
import { hashRefreshToken, newRefreshToken } from './refresh-token.js';
import type { AccessTokenSigner, Clock, CustomerRepository, NewRefreshToken, RefreshTokenStore } from './ports.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  refreshExpiresInSeconds: number;
}

export interface SessionDeps {
  customers: CustomerRepository;
  refreshTokens: RefreshTokenStore;
  signer: AccessTokenSigner;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  clock: Clock;
}

/** Issues, rotates and revokes token pairs. Refresh tokens live in families: one per login. */
export function createSessions(deps: SessionDeps) {
  const mint = (familyId: string, customerId: string): { token: string; row: NewRefreshToken } => {
    const token = newRefreshToken();
    const expiresAt = new Date(deps.clock().getTime() + deps.refreshTtlSeconds * 1000);
    return { token, row: { hash: hashRefreshToken(token), familyId, customerId, expiresAt } };
  };

  const pairFor = async (customer: Customer, refreshToken: string): Promise<TokenPair> => ({
    accessToken: await deps.signer.sign({ sub: customer.id, email: customer.email, roles: customer.roles }),
    refreshToken,
    expiresInSeconds: deps.accessTtlSeconds,
    refreshExpiresInSeconds: deps.refreshTtlSeconds,
  });

  return {
    /** A new family for a fresh login. */
    async start(customer: Customer): Promise<TokenPair> {
      const { token, row } = mint(randomUUID(), customer.id);
      await deps.refreshTokens.insert(row);
      return pairFor(customer, token);
    },

    /**
     * Exchanges a refresh token for a new pair and invalidates it. Presenting a token that was
     * already exchanged revokes its whole family: either the client or a thief holds a stale copy,
     * and we cannot tell which, so both must log in again.
     */
    async refresh(refreshToken: string): Promise<TokenPair> {
      if (!refreshToken) throw unauthenticated('refresh token required');
      let issued: string | undefined;
      const result = await deps.refreshTokens.rotate(hashRefreshToken(refreshToken), (familyId, customerId) => {
        const next = mint(familyId, customerId);
        issued = next.token;
        return next.row;
      });
      if (result.outcome !== 'rotated' || !issued)
        throw unauthenticated('refresh token is invalid, expired or revoked');
      const customer = await deps.customers.findById(result.customerId);
      if (!customer) throw unauthenticated('refresh token is invalid, expired or revoked');
      return pairFor(customer, issued);
    },

    /** Revokes the family of the token; unknown or already revoked tokens succeed silently. */
    async logout(refreshToken: string): Promise<void> {
      if (refreshToken) await deps.refreshTokens.revokeFamilyOf(hashRefreshToken(refreshToken));
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
