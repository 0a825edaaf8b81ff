import { type Client, Code, ConnectError, createClient, type Transport } from '@connectrpc/connect';
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

/**
 * One gRPC (HTTP/2) transport per upstream, with tracing and the default deadline. Notifications is
 * optional (only its admin methods are public): without a URL they answer `unavailable`.
 */
export function createUpstreams(
  urls: Record<Exclude<UpstreamName, 'notifications'>, string> & { notifications?: string | undefined },
  timeoutMs: number,
): Upstreams {
  const configured = Object.entries(urls).filter((e): e is [string, string] => Boolean(e[1]));
  const transports = {
    notifications: unconfigured('notifications (NOTIFICATIONS_URL is not set)'),
    ...Object.fromEntries(
      configured.map(([name, baseUrl]) => [name, createServiceTransport({ baseUrl, timeoutMs })] as const),
    ),
  } as Record<UpstreamName, Transport>;
  const health = configured.map(([name]) => [name, createClient(Health, transports[name as UpstreamName])] as const);
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

/** A transport for an upstream the gateway was not given: every call fails as `unavailable`. */
function unconfigured(what: string): Transport {
  const fail = () => Promise.reject(new ConnectError(`${what} is not available`, Code.Unavailable));
  return { unary: fail, stream: fail };
}
