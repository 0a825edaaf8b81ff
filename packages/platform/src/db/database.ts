import { Migrator } from '@mikro-orm/migrations';
import { CompiledQuery, type DatabaseConnection } from 'kysely';
import { type EntitySchema, type MigrationObject, MikroORM } from '@mikro-orm/postgresql';
import type { ReadinessCheck } from '../server/readiness.js';

export type { EntitySchema, MigrationObject, MikroORM } from '@mikro-orm/postgresql';

export interface DatabaseOptions {
  url: string;
  /** The one schema this service owns; every connection's search_path is pinned to it. */
  schema: string;
  entities: EntitySchema[];
  /** Ordered migrations, listed in code so dist and tests run exactly the same set. */
  migrations: MigrationObject[];
  poolMax?: number;
}

/**
 * Connects MikroORM to the service's own schema. search_path is set on the connection itself,
 * so unqualified SQL (in migrations and raw queries) can only ever land in this schema.
 */
export async function openDatabase(options: DatabaseOptions): Promise<MikroORM> {
  // The name is interpolated into `set search_path`, so only plain identifiers are accepted.
  if (!/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
  return MikroORM.init({
    clientUrl: options.url,
    schema: options.schema,
    onCreateConnection: async (connection) => {
      await (connection as DatabaseConnection).executeQuery(CompiledQuery.raw(`set search_path to "${options.schema}"`));
    },
    entities: options.entities,
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
