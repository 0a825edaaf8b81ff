import type { Sql } from '@ordersystem/platform';

/** Age in seconds of the oldest unpublished outbox row; 0 when the relay has caught up. */
export async function oldestUnsentAge(db: Sql): Promise<number> {
  const [row] = await db.query<{ age: string | null }>(
    `select extract(epoch from now() - min(created_at))::float8 as age from outbox where sent_at is null`,
  );
  return row?.age == null ? 0 : Math.max(0, Number(row.age));
}
