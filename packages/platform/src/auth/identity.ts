import { type Interceptor, createContextKey, type HandlerContext } from '@connectrpc/connect';
import { permissionDenied, unauthenticated } from '../errors/app-error.js';

/**
 * Who is calling, as established by the gateway from a verified JWT. The gateway strips any
 * client-supplied copy of these headers and sets them itself; inside the cluster only the gateway
 * and peer services can reach the RPC ports (NetworkPolicy), so services trust them.
 */
export interface Identity {
  customerId: string;
  email: string;
  roles: readonly Role[];
}

export type Role = 'customer' | 'admin';

export const IDENTITY_HEADERS = {
  customerId: 'x-ordersystem-customer-id',
  email: 'x-ordersystem-email',
  roles: 'x-ordersystem-roles',
} as const;

const identityKey = createContextKey<Identity | undefined>(undefined, { description: 'caller identity' });

/** Reads the identity headers into the handler context; absent headers mean an anonymous call. */
export function identityInterceptor(): Interceptor {
  return (next) => async (req) => {
    const identity = parseIdentity(req.header);
    if (identity) req.contextValues.set(identityKey, identity);
    return next(req);
  };
}

export function parseIdentity(headers: Headers): Identity | undefined {
  const customerId = headers.get(IDENTITY_HEADERS.customerId);
  if (!customerId) return undefined;
  const roles = (headers.get(IDENTITY_HEADERS.roles) ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter((r): r is Role => r === 'customer' || r === 'admin');
  return { customerId, email: headers.get(IDENTITY_HEADERS.email) ?? '', roles };
}

/** Writes an identity as headers (the gateway, and services calling on a user's behalf). */
export function identityHeaders(identity: Identity): Record<string, string> {
  return {
    [IDENTITY_HEADERS.customerId]: identity.customerId,
    [IDENTITY_HEADERS.email]: identity.email,
    [IDENTITY_HEADERS.roles]: identity.roles.join(','),
  };
}

/** The caller, or `unauthenticated` when the call carries no identity. */
export function requireIdentity(ctx: HandlerContext): Identity {
  const identity = ctx.values.get(identityKey);
  if (!identity) throw unauthenticated();
  return identity;
}

export function optionalIdentity(ctx: HandlerContext): Identity | undefined {
  return ctx.values.get(identityKey);
}

export const isAdmin = (identity: Identity): boolean => identity.roles.includes('admin');

/** The caller, who must be an admin (defence in depth behind the gateway's policy). */
export function requireAdmin(ctx: HandlerContext): Identity {
  const identity = requireIdentity(ctx);
  if (!isAdmin(identity)) throw permissionDenied('admin role required');
  return identity;
}
