import { type Client, createClient, type Transport } from '@connectrpc/connect';
import { Health, HealthCheckResponse_ServingStatus as Status } from '@ordersystem/contracts/health/v1/health';
import { IdentityService } from '@ordersystem/contracts/ordersystem/customers/v1/identity';
import { createServiceTransport } from '@ordersystem/platform';
import type { UpstreamName } from '../public-api.js';

export interface Upstreams {
  transports: Record<UpstreamName, Transport>;
  identity: Client<typeof IdentityService>;
  /** gRPC health of every upstream, for /readyz: "SERVING" or the reason it is not. */
  probe(): Promise<Record<string, string>>;
}

const PROBE_TIMEOUT_MS = 1_000;

/** One gRPC (HTTP/2) transport per upstream, with tracing and the default deadline. */
export function createUpstreams(urls: Record<UpstreamName, string>, timeoutMs: number): Upstreams {
  const transports = Object.fromEntries(
    Object.entries(urls).map(([name, baseUrl]) => [name, createServiceTransport({ baseUrl, timeoutMs })]),
  ) as Record<UpstreamName, Transport>;
  const health = Object.entries(transports).map(([name, t]) => [name, createClient(Health, t)] as const);
  return {
    transports,
    identity: createClient(IdentityService, transports.customers),
    async probe() {
      const results = await Promise.all(
        health.map(async ([name, client]) => {
          try {
            const res = await client.check({ service: '' }, { timeoutMs: PROBE_TIMEOUT_MS });
            return [name, Status[res.status]] as const;
          } catch (err) {
            return [name, `failing: ${err instanceof Error ? err.message : String(err)}`] as const;
          }
        }),
      );
      return Object.fromEntries(results);
    },
  };
}
