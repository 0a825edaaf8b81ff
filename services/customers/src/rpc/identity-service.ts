import type { ServiceImpl } from '@connectrpc/connect';
import type { IdentityService } from '@ordersystem/contracts/ordersystem/customers/v1/identity';
import type { Login } from '../app/login.js';
import type { AccessTokenSigner } from '../app/ports.js';
import type { Sessions } from '../app/sessions.js';
import { toTokenPairMessage } from './mappers.js';

/** Internal: the gateway's /auth/* endpoints call this. Request and response bodies carry secrets and are never logged. */
export function identityService(deps: {
  login: Login;
  sessions: Sessions;
  signer: AccessTokenSigner;
}): ServiceImpl<typeof IdentityService> {
  return {
    async beginLogin(req) {
      return deps.login.begin(req.redirectUri);
    },
    async completeLogin(req) {
      return { tokens: toTokenPairMessage(await deps.login.complete(req.callbackUrl, req.state)) };
    },
    async refreshTokens(req) {
      return { tokens: toTokenPairMessage(await deps.sessions.refresh(req.refreshToken)) };
    },
    async logout(req) {
      await deps.sessions.logout(req.refreshToken);
      return {};
    },
    async getJwks() {
      return { jwksJson: JSON.stringify(deps.signer.publicJwks()) };
    },
  };
}
