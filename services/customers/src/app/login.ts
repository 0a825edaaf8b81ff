import { randomBytes, randomUUID } from 'node:crypto';
import { failedPrecondition, invalidField } from '@ordersystem/platform/errors';
import { isConfiguredAdmin, nameFromProvider } from '../domain/customer.js';
import { pkceChallenge } from './pkce.js';
import type { Clock, CustomerRepository, IdentityProvider, LoginAttemptStore } from './ports.js';
import type { Sessions, TokenPair } from './sessions.js';

export interface LoginDeps {
  provider: IdentityProvider;
  attempts: LoginAttemptStore;
  customers: CustomerRepository;
  sessions: Sessions;
  /** Decides whether a redirect URI may be used; the first allowed one is the default. */
  redirectUris: { default: string; isAllowed(uri: string): boolean };
  adminEmails: readonly string[];
  attemptTtlSeconds: number;
  clock: Clock;
}

const random = () => randomBytes(32).toString('base64url');

/** The login use cases: start an authorization-code + PKCE flow, then finish it and issue tokens. */
export function createLogin(deps: LoginDeps) {
  return {
    /** Stores state, nonce and PKCE verifier server-side and returns where to send the browser. */
    async begin(redirectUri?: string): Promise<{ authorizationUrl: string; state: string }> {
      const uri = redirectUri || deps.redirectUris.default;
      if (!deps.redirectUris.isAllowed(uri)) throw invalidField('redirect_uri', 'is not an allowed redirect URI');
      const attempt = {
        state: random(),
        nonce: random(),
        codeVerifier: random(),
        redirectUri: uri,
        expiresAt: new Date(deps.clock().getTime() + deps.attemptTtlSeconds * 1000),
      };
      // Ask the provider first: if it is unreachable, no orphan attempt is stored.
      const authorizationUrl = await deps.provider.authorizationUrl({
        redirectUri: uri,
        state: attempt.state,
        nonce: attempt.nonce,
        codeChallenge: await pkceChallenge(attempt.codeVerifier),
      });
      await deps.attempts.save(attempt);
      return { authorizationUrl, state: attempt.state };
    },

    /**
     * Consumes the attempt (single use), redeems the code, then creates or refreshes the customer
     * and starts a token family. A replayed, unknown or expired state never reaches the provider.
     */
    async complete(callbackUrl: string, state: string): Promise<TokenPair> {
      if (!state) throw invalidField('state', 'is required');
      let url: URL;
      try {
        url = new URL(callbackUrl);
      } catch {
        throw invalidField('callback_url', 'is not an absolute URL');
      }
      const attempt = await deps.attempts.consume(state);
      if (!attempt) throw failedPrecondition('login attempt is unknown, expired or already used; start again', 'state');
      const identity = await deps.provider.exchange(url, attempt);
      const customer = await deps.customers.upsertFromLogin(
        { ...identity, name: nameFromProvider(identity) },
        randomUUID(),
        isConfiguredAdmin(identity, deps.adminEmails),
      );
      return deps.sessions.start(customer);
    },
  };
}

export type Login = ReturnType<typeof createLogin>;
