import { createLogin } from '../../src/app/login';
import { createProfiles } from '../../src/app/profiles';
import { createSessions } from '../../src/app/sessions';
import { redirectUriPolicy } from '../../src/clients/identity-provider';
import type { RouteDeps } from '../../src/routes';
import { createAccessTokenSigner } from '../../src/tokens/access-token';
import { createKeyRing, generateSigningJwk } from '../../src/tokens/signing-keys';
import { createMemoryCustomerRepository } from './customer-repository';
import { createFakeIdentityProvider } from './identity-provider';
import { createMemoryLoginAttemptStore } from './login-attempt-store';
import { createMemoryRefreshTokenStore } from './refresh-token-store';

export {
  createMemoryCustomerRepository,
  createFakeIdentityProvider,
  createMemoryLoginAttemptStore,
  createMemoryRefreshTokenStore,
};
export { FAKE_ISSUER } from './identity-provider';

export const REDIRECT_URI = 'http://127.0.0.1:8080/auth/callback';
export const TOKEN = {
  issuer: 'http://127.0.0.1:8080',
  audience: 'ordersystem',
  accessTtlSeconds: 900,
  refreshTtlSeconds: 3600,
};

/**
 * The customers use cases, built as main.ts builds them, over in-memory ports and a fake OpenID
 * provider; `clock` is mutable so tests can let tokens and login attempts expire.
 */
export async function memoryCustomers(options: { adminEmails?: string[]; phoneRegion?: string } = {}) {
  let now = new Date('2026-01-01T00:00:00Z');
  const clock = () => now;
  const customers = createMemoryCustomerRepository(clock);
  const idp = createFakeIdentityProvider();
  const signer = createAccessTokenSigner(await createKeyRing([await generateSigningJwk()]), {
    issuer: TOKEN.issuer,
    audience: TOKEN.audience,
    ttlSeconds: TOKEN.accessTtlSeconds,
    clock,
  });
  const sessions = createSessions({
    customers,
    refreshTokens: createMemoryRefreshTokenStore(clock),
    signer,
    clock,
    accessTtlSeconds: TOKEN.accessTtlSeconds,
    refreshTtlSeconds: TOKEN.refreshTtlSeconds,
  });
  const login = createLogin({
    provider: idp.provider,
    attempts: createMemoryLoginAttemptStore(clock),
    customers,
    sessions,
    clock,
    redirectUris: redirectUriPolicy([REDIRECT_URI], false),
    adminEmails: options.adminEmails ?? [],
    attemptTtlSeconds: 600,
  });
  const profiles = createProfiles({ customers, phoneRegion: options.phoneRegion ?? 'KE' });
  const deps: RouteDeps = { profiles, login, sessions, signer };
  return {
    deps,
    customers,
    idp,
    /** Moves the shared clock forward. */
    advance: (seconds: number) => void (now = new Date(now.getTime() + seconds * 1000)),
  };
}
