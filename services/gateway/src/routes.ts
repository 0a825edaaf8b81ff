import type { ConnectRouter, Transport } from '@connectrpc/connect';
import type { MethodPolicy } from './policy/policy-table.js';
import { PUBLIC_API, type UpstreamName } from './public-api.js';
import { forwardingRoutes } from './rpc/forwarding-routes.js';

export interface GatewayDeps {
  /** One transport per upstream service (gRPC in production, in-memory in tests). */
  transports: Record<UpstreamName, Transport>;
  table: ReadonlyMap<string, MethodPolicy>;
  upstream: { timeoutMs: number; maxAttempts: number; retryBaseMs: number };
  onRetry?: (method: string) => void;
}

/**
 * The gateway's RPC surface: every method of the public API, forwarded to the upstream that
 * serves it. The access policy is the edge interceptor's job and gRPC health is added by the
 * platform server, as in every service.
 */
export function routes(deps: GatewayDeps) {
  return (router: ConnectRouter): void =>
    forwardingRoutes({
      ...deps.upstream,
      upstreams: PUBLIC_API.map(({ service, upstream }) => ({ service, transport: deps.transports[upstream] })),
      table: deps.table,
      onRetry: deps.onRetry,
    })(router);
}
