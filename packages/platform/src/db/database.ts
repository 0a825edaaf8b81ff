import { Migrator } from '@mikro-orm/migrations';
import { CompiledQuery, type DatabaseConnection } from 'kysely';
import { type MigrationObject, MikroORM } from '@mikro-orm/postgresql';
import type { ReadinessCheck } from '../server/readiness.js';
import type { Runtime } from '../runtime.js';
import { createLogger } from '../logger.js';
import { runMain } from '../lifecycle.js';
import { registerPoolMetrics } from './pool-metrics.js';
import { createSql, type Database, type SqlOptions } from './sql.js';
import { pgSsl } from './ssl.js';

export type { MigrationObject, MikroORM } from '@mikro-orm/postgresql';

export interface DatabaseOptions {
  url: string;
  /** The one schema this service owns; every connection's search_path is pinned to it. */
  schema: string;
  /** Ordered migrations, listed in code so dist and tests run exactly the same set. */
  migrations: MigrationObject[];
  poolMax?: number;
}

/**
 * Connects MikroORM to the service's own schema. search_path is set on the connection itself,
 * so unqualified SQL (in migrations and raw queries) can only ever land in this schema.
 */
const CONNECT_TIMEOUT_MS = 10_000;

export async function openDatabase(options: DatabaseOptions): Promise<MikroORM> {
  // The name is interpolated into `set search_path`, so only plain identifiers are accepted.
  if (!/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
  const ssl = pgSsl(options.url);
  return MikroORM.init({
    clientUrl: options.url,
    driverOptions: {
      // A connection attempt to a server that never answers (a dropped SYN, a half-dead proxy)
      // would otherwise wait for the OS's TCP timeout, minutes, holding up queries and shutdown.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // sslmode/sslrootcert of the URL, which MikroORM would drop (db/ssl.ts).
      ...(ssl === undefined ? {} : { ssl }),
    },
    schema: options.schema,
    onCreateConnection: async (connection) => {
      await (connection as DatabaseConnection).executeQuery(
        CompiledQuery.raw(`set search_path to "${options.schema}"`),
      );
    },
    // No ORM entities: MikroORM is the connection, transaction and migration layer (see sql.ts).
    entities: [],
    extensions: [Migrator],
    migrations: {
      migrationsList: options.migrations,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    pool: { min: 0, max: options.poolMax ?? 10 },
    discovery: { warnWhenNoEntities: false },
    // Every request or message must fork its own EntityManager; the global one is a bug magnet.
    allowGlobalContext: false,
    debug: false,
  });
}

/** Applies pending migrations; returns the names of those it applied. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}

export function databaseReadiness(orm: MikroORM): ReadinessCheck {
  return {
    name: 'database',
    check: async () => {
      const result = await orm.checkConnection();
      if (!result.ok) throw new Error(result.reason);
    },
  };
}

/** The settings every database-owning service reads (platform databaseEnv). */
export interface DatabaseConfig {
  DATABASE_URL: string;
  DATABASE_SCHEMA: string;
  MIGRATE_ON_START: boolean;
  DATABASE_POOL_MAX?: number;
}

/**
 * The start-up block every database-owning service shares: connect to its own schema, apply
 * migrations when asked to (development; production runs the migration job), report readiness
 * and pool saturation, and close last-but-one on shutdown. Returns the SQL door the repositories use.
 */
export async function startDatabase(
  runtime: Runtime,
  config: DatabaseConfig,
  migrations: MigrationObject[],
  sqlOptions?: SqlOptions,
): Promise<{ orm: MikroORM; db: Database }> {
  const orm = await openDatabase({
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    migrations,
    poolMax: config.DATABASE_POOL_MAX,
  });
  runtime.lifecycle.onStop('database', () => orm.close());
  if (config.MIGRATE_ON_START) runtime.logger.info({ applied: await migrate(orm) }, 'migrations applied');
  runtime.readiness.add(databaseReadiness(orm));
  registerPoolMetrics(orm, runtime.metrics.registry);
  return { orm, db: createSql(orm, sqlOptions) };
}

/**
 * The body of every service's migrate.ts: applies pending migrations to the service's schema and
 * exits (a Kubernetes hook Job runs it before the new release's pods start).
 */
export function runMigrationJob(
  service: string,
  loadConfig: () => DatabaseConfig & { LOG_LEVEL: string },
  migrations: MigrationObject[],
): void {
  runMain(async () => {
    const config = loadConfig();
    const logger = createLogger({ service: `${service}-migrate`, level: config.LOG_LEVEL });
    const orm = await openDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, migrations });
    try {
      logger.info({ applied: await migrate(orm) }, 'migrations applied');
    } finally {
      await orm.close();
    }
  });
}
