import type { ConnectRouter } from '@connectrpc/connect';
import { ContactService } from '@ordersystem/contracts/ordersystem/customers/v1/contacts';
import { CustomerService } from '@ordersystem/contracts/ordersystem/customers/v1/customers';
import { IdentityService } from '@ordersystem/contracts/ordersystem/customers/v1/identity';
import type { Login } from './app/login.js';
import type { AccessTokenSigner } from './app/ports.js';
import type { Profiles } from './app/profiles.js';
import type { Sessions } from './app/sessions.js';
import { contactService } from './rpc/contact-service.js';
import { customerService } from './rpc/customer-service.js';
import { identityService } from './rpc/identity-service.js';

export interface RouteDeps {
  profiles: Profiles;
  login: Login;
  sessions: Sessions;
  signer: AccessTokenSigner;
}

/** The customers service's RPC surface; health is added by the platform server. */
export function routes(deps: RouteDeps) {
  return (router: ConnectRouter): void => {
    router.service(CustomerService, customerService(deps.profiles));
    router.service(ContactService, contactService(deps.profiles));
    router.service(IdentityService, identityService(deps));
  };
}
