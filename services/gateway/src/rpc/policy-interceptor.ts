import type { Interceptor } from '@connectrpc/connect';
import { Access } from '@ordersystem/contracts/ordersystem/auth/v1/policy';
import { isAdmin, permissionDenied, resourceExhausted, unauthenticated } from '@ordersystem/platform';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { Limiter } from '../limits/limiter.js';
import type { MethodPolicy } from '../policy/policy-table.js';
import { verifiedIdentityKey } from './context.js';

export interface PolicyDeps {
  table: ReadonlyMap<string, MethodPolicy>;
  /** Services routed on the public port that are not part of the API proper (gRPC health): public. */
  exempt: ReadonlySet<string>;
  verify: TokenVerifier;
  userLimiter: Limiter;
  onRateLimited: (scope: 'user') => void;
}

/**
 * The one place where the per-method access level is enforced, before anything reaches an
 * upstream. A presented token must be valid even on public methods (a client sending a broken
 * token learns so at once instead of silently browsing anonymously); a valid one is forwarded.
 * Authenticated callers are then charged to their own rate-limit budget.
 */
export function policyInterceptor(deps: PolicyDeps): Interceptor {
  return (next) => async (req) => {
    const policy = deps.table.get(`${req.service.typeName}/${req.method.name}`);
    if (!policy && !deps.exempt.has(req.service.typeName)) throw permissionDenied('method not exposed');
    const token = bearerToken(req.header.get('authorization'));
    const identity = token === undefined ? undefined : await deps.verify(token);
    const level = policy?.access ?? Access.PUBLIC;
    if (level !== Access.PUBLIC && !identity) throw unauthenticated();
    if (level === Access.ADMIN && !isAdmin(identity!)) throw permissionDenied('admin role required');
    if (identity) {
      const decision = await deps.userLimiter.consume(identity.customerId);
      if (!decision.allowed) {
        deps.onRateLimited('user');
        throw resourceExhausted('rate limit exceeded', decision.retryAfterSeconds);
      }
      req.contextValues.set(verifiedIdentityKey, identity);
    }
    return next(req);
  };
}

/** The token of an `Authorization: Bearer …` header; a malformed header counts as a bad token. */
export function bearerToken(header: string | null): string | undefined {
  if (header === null) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthenticated('invalid authorization header');
  return match[1];
}
