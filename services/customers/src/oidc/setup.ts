import type { Lifecycle, Logger } from '@ordersystem/platform';
import type { IdentityProvider } from '../app/ports.js';
import type { CustomersConfig } from '../config.js';
import { startDevProvider } from '../dev-oidc/provider.js';
import { createOpenIdClient } from './openid-client.js';

export interface RedirectUris {
  default: string;
  isAllowed(uri: string): boolean;
}

/**
 * The configured OpenID provider, or, outside production with no OIDC_ISSUER_URL, a local one
 * started in this process (config.ts already refuses production without an issuer).
 */
export async function setUpIdentityProvider(
  config: CustomersConfig,
  logger: Logger,
  lifecycle: Lifecycle,
): Promise<{ provider: IdentityProvider; redirectUris: RedirectUris }> {
  let issuerUrl = config.OIDC_ISSUER_URL;
  const local = !issuerUrl;
  if (!issuerUrl) {
    const dev = await startDevProvider({
      port: config.OIDC_DEV_PORT,
      clientId: config.OIDC_CLIENT_ID,
      clientSecret: config.OIDC_CLIENT_SECRET,
      redirectUris: config.OIDC_REDIRECT_URI,
      logger,
    });
    lifecycle.onStop('dev-oidc-provider', dev.close);
    issuerUrl = dev.issuer;
    logger.info({ issuer: issuerUrl }, 'local development OpenID provider started (no OIDC_ISSUER_URL set)');
  }
  const provider = createOpenIdClient({
    issuerUrl,
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    scopes: config.OIDC_SCOPES,
    allowInsecureRequests: config.NODE_ENV !== 'production',
    logger,
  });
  return { provider, redirectUris: redirectUriPolicy(config.OIDC_REDIRECT_URI, local) };
}

/**
 * Exact match against the configured list; with the local provider, a loopback URI also matches
 * on any port (RFC 8252 §7.3, mirrored by the dev provider), so tests can run a gateway anywhere.
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
      allowed.includes(uri) || (loopbackAnyPort && withoutPort(uri) !== undefined && allowed.some((a) => withoutPort(a) === withoutPort(uri))),
  };
}
