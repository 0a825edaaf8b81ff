import type { SqlEntityManager } from '@mikro-orm/postgresql';

/** The raw-SQL surface the repositories use; inside `transactional` it runs on the transaction. */
export type Sql = Pick<SqlEntityManager, 'execute'>;
export type Row = Record<string, unknown>;

/**
 * MikroORM expands JS arrays into `?, ?, ?` lists, so arrays travel as one PostgreSQL array
 * literal instead (`= any(?::uuid[])`). Only for values without commas/quotes (UUIDs, numbers).
 */
export function pgArray(values: readonly string[]): string {
  return `{${values.join(',')}}`;
}

/** The driver returns timestamptz as text ("2026-11-24 09:56:02.94+00"); V8 parses that form. */
export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

export const toBigInt = (value: unknown): bigint => BigInt(value as string | number);
