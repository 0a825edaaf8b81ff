import type { Logger } from '@ordersystem/platform';
import { unavailable } from '@ordersystem/platform/errors';
import type { IdentityProvider } from '../app/ports.js';
import type { CustomersConfig } from '../config.js';
import { createOpenIdClient } from './openid-client.js';

export interface RedirectUris {
  default: string;
  isAllowed(uri: string): boolean;
}

/**
 * The OpenID provider at OIDC_ISSUER_URL. In development that is the local provider of
 * packages/dev-sinks (`scripts/dev up` starts it on 127.0.0.1:9400); this service never runs one
 * itself. Outside production an unset issuer only disables login (`unavailable`), so the profile
 * RPCs still serve; config.ts refuses production without an issuer.
 */
export function setUpIdentityProvider(
  config: CustomersConfig,
  logger: Logger,
): { provider: IdentityProvider; redirectUris: RedirectUris } {
  const issuerUrl = config.OIDC_ISSUER_URL;
  if (!issuerUrl) {
    logger.warn(
      'no OIDC_ISSUER_URL: login answers unavailable (scripts/dev points it at the dev-sinks OpenID provider)',
    );
    return { provider: unconfiguredProvider, redirectUris: redirectUriPolicy(config.OIDC_REDIRECT_URI, false) };
  }
  const development = config.NODE_ENV !== 'production';
  const provider = createOpenIdClient({
    issuerUrl,
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    scopes: config.OIDC_SCOPES,
    timeoutMs: config.OIDC_TIMEOUT_MS,
    allowInsecureRequests: development,
    logger,
  });
  return { provider, redirectUris: redirectUriPolicy(config.OIDC_REDIRECT_URI, development && isLoopback(issuerUrl)) };
}

const unconfiguredProvider: IdentityProvider = {
  authorizationUrl: () => Promise.reject(unavailable('no identity provider is configured (OIDC_ISSUER_URL)')),
  exchange: () => Promise.reject(unavailable('no identity provider is configured (OIDC_ISSUER_URL)')),
};

const LOOPBACK_HOSTS = ['127.0.0.1', '[::1]', 'localhost'];
const isLoopback = (uri: string) => LOOPBACK_HOSTS.includes(new URL(uri).hostname);

/**
 * Exact match against the configured list; with a local provider (an issuer on loopback, outside
 * production), a loopback URI also matches on any port (RFC 8252 §7.3, mirrored by the dev
 * provider's native client), so tests can run a gateway anywhere.
 */
export function redirectUriPolicy(allowed: readonly string[], loopbackAnyPort: boolean): RedirectUris {
  const withoutPort = (uri: string) => {
    try {
      const url = new URL(uri);
      if (url.protocol !== 'http:' || !['127.0.0.1', '[::1]'].includes(url.hostname)) return undefined;
      url.port = '';
      return url.toString();
    } catch {
      return undefined;
    }
  };
  return {
    default: allowed[0]!,
    isAllowed: (uri) =>
      allowed.includes(uri) ||
      (loopbackAnyPort && withoutPort(uri) !== undefined && allowed.some((a) => withoutPort(a) === withoutPort(uri))),
  };
}
