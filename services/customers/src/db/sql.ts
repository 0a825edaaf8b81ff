import type { MikroORM } from '@ordersystem/platform';
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';

/** Runs parameterised SQL ($1, $2, … bound by the driver, never interpolated) and returns the rows. */
export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** Sql plus transactions; a transaction's callback gets an Sql bound to that one connection. */
export interface Database extends Sql {
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
}

function sqlOn(executor: Kysely<unknown> | Transaction<unknown>): Sql {
  return {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const result = await executor.executeQuery<Row>(CompiledQuery.raw(text, [...params]));
      return result.rows;
    },
  };
}

/**
 * The customers repositories speak plain SQL (upserts with ON CONFLICT, FOR UPDATE, keyset pages
 * read more clearly as SQL than through the ORM). They use the Kysely client MikroORM already
 * owns, so there is one pool whose connections have search_path pinned to our schema.
 */
export function createDatabase(orm: MikroORM): Database {
  const kysely = orm.em.getConnection().getClient<unknown>();
  return {
    ...sqlOn(kysely),
    transaction: (work) => kysely.transaction().execute((trx) => work(sqlOn(trx))),
  };
}

/** MikroORM's pool returns timestamptz as text (it parses dates itself); raw queries convert here. */
export const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
