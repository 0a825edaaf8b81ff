import { ConfigError, baseEnv, databaseEnv, loadConfig } from '@ordersystem/platform';
import { z } from 'zod';

const commaList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** Settings of the identity work; defaults are for development only (production must set them, see below). */
const customersEnv = {
  /**
   * Discovery URL of the OpenID provider (Google: https://accounts.google.com; development: the
   * dev-sinks provider, http://127.0.0.1:9400). Unset outside production leaves login unavailable.
   */
  OIDC_ISSUER_URL: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).default('ordersystem-dev'),
  OIDC_CLIENT_SECRET: z.string().min(1).default('ordersystem-dev-secret-not-for-production'),
  /** The gateway's public /auth/callback URL(s), comma-separated; the first is the default. */
  OIDC_REDIRECT_URI: commaList.pipe(z.array(z.url()).min(1)).default(['http://127.0.0.1:8080/auth/callback']),
  OIDC_SCOPES: z.string().default('openid email profile'),
  /**
   * Each request to the provider, in ms. Below the gateway's 5 s upstream deadline, so a provider
   * that does not answer makes login fail here, as `unavailable` and logged with its cause, rather
   * than as the gateway's bare 504 while this service still waits.
   */
  OIDC_TIMEOUT_MS: z.coerce.number().int().positive().default(4_000),
  LOGIN_ATTEMPT_TTL: z.coerce.number().int().positive().default(600),
  TOKEN_ISSUER: z.string().min(1).default('http://127.0.0.1:8080'),
  TOKEN_AUDIENCE: z.string().min(1).default('ordersystem'),
  /** Seconds. */
  ACCESS_TOKEN_TTL: z.coerce.number().int().positive().default(900),
  /** Seconds; 30 days by default. */
  REFRESH_TOKEN_TTL: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 24 * 3600),
  /** JSON JWK set of private ES256 keys; the first signs, the others only verify (rotation). */
  JWT_SIGNING_KEYS: z.string().optional(),
  ADMIN_EMAILS: commaList.transform((emails) => emails.map((e) => e.toLowerCase())),
  PHONE_DEFAULT_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .default('KE'),
};

/** Variables that have development defaults but must be set explicitly in production. */
const REQUIRED_IN_PRODUCTION = [
  'OIDC_ISSUER_URL',
  'OIDC_CLIENT_ID',
  'OIDC_CLIENT_SECRET',
  'OIDC_REDIRECT_URI',
  'TOKEN_ISSUER',
  'TOKEN_AUDIENCE',
  'JWT_SIGNING_KEYS',
] as const;

/**
 * Every setting of the customers service, read once from the environment at start-up. In
 * production there is no local OpenID provider and no generated key: a missing issuer, client or
 * signing key is a configuration error, never a silent fallback to development behaviour.
 */
export function loadCustomersConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig({ ...baseEnv, ...databaseEnv, ...customersEnv }, env);
  if (config.NODE_ENV === 'production') {
    const missing = REQUIRED_IN_PRODUCTION.filter((name) => !env[name]);
    if (missing.length > 0) {
      const lines = missing.map(
        (name) => `  ${name}: required when NODE_ENV=production (no local OpenID provider or generated keys)`,
      );
      throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
    }
  }
  return config;
}

export type CustomersConfig = ReturnType<typeof loadCustomersConfig>;
