import { failedPrecondition } from '@ordersystem/platform/errors';
import type { IdentityProvider } from '../../src/app/ports';
import type { ProviderIdentity } from '../../src/domain/customer';

export const FAKE_ISSUER = 'https://idp.test';

/**
 * An OpenID provider stand-in: `signIn` plays the browser at the provider and returns the callback
 * URL the provider would redirect to. Codes are single use and bound to the state, as a real
 * provider checks them; anything else is refused like openid-client refuses it.
 */
export function createFakeIdentityProvider() {
  const codes = new Map<string, { state: string; identity: ProviderIdentity }>();
  let nextCode = 1;
  const provider: IdentityProvider = {
    async authorizationUrl({ redirectUri, state, nonce, codeChallenge }) {
      const url = new URL(`${FAKE_ISSUER}/authorize`);
      url.search = new URLSearchParams({
        redirect_uri: redirectUri,
        state,
        nonce,
        code_challenge: codeChallenge,
      }).toString();
      return url.toString();
    },
    async exchange(callbackUrl, attempt) {
      const code = callbackUrl.searchParams.get('code') ?? '';
      const issued = codes.get(code);
      codes.delete(code);
      if (!issued || issued.state !== attempt.state)
        throw failedPrecondition('login was not completed: invalid_grant', 'callback_url');
      return issued.identity;
    },
  };
  return {
    provider,
    signIn(authorizationUrl: string, person: { email: string; name?: string; emailVerified?: boolean }): string {
      const params = new URL(authorizationUrl).searchParams;
      const code = `code-${nextCode++}`;
      codes.set(code, {
        state: params.get('state')!,
        identity: {
          issuer: FAKE_ISSUER,
          subject: `sub-${person.email}`,
          email: person.email,
          emailVerified: person.emailVerified ?? true,
          name: person.name ?? '',
        },
      });
      const callback = new URL(params.get('redirect_uri')!);
      callback.search = new URLSearchParams({ code, state: params.get('state')! }).toString();
      return callback.toString();
    },
  };
}
