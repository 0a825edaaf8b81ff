import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { MikroORM } from '@mikro-orm/postgresql';

export type Row = Record<string, unknown>;

/**
 * Runs parameterised SQL and returns the rows. Parameters are `$1, $2, …`, bound by the driver and
 * never interpolated; JS arrays travel as PostgreSQL arrays (`= any($1::uuid[])`).
 */
export interface Sql {
  query<R = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

/** Sql on the pool, plus transactions whose callback gets an Sql bound to that one connection. */
export interface Database extends Sql {
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
}

export interface SqlOptions {
  /** Sees every statement before it is sent (tests count round trips with it). */
  onQuery?: (text: string) => void;
}

function sqlOn(executor: Kysely<unknown> | Transaction<unknown>, onQuery?: (text: string) => void): Sql {
  return {
    async query<R>(text: string, params: readonly unknown[] = []) {
      onQuery?.(text);
      const result = await executor.executeQuery<R>(CompiledQuery.raw(text, [...params]));
      return result.rows;
    },
  };
}

/**
 * The services' one way to PostgreSQL. MikroORM is the connection, transaction and migration
 * layer; queries are plain SQL (conditional updates, SKIP LOCKED claims, array paths and keyset
 * pages read more clearly as SQL than through an identity map). It runs on the Kysely client
 * MikroORM owns, so there is one pool and every connection's search_path is the service schema.
 */
export function createSql(orm: MikroORM, options: SqlOptions = {}): Database {
  const kysely = orm.em.getConnection().getClient<unknown>();
  return {
    ...sqlOn(kysely, options.onQuery),
    transaction: (work) => kysely.transaction().execute((trx) => work(sqlOn(trx, options.onQuery))),
  };
}

/** The driver returns timestamptz as text ("2026-11-24 09:56:02.94+00"); V8 parses that form. */
export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

/** bigint columns arrive as text so that no precision is lost; money is read with this. */
export const toBigInt = (value: unknown): bigint => BigInt(value as string | number | bigint);
