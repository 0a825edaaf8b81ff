import { randomBytes } from 'node:crypto';
import { DEV_OIDC_CLIENT, startDevOidcProvider } from '@ordersystem/dev-sinks';
import { infraEnv, type RunningService, startService, startServiceOnFreshSchema } from '@ordersystem/testing';
import { newSigningKey, type TokenContext } from './tokens';

/** Where a test's upstream runs, or a closed port when the test does not need it. */
const CLOSED = 'http://127.0.0.1:9';
/** Customers' default redirect URI; the test browser stops there and hands the query to the gateway. */
export const CALLBACK_URL = 'http://127.0.0.1:8080/auth/callback';
export const ADMIN_EMAIL = 'admin@gateway.test';

type Upstream = { svc: RunningService; stop: () => Promise<void> };

export interface Stack {
  gateway: RunningService;
  /** http://127.0.0.1:<public port> */
  url: string;
  ops: string;
  upstreams: Partial<Record<'customers' | 'catalog' | 'orders', Upstream>>;
  /** The signing key customers uses, so tests can mint (and forge) tokens exactly like its own. */
  tokens: TokenContext;
  startGateway(env?: Record<string, string>): Promise<RunningService>;
  /** SIGKILLs an upstream (no graceful shutdown), as a crash would. */
  kill(name: 'customers' | 'catalog' | 'orders'): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the real upstream processes a test file needs (each on a fresh schema / unique Redis
 * and Kafka names) and the gateway in front of them, as separate processes from dist/.
 */
export async function startStack(options: {
  upstreams: Array<'customers' | 'catalog' | 'orders'>;
  gatewayEnv?: Record<string, string>;
}): Promise<Stack> {
  const infra = infraEnv();
  const run = randomBytes(4).toString('hex');
  const key = newSigningKey();
  const tokens: TokenContext = { key, issuer: 'http://gateway.test', audience: 'ordersystem-test' };
  const upstreams: Stack['upstreams'] = {};
  const gateways: RunningService[] = [];
  const killed = new Set<string>();
  const closers: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await Promise.all(
      Object.entries(upstreams).map(([name, u]) => (killed.has(name) ? u.stop().catch(() => undefined) : u.stop())),
    );
    await Promise.all(closers.map((close) => close()));
  };
  try {
    if (options.upstreams.includes('customers')) {
      // The development OpenID provider of packages/dev-sinks, as `scripts/dev up` runs it for customers.
      const oidc = await startDevOidcProvider({ client: { ...DEV_OIDC_CLIENT, redirectUris: [CALLBACK_URL] } });
      closers.push(() => oidc.close());
      upstreams.customers = await startServiceOnFreshSchema(infra, 'customers', {
        OIDC_ISSUER_URL: oidc.issuer,
        JWT_SIGNING_KEYS: JSON.stringify({ keys: [key.privateJwk] }),
        TOKEN_ISSUER: tokens.issuer,
        TOKEN_AUDIENCE: tokens.audience,
        OIDC_REDIRECT_URI: CALLBACK_URL,
        ADMIN_EMAILS: ADMIN_EMAIL,
      });
    }
    if (options.upstreams.includes('catalog')) {
      upstreams.catalog = await startServiceOnFreshSchema(infra, 'catalog', {
        REDIS_URL: infra.redisUrl,
        CACHE_PREFIX: `catalog-gw-${run}`,
      });
    }
    const url = (name: keyof Stack['upstreams']) =>
      upstreams[name] ? `http://127.0.0.1:${upstreams[name].svc.port}` : CLOSED;
    if (options.upstreams.includes('orders')) {
      upstreams.orders = await startServiceOnFreshSchema(infra, 'orders', {
        CATALOG_URL: url('catalog'),
        CUSTOMERS_URL: url('customers'),
        KAFKA_BROKERS: infra.kafkaBrokers.join(','),
        ORDER_EVENTS_TOPIC: `ordersystem.orders.v1.events.gw-${run}`,
      });
    }
    const startGateway = async (env: Record<string, string> = {}) => {
      const gateway = await startService('gateway', {
        CUSTOMERS_URL: url('customers'),
        CATALOG_URL: url('catalog'),
        ORDERS_URL: url('orders'),
        REDIS_URL: infra.redisUrl,
        RATE_LIMIT_PREFIX: `gw-test-${run}-${gateways.length}`,
        TOKEN_ISSUER: tokens.issuer,
        TOKEN_AUDIENCE: tokens.audience,
        AUTH_CALLBACK_URL: CALLBACK_URL,
        UPSTREAM_RETRY_BASE_MS: '20',
        ...options.gatewayEnv,
        ...env,
      });
      gateways.push(gateway);
      return gateway;
    };
    const gateway = await startGateway();
    return {
      gateway,
      url: `http://127.0.0.1:${gateway.port}`,
      ops: `http://127.0.0.1:${gateway.opsPort}`,
      upstreams,
      tokens,
      startGateway,
      async kill(name) {
        killed.add(name);
        await upstreams[name]?.svc.stop('SIGKILL');
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}
