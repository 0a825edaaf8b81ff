import { createRuntime, createServer, runMain, serve, startDatabase } from '@ordersystem/platform';
import { createLogin } from './app/login.js';
import { createProfiles } from './app/profiles.js';
import { createSessions } from './app/sessions.js';
import { setUpIdentityProvider } from './clients/identity-provider.js';
import { loadCustomersConfig } from './config.js';
import { createCustomerRepository } from './db/customer-repository.js';
import { createLoginAttemptStore } from './db/login-attempt-store.js';
import { migrations } from './db/migrations/index.js';
import { createRefreshTokenStore } from './db/refresh-token-store.js';
import { routes } from './routes.js';
import { createAccessTokenSigner } from './tokens/access-token.js';
import { loadKeyRing } from './tokens/setup.js';

runMain(async () => {
  const config = loadCustomersConfig();
  const runtime = createRuntime('customers', config);
  const { logger, metrics, readiness } = runtime;
  const clock = () => new Date();
  const { db } = await startDatabase(runtime, config, migrations);

  const customers = createCustomerRepository(db);
  const ring = await loadKeyRing(config, db);
  const signer = createAccessTokenSigner(ring, {
    issuer: config.TOKEN_ISSUER,
    audience: config.TOKEN_AUDIENCE,
    ttlSeconds: config.ACCESS_TOKEN_TTL,
    clock,
  });
  const sessions = createSessions({
    customers,
    refreshTokens: createRefreshTokenStore(db, clock),
    signer,
    clock,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL,
  });
  const { provider, redirectUris } = setUpIdentityProvider(config, logger);
  const login = createLogin({
    provider,
    attempts: createLoginAttemptStore(db, clock),
    customers,
    sessions,
    redirectUris,
    clock,
    adminEmails: config.ADMIN_EMAILS,
    attemptTtlSeconds: config.LOGIN_ATTEMPT_TTL,
  });
  const profiles = createProfiles({ customers, phoneRegion: config.PHONE_DEFAULT_REGION });

  const server = createServer({
    service: 'customers',
    logger,
    metrics,
    readiness,
    routes: routes({ profiles, login, sessions, signer }),
  });
  await serve(runtime, server, config);
});
