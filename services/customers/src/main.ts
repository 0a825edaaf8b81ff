import { createRuntime, createServer, databaseReadiness, migrate, openDatabase, runMain, serve } from '@ordersystem/platform';
import { createLogin } from './app/login.js';
import { createProfiles } from './app/profiles.js';
import { createSessions } from './app/sessions.js';
import { loadCustomersConfig } from './config.js';
import { createCustomerRepository } from './db/customer-repository.js';
import { entities } from './db/entities.js';
import { createLoginAttemptStore } from './db/login-attempt-store.js';
import { migrations } from './db/migrations/index.js';
import { createRefreshTokenStore } from './db/refresh-token-store.js';
import { createDatabase } from './db/sql.js';
import { setUpIdentityProvider } from './oidc/setup.js';
import { routes } from './routes.js';
import { createAccessTokenSigner } from './tokens/access-token.js';
import { loadKeyRing } from './tokens/setup.js';

runMain(async () => {
  const config = loadCustomersConfig();
  const runtime = createRuntime('customers', config);
  const { logger, metrics, readiness, lifecycle } = runtime;
  const clock = () => new Date();

  const orm = await openDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, entities, migrations });
  lifecycle.onStop('database', () => orm.close());
  if (config.MIGRATE_ON_START) logger.info({ applied: await migrate(orm) }, 'migrations applied');
  readiness.add(databaseReadiness(orm));
  const db = createDatabase(orm);

  const customers = createCustomerRepository(db);
  const ring = await loadKeyRing(config, db);
  const signer = createAccessTokenSigner(ring, { issuer: config.TOKEN_ISSUER, audience: config.TOKEN_AUDIENCE, ttlSeconds: config.ACCESS_TOKEN_TTL, clock });
  const sessions = createSessions({
    customers, refreshTokens: createRefreshTokenStore(db, clock), signer, clock,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL, refreshTtlSeconds: config.REFRESH_TOKEN_TTL,
  });
  const { provider, redirectUris } = await setUpIdentityProvider(config, logger, lifecycle);
  const login = createLogin({
    provider, attempts: createLoginAttemptStore(db, clock), customers, sessions, redirectUris, clock,
    adminEmails: config.ADMIN_EMAILS, attemptTtlSeconds: config.LOGIN_ATTEMPT_TTL,
  });
  const profiles = createProfiles({ customers, phoneRegion: config.PHONE_DEFAULT_REGION });

  const server = createServer({ service: 'customers', logger, metrics, readiness, routes: routes({ profiles, login, sessions, signer }) });
  await serve(runtime, server, config);
});
