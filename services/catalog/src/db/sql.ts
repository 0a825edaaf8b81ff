import { type MikroORM } from '@ordersystem/platform';
import { CompiledQuery } from 'kysely';

/** Something SQL can be sent to: the pool or an open transaction. */
export interface Queryable {
  query<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

/** The pool plus transactions; the only door to PostgreSQL in this service. */
export interface Database extends Queryable {
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
}

interface Executor {
  executeQuery<R>(query: CompiledQuery<R>): Promise<{ rows: R[] }>;
}

function queryable(executor: Executor, onQuery?: (text: string) => void): Queryable {
  return {
    async query<T>(text: string, params: readonly unknown[] = []) {
      onQuery?.(text);
      const result = await executor.executeQuery(CompiledQuery.raw(text, [...params]) as CompiledQuery<T>);
      return result.rows;
    },
  };
}

/**
 * Raw SQL on MikroORM's connection pool (so search_path is pinned to the service schema) with real
 * server-side $n parameters. The catalog needs array paths, conditional updates and tsvector
 * search, which read best as plain SQL. `onQuery` sees every statement (used to count queries in tests).
 */
export function createDatabase(orm: MikroORM, onQuery?: (text: string) => void): Database {
  const connection = orm.em.getConnection();
  const pool = queryable(connection.getClient(), onQuery);
  return {
    query: (text, params) => pool.query(text, params),
    transaction: (work) => connection.transactional((trx) => work(queryable(trx, onQuery))),
  };
}

/** PostgreSQL error code of a driver error (e.g. 23505 unique_violation), if any. */
export function pgCode(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Name of the violated constraint of a driver error, if any. */
export function pgConstraint(err: unknown): string | undefined {
  const c = (err as { constraint?: unknown; cause?: { constraint?: unknown } })?.constraint ?? (err as { cause?: { constraint?: unknown } })?.cause?.constraint;
  return typeof c === 'string' ? c : undefined;
}
