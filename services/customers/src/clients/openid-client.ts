import { failedPrecondition, unavailable } from '@ordersystem/platform/errors';
import * as oidc from 'openid-client';
import type { Logger } from '@ordersystem/platform';
import type { ProviderIdentity } from '../domain/customer.js';
import type { IdentityProvider, LoginAttempt } from '../app/ports.js';

export interface OpenIdClientOptions {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  /** Each request to the provider (discovery, token, userinfo). */
  timeoutMs: number;
  /** Plain-http issuers (the local provider) are allowed only outside production. */
  allowInsecureRequests: boolean;
  logger: Logger;
}

/**
 * The IdentityProvider port over `openid-client`. Discovery starts at boot and is cached; a
 * failed discovery is retried on the next login instead of keeping the service from starting, so
 * a provider outage degrades login only (`unavailable`), never the profile RPCs.
 */
export function createOpenIdClient(options: OpenIdClientOptions): IdentityProvider {
  let configuration: Promise<oidc.Configuration> | undefined;
  const discover = (): Promise<oidc.Configuration> => {
    configuration ??= oidc
      .discovery(
        new URL(options.issuerUrl),
        options.clientId,
        undefined,
        oidc.ClientSecretBasic(options.clientSecret),
        {
          execute: options.allowInsecureRequests ? [oidc.allowInsecureRequests] : [],
          // Seconds; discovery passes it on to every later request of the configuration.
          timeout: options.timeoutMs / 1000,
        },
      )
      .catch((cause: unknown) => {
        configuration = undefined;
        options.logger.warn({ err: cause, issuer: options.issuerUrl }, 'OpenID discovery failed');
        throw unavailable('identity provider is unavailable', cause);
      });
    return configuration;
  };
  // Started at boot, in the background: the first login then finds the provider's metadata cached
  // instead of waiting for it (a cold fetch took seconds in a fresh compose stack, past the
  // gateway's deadline). A failure here is logged and the next login tries again.
  void discover().catch(() => undefined);

  return {
    async authorizationUrl({ redirectUri, state, nonce, codeChallenge }) {
      const config = await discover();
      return oidc
        .buildAuthorizationUrl(config, {
          redirect_uri: redirectUri,
          scope: options.scopes,
          response_type: 'code',
          code_challenge: codeChallenge,
          code_challenge_method: 'S256',
          state,
          nonce,
        })
        .toString();
    },

    async exchange(callbackUrl: URL, attempt: LoginAttempt): Promise<ProviderIdentity> {
      const config = await discover();
      try {
        const tokens = await oidc.authorizationCodeGrant(
          config,
          callbackUrl,
          {
            pkceCodeVerifier: attempt.codeVerifier,
            expectedState: attempt.state,
            expectedNonce: attempt.nonce,
            idTokenExpected: true,
          },
          // The redirect_uri must equal the one of the authorization request, whatever host the callback reached us through.
          { redirect_uri: attempt.redirectUri },
        );
        const claims = tokens.claims()!;
        let { email, name, email_verified: emailVerified } = claims as Record<string, unknown>;
        if (typeof email !== 'string' || name === undefined) {
          const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
          email = typeof email === 'string' ? email : info.email;
          name ??= info.name;
          emailVerified ??= info.email_verified;
        }
        if (typeof email !== 'string' || !email)
          throw failedPrecondition('the identity provider returned no email address');
        return {
          issuer: claims.iss,
          subject: claims.sub,
          email: email.toLowerCase(),
          emailVerified: emailVerified === true,
          name: typeof name === 'string' ? name : '',
        };
      } catch (err) {
        throw toLoginError(err, options.logger);
      }
    },
  };
}

/**
 * openid-client reports a request that timed out, was aborted or got a 5xx without an OAuth error
 * body as a ClientError too; those are the provider's trouble (retry later), not a bad callback.
 */
function providerTrouble(err: oidc.ClientError): boolean {
  if (err.code === 'OAUTH_TIMEOUT' || err.code === 'OAUTH_ABORT') return true;
  const status = (err.cause as { status?: unknown } | undefined)?.status;
  return err.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' && typeof status === 'number' && status >= 500;
}

/** Provider refusals (denied consent, bad or replayed code, state/nonce mismatch) are the caller's problem; network failures are ours. */
function toLoginError(err: unknown, logger: Logger): unknown {
  if (err instanceof Error && err.name === 'AppError') return err;
  if (err instanceof oidc.AuthorizationResponseError || err instanceof oidc.ResponseBodyError) {
    return failedPrecondition(`login was not completed: ${err.error}`, 'callback_url');
  }
  if (err instanceof oidc.ClientError) {
    if (providerTrouble(err)) return unavailable('identity provider is unavailable', err);
    logger.warn({ code: err.code, reason: err.message }, 'OpenID callback rejected');
    return failedPrecondition('login callback could not be verified', 'callback_url');
  }
  return unavailable('identity provider is unavailable', err);
}
