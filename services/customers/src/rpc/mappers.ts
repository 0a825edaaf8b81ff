import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  type Customer as CustomerMessage,
  CustomerSchema,
  Role as RoleMessage,
} from '@ordersystem/contracts/ordersystem/customers/v1/customers';
import {
  type TokenPair as TokenPairMessage,
  TokenPairSchema,
} from '@ordersystem/contracts/ordersystem/customers/v1/identity';
import { invalidField } from '@ordersystem/platform';
import type { TokenPair } from '../app/sessions.js';
import type { Customer, Role } from '../domain/customer.js';

const toRoleMessage: Record<Role, RoleMessage> = { customer: RoleMessage.CUSTOMER, admin: RoleMessage.ADMIN };

export function toCustomerMessage(customer: Customer): CustomerMessage {
  return create(CustomerSchema, {
    id: customer.id,
    email: customer.email,
    name: customer.name,
    phoneNumber: customer.phoneNumber,
    roles: customer.roles.map((role) => toRoleMessage[role]),
    createdAt: timestampFromDate(customer.createdAt),
    updatedAt: timestampFromDate(customer.updatedAt),
  });
}

/** Wire roles to domain roles; ROLE_UNSPECIFIED or an unknown number names the offending index. */
export function fromRoleMessages(roles: readonly RoleMessage[]): Role[] {
  return roles.map((role, i) => {
    if (role === RoleMessage.CUSTOMER) return 'customer';
    if (role === RoleMessage.ADMIN) return 'admin';
    throw invalidField(`roles[${i}]`, 'must be ROLE_CUSTOMER or ROLE_ADMIN');
  });
}

export function toTokenPairMessage(pair: TokenPair): TokenPairMessage {
  return create(TokenPairSchema, {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    tokenType: 'Bearer',
    expiresInSeconds: pair.expiresInSeconds,
    refreshExpiresInSeconds: pair.refreshExpiresInSeconds,
  });
}
