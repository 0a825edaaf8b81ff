import { baseEnv, loadConfig } from '@ordersystem/platform';
import { z } from 'zod';
import { stripeWebhookEnv } from './http/stripe-webhook-routes.js';

const upstreamUrl = z.url({ protocol: /^https?$/ });
const csv = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

/** Every setting of the gateway, read once from the environment at start-up. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(
    {
      ...baseEnv,
      CUSTOMERS_URL: upstreamUrl,
      CATALOG_URL: upstreamUrl,
      ORDERS_URL: upstreamUrl,
      /** The notifications service, for the admin methods of dead letters; unset answers them `unavailable`. */
      NOTIFICATIONS_URL: upstreamUrl.optional(),
      /** Deadline of one upstream attempt (the caller's own deadline wins when shorter). */
      UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
      /** Total attempts for idempotent methods failing with `unavailable` (1 = no retry). */
      UPSTREAM_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
      UPSTREAM_RETRY_BASE_MS: z.coerce.number().int().min(1).default(50),
      REDIS_URL: z.url({ protocol: /^rediss?$/ }),
      /** Prefix of every rate-limit key in Redis; tests use a unique one per run. */
      RATE_LIMIT_PREFIX: z.string().min(1).default('gw:rl'),
      RATE_LIMIT_IP_POINTS: z.coerce.number().int().positive().default(300),
      RATE_LIMIT_IP_DURATION_S: z.coerce.number().int().positive().default(60),
      RATE_LIMIT_USER_POINTS: z.coerce.number().int().positive().default(600),
      RATE_LIMIT_USER_DURATION_S: z.coerce.number().int().positive().default(60),
      /** Share of a key's budget a replica leases from Redis at once (0: one Redis charge per request). */
      RATE_LIMIT_LEASE_FRACTION: z.coerce.number().min(0).max(0.5).default(0.05),
      /** Keys (client IPs, users) whose lease a replica remembers. */
      RATE_LIMIT_LEASE_KEYS: z.coerce.number().int().positive().default(10_000),
      /** Honour X-Forwarded-For (set only behind a proxy that overwrites it). */
      TRUST_PROXY: z.stringbool().default(false),
      TOKEN_ISSUER: z.string().min(1),
      TOKEN_AUDIENCE: z.string().min(1),
      /** How long fetched signing keys are trusted before a routine refetch. */
      JWKS_TTL_MS: z.coerce.number().int().positive().default(300_000),
      /** Minimum gap between refetches triggered by an unknown `kid` (forged kids must not hammer customers). */
      JWKS_REFETCH_MIN_MS: z.coerce.number().int().min(0).default(10_000),
      /** Answers the micro-cache keeps for anonymous GETs of public cacheable methods (0 turns it off). */
      RESPONSE_CACHE_ENTRIES: z.coerce.number().int().min(0).default(1_000),
      /** Larger answers are not kept. */
      RESPONSE_CACHE_MAX_ENTRY_BYTES: z.coerce.number().int().positive().default(262_144),
      /** Longest reuse of one answer; each method's max-age is the bound below it. */
      RESPONSE_CACHE_MAX_TTL_MS: z.coerce.number().int().min(0).default(60_000),
      /** Verified access tokens remembered until they expire (by hash; 0 verifies every request). */
      VERIFIED_TOKEN_CACHE_ENTRIES: z.coerce.number().int().min(0).default(10_000),
      /** Share (0–1) of successful requests logged at info; the rest at debug. Errors and slow ones always. */
      REQUEST_LOG_SAMPLE: z.coerce.number().min(0).max(1).default(0.01),
      /** A request slower than this is always logged. */
      SLOW_REQUEST_MS: z.coerce.number().int().min(0).default(500),
      MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_048_576),
      ...stripeWebhookEnv,
      CORS_ORIGINS: csv,
      /** Set when TLS terminates in front of the gateway: enables HSTS and Secure cookies. */
      BEHIND_TLS: z.stringbool().default(false),
      /** Where browser logins (?mode=cookie) land after the callback. */
      POST_LOGIN_URL: z.string().default('/admin'),
      /** Public URL of /auth/callback as the provider redirects to it; empty lets customers use its default. */
      AUTH_CALLBACK_URL: z.string().default(''),
    },
    env,
  );
}

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
