import { type DescMethod, getOption, hasOption } from '@bufbuild/protobuf';
import { Access, access } from '@ordersystem/contracts/ordersystem/auth/v1/policy';
import { isAdmin, parseIdentity } from '../auth/identity.js';
import { permissionDenied, unauthenticated } from '../errors/app-error.js';

/**
 * Throws `unauthenticated` (or `permission_denied`) when the method's
 * `(ordersystem.auth.v1.access)` level does not admit the caller named by the identity headers.
 * Methods without an access level (internal APIs) admit everyone.
 */
export function checkAccess(method: DescMethod, header: Headers): void {
  const level = hasOption(method, access) ? getOption(method, access) : Access.UNSPECIFIED;
  if (level !== Access.CUSTOMER && level !== Access.ADMIN) return;
  const identity = parseIdentity(header);
  if (!identity) throw unauthenticated();
  if (level === Access.ADMIN && !isAdmin(identity)) throw permissionDenied('admin role required');
}
