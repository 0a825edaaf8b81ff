import type { Database, Row } from '@ordersystem/platform';
import type { CatalogTask, CatalogTaskStore } from '../app/ports.js';
import type { CatalogAction } from '../domain/order-status.js';

/**
 * `catalog_tasks`: the catalog calls an order still owes (commit, release, restock), written in
 * the same transaction as the state change. Tasks are leased (not locked) while the catalog is
 * called, so no transaction stays open across the remote call; an order's tasks run strictly
 * in creation order (a restock never overtakes its commit).
 */
export class PgCatalogTaskStore implements CatalogTaskStore {
  constructor(private readonly db: Database) {}

  /**
   * Leases due tasks whose predecessors for the same order are done. With `orderIds` (the run
   * right after their transactions) a fresh task is due at once; the timer loop only sees it
   * after its grace period, so the two do not race for it.
   */
  async claim(leaseMs: number, limit: number, orderIds?: readonly string[]): Promise<CatalogTask[]> {
    const rows = await this.db.query(
      `update catalog_tasks set leased_until = now() + $1 * interval '1 millisecond', attempts = attempts + 1
       where id in (
         select t.id from catalog_tasks t
         where t.failed_at is null and (t.leased_until is null or t.leased_until < now())
           ${orderIds ? 'and t.order_id = any($3::uuid[]) and (t.next_attempt_at <= now() or t.attempts = 0)' : 'and t.next_attempt_at <= now()'}
           and not exists (select 1 from catalog_tasks p where p.order_id = t.order_id and p.id < t.id and p.failed_at is null)
         order by t.id limit $2 for update skip locked)
       returning id, order_id, action, attempts`,
      orderIds ? [leaseMs, limit, orderIds] : [leaseMs, limit],
    );
    return rows.map(toTask).sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  }

  async done(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.db.query(`delete from catalog_tasks where id = any($1::bigint[])`, [ids]);
  }

  async retryLater(id: string, delayMs: number, error: string): Promise<void> {
    await this.db.query(
      `update catalog_tasks set leased_until = null, last_error = $1, next_attempt_at = now() + $2 * interval '1 millisecond' where id = $3`,
      [error.slice(0, 500), delayMs, id],
    );
  }

  async fail(id: string, error: string): Promise<void> {
    await this.db.query(
      `update catalog_tasks set leased_until = null, last_error = $1, failed_at = now() where id = $2`,
      [error.slice(0, 500), id],
    );
  }
}

const toTask = (r: Row): CatalogTask => ({
  id: String(r.id),
  orderId: String(r.order_id),
  action: r.action as CatalogAction,
  attempts: Number(r.attempts),
});
