import type { MikroORM } from '@ordersystem/platform';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { CatalogAction } from '../domain/order-status.js';
import type { Row } from './sql.js';

export interface CatalogTask {
  id: string;
  orderId: string;
  action: CatalogAction;
  attempts: number;
}

/**
 * `catalog_tasks`: the catalog calls an order still owes (commit, release, restock), written in
 * the same transaction as the state change. Tasks are leased (not locked) while the catalog is
 * called, so no transaction stays open across the remote call; an order's tasks run strictly
 * in creation order (a restock never overtakes its commit).
 */
export class PgCatalogTaskStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): SqlEntityManager {
    return this.orm.em.fork() as SqlEntityManager;
  }

  /**
   * Leases due tasks whose predecessors for the same order are done. With `orderId` (the inline
   * run right after the transaction) a fresh task is due at once; the timer loop only sees it
   * after its grace period, so the two do not race for it.
   */
  async claim(leaseMs: number, limit: number, orderId?: string): Promise<CatalogTask[]> {
    const rows = await this.em().execute<Row[]>(
      `update catalog_tasks set leased_until = now() + ? * interval '1 millisecond', attempts = attempts + 1
       where id in (
         select t.id from catalog_tasks t
         where t.failed_at is null and (t.leased_until is null or t.leased_until < now())
           ${orderId ? 'and t.order_id = ? and (t.next_attempt_at <= now() or t.attempts = 0)' : 'and t.next_attempt_at <= now()'}
           and not exists (select 1 from catalog_tasks p where p.order_id = t.order_id and p.id < t.id and p.failed_at is null)
         order by t.id limit ? for update skip locked)
       returning id, order_id, action, attempts`,
      orderId ? [leaseMs, orderId, limit] : [leaseMs, limit],
    );
    return rows
      .map((r) => ({ id: String(r.id), orderId: String(r.order_id), action: r.action as CatalogAction, attempts: Number(r.attempts) }))
      .sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  }

  async done(id: string): Promise<void> {
    await this.em().execute(`delete from catalog_tasks where id = ?`, [id], 'run');
  }

  /** Schedules another attempt after `delayMs`. */
  async retryLater(id: string, delayMs: number, error: string): Promise<void> {
    await this.em().execute(
      `update catalog_tasks set leased_until = null, last_error = ?, next_attempt_at = now() + ? * interval '1 millisecond' where id = ?`,
      [error.slice(0, 500), delayMs, id],
      'run',
    );
  }

  /** Parks a task the catalog refuses for good (operators see it in logs, metrics and the table). */
  async fail(id: string, error: string): Promise<void> {
    await this.em().execute(`update catalog_tasks set leased_until = null, last_error = ?, failed_at = now() where id = ?`, [error.slice(0, 500), id], 'run');
  }

  async pendingCount(): Promise<number> {
    const rows = await this.em().execute<Row[]>(`select count(*)::int as n from catalog_tasks where failed_at is null`);
    return Number(rows[0]?.n ?? 0);
  }
}
