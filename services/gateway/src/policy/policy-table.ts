import { getOption, hasOption, type DescMethod, type DescService } from '@bufbuild/protobuf';
import { MethodOptions_IdempotencyLevel as Idempotency } from '@bufbuild/protobuf/wkt';
import { Access, access, http_cache } from '@ordersystem/contracts/ordersystem/auth/v1/policy';

/** What the gateway enforces and advertises for one public method, read from its proto options. */
export interface MethodPolicy {
  method: DescMethod;
  access: Access.PUBLIC | Access.CUSTOMER | Access.ADMIN;
  /** Safe to retry on `unavailable` (NO_SIDE_EFFECTS or IDEMPOTENT). */
  retryable: boolean;
  /** Cache-Control for successful GETs; absent for methods that must not be cached. */
  cache?: { maxAgeSeconds: number; private: boolean };
}

/**
 * Internal-only services: peers call them, the gateway never routes them. Listing them here makes
 * that a checked policy rather than an omission: putting one in the public API stops the gateway at
 * start. PaymentEventService is reached only through POST /webhooks/stripe, after the signature check.
 */
export const INTERNAL_ONLY: ReadonlySet<string> = new Set([
  'ordersystem.orders.v1.PaymentEventService',
  'ordersystem.catalog.v1.InventoryService',
  'ordersystem.customers.v1.IdentityService',
  'ordersystem.customers.v1.ContactService',
]);

/** Thrown at start-up when the public API is not fully annotated; the gateway then refuses to start. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}

/**
 * Reads `(ordersystem.auth.v1.access)` and `(ordersystem.auth.v1.http_cache)` from every method of
 * the given services. The policy lives next to the API in the .proto, so there is no second list to
 * forget to update; a method without an access level (or with an unsupported streaming shape)
 * fails here, listing every offender, instead of being exposed with a guessed policy.
 */
export function buildPolicyTable(services: readonly DescService[]): Map<string, MethodPolicy> {
  const table = new Map<string, MethodPolicy>();
  const problems: string[] = [];
  for (const service of services) {
    if (INTERNAL_ONLY.has(service.typeName)) {
      problems.push(`${service.typeName}: internal only, never routed by the gateway`);
      continue;
    }
    for (const method of service.methods) {
      const name = `${service.typeName}/${method.name}`;
      const level = hasOption(method, access) ? getOption(method, access) : Access.UNSPECIFIED;
      if (level === Access.UNSPECIFIED) problems.push(`${name}: no (ordersystem.auth.v1.access) option`);
      else if (method.methodKind !== 'unary') problems.push(`${name}: only unary methods can be forwarded`);
      else table.set(name, policyOf(method, level));
    }
  }
  if (problems.length > 0) throw new PolicyError(`refusing to expose the public API:\n  ${problems.join('\n  ')}`);
  return table;
}

function policyOf(method: DescMethod, level: MethodPolicy['access']): MethodPolicy {
  const retryable = method.idempotency === Idempotency.NO_SIDE_EFFECTS || method.idempotency === Idempotency.IDEMPOTENT;
  const policy: MethodPolicy = { method, access: level, retryable };
  // Caching needs GET, and Connect only allows GET for side-effect-free methods.
  if (hasOption(method, http_cache) && method.idempotency === Idempotency.NO_SIDE_EFFECTS) {
    const { maxAgeSeconds, private: isPrivate } = getOption(method, http_cache);
    policy.cache = { maxAgeSeconds, private: isPrivate };
  }
  return policy;
}

/** The key used by the table: `package.Service/Method`, as in the request path. */
export const policyKey = (method: DescMethod): string => `${method.parent.typeName}/${method.name}`;

/** Cache-Control header value for a cacheable method. */
export function cacheControl(cache: NonNullable<MethodPolicy['cache']>): string {
  const scope = cache.private ? 'private' : 'public';
  // max-age=0 means "always revalidate": the ETag then saves the body, not the round trip.
  return cache.maxAgeSeconds === 0 ? `${scope}, no-cache` : `${scope}, max-age=${cache.maxAgeSeconds}`;
}
