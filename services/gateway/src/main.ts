import { closeRedis, connectRedis, createRuntime, redisStatus, runMain, serve } from '@ordersystem/platform';
import { JwksCache } from './auth/jwks-cache.js';
import { createTokenVerifier } from './auth/token-verifier.js';
import { cacheVerifiedTokens } from './auth/verified-token-cache.js';
import { createSharedWindow } from './clients/rate-limit.js';
import { createUpstreams } from './clients/upstreams.js';
import { loadGatewayConfig } from './config.js';
import { createGatewayServer } from './gateway-server.js';
import { leasedLimiter } from './limits/leased-limiter.js';
import { buildPolicyTable } from './policy/policy-table.js';
import { PUBLIC_API } from './public-api.js';

runMain(async () => {
  const config = loadGatewayConfig();
  const table = buildPolicyTable(PUBLIC_API.map((p) => p.service));
  const runtime = createRuntime('gateway', config);
  const { lifecycle } = runtime;

  const redis = await connectRedis(config.REDIS_URL, runtime.logger, {
    fallback: 'rate limits fall back to per-process memory',
  });
  lifecycle.onStop('redis', () => closeRedis(redis));
  const limit = (scope: string, points: number, durationSeconds: number) =>
    leasedLimiter(
      createSharedWindow({ redis, keyPrefix: `${config.RATE_LIMIT_PREFIX}:${scope}`, points, durationSeconds }),
      {
        leaseFraction: config.RATE_LIMIT_LEASE_FRACTION,
        maxKeys: config.RATE_LIMIT_LEASE_KEYS,
      },
    );

  const upstreams = createUpstreams(
    {
      customers: config.CUSTOMERS_URL,
      catalog: config.CATALOG_URL,
      orders: config.ORDERS_URL,
      notifications: config.NOTIFICATIONS_URL,
    },
    config.UPSTREAM_TIMEOUT_MS,
  );
  const jwks = new JwksCache({
    fetch: async () => JSON.parse((await upstreams.identity.getJwks({})).jwksJson),
    ttlMs: config.JWKS_TTL_MS,
    refetchMinMs: config.JWKS_REFETCH_MIN_MS,
    onRefreshError: (err) =>
      runtime.logger.warn({ err }, 'signing keys could not be fetched; cached keys stay in use if any'),
  });

  const server = createGatewayServer({
    runtime,
    probe: async () => ({ ...(await upstreams.probe()), redis: redisStatus(redis) }),
    table,
    upstreams,
    verify: cacheVerifiedTokens(
      createTokenVerifier({ getKey: jwks.getKey, issuer: config.TOKEN_ISSUER, audience: config.TOKEN_AUDIENCE }),
      { maxEntries: config.VERIFIED_TOKEN_CACHE_ENTRIES },
    ),
    limiters: {
      ip: limit('ip', config.RATE_LIMIT_IP_POINTS, config.RATE_LIMIT_IP_DURATION_S),
      user: limit('user', config.RATE_LIMIT_USER_POINTS, config.RATE_LIMIT_USER_DURATION_S),
    },
    auth: {
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      maxBodyBytes: config.MAX_BODY_BYTES,
      secureCookies: config.BEHIND_TLS,
      postLoginUrl: config.POST_LOGIN_URL,
      callbackUrl: config.AUTH_CALLBACK_URL,
    },
    http: {
      trustProxy: config.TRUST_PROXY,
      behindTls: config.BEHIND_TLS,
      corsOrigins: config.CORS_ORIGINS,
      maxBodyBytes: config.MAX_BODY_BYTES,
      requestLogSample: config.REQUEST_LOG_SAMPLE,
      slowRequestMs: config.SLOW_REQUEST_MS,
    },
    publicCache: {
      maxEntries: config.RESPONSE_CACHE_ENTRIES,
      maxEntryBytes: config.RESPONSE_CACHE_MAX_ENTRY_BYTES,
      maxTtlMs: config.RESPONSE_CACHE_MAX_TTL_MS,
    },
    stripeWebhook: { secret: config.STRIPE_WEBHOOK_SECRET, toleranceSeconds: config.STRIPE_WEBHOOK_TOLERANCE_S },
    upstream: {
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      maxAttempts: config.UPSTREAM_MAX_ATTEMPTS,
      retryBaseMs: config.UPSTREAM_RETRY_BASE_MS,
    },
  });
  await serve(runtime, server, config);
});
