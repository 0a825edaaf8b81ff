import { randomUUID } from 'node:crypto';
import {
  Code,
  type ConnectRouter,
  ConnectError,
  type Interceptor,
  type Transport,
  createRouterTransport,
} from '@connectrpc/connect';
import { BadRequestSchema } from '@ordersystem/contracts/ordersystem/common/v1/error_details';
import { type Role, identityHeaders, identityInterceptor, toConnectError } from '@ordersystem/platform';

/** Maps failures the way the platform server does, so in-memory calls see the real wire errors. */
const mapErrors: Interceptor = (next) => async (req) => {
  try {
    return await next(req);
  } catch (err) {
    throw toConnectError(err).error;
  }
};

/**
 * A service's `routes(deps)` served in memory with the platform's error mapping and identity
 * headers, for fast tests of the RPC layer over fake ports: no network, no database.
 */
export function inMemoryTransport(routes: (router: ConnectRouter) => void): Transport {
  return createRouterTransport(routes, { router: { interceptors: [mapErrors, identityInterceptor()] } });
}

/** Call options carrying an identity as the gateway would forward it. */
export function callAs(role: Role, customerId: string = randomUUID()): { headers: Record<string, string> } {
  return {
    headers: identityHeaders({ customerId, email: `${role}-${customerId.slice(0, 8)}@example.com`, roles: [role] }),
  };
}

/** A failed call's Connect code ("InvalidArgument") and the fields its BadRequest details name. */
export async function rpcFailure(call: Promise<unknown>): Promise<{ code: string; fields: string[] }> {
  const err = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => ConnectError.from(e),
  );
  return {
    code: Code[err.code],
    fields: err.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations.map((v) => v.field)),
  };
}
