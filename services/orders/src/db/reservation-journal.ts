import type { MikroORM } from '@ordersystem/platform';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { ReservationJournal } from '../app/ports.js';
import type { Row } from './sql.js';

/**
 * `pending_reservations`: written before ReserveStock, deleted in the order's own transaction
 * (or after a failed placement released its stock). A row whose lease ran out and that has no
 * order is a reservation nobody will ever commit, so recovery releases it.
 */
export class PgReservationJournal implements ReservationJournal {
  constructor(private readonly orm: MikroORM) {}

  private em(): SqlEntityManager {
    return this.orm.em.fork() as SqlEntityManager;
  }

  async acquire(orderId: string, customerId: string, leaseMs: number): Promise<boolean> {
    // Insert, or take over a lease that has run out (its placement died or gave up).
    const rows = await this.em().execute<Row[]>(
      `insert into pending_reservations (order_id, customer_id, lease_until)
       values (?, ?, now() + ? * interval '1 millisecond')
       on conflict (order_id) do update set lease_until = excluded.lease_until
         where pending_reservations.lease_until < now()
       returning order_id`,
      [orderId, customerId, leaseMs],
    );
    return rows.length === 1;
  }

  async clear(orderId: string): Promise<void> {
    await this.em().execute(`delete from pending_reservations where order_id = ?`, [orderId], 'run');
  }

  async claimAbandoned(leaseMs: number, limit: number): Promise<string[]> {
    const em = this.em();
    // An expired entry whose order exists is only a leftover lease: its stock belongs to the order.
    await em.execute(
      `delete from pending_reservations p where p.lease_until < now() and exists (select 1 from orders o where o.id = p.order_id)`,
      [],
      'run',
    );
    // Claiming renews the lease, so a placement retried meanwhile waits instead of racing us.
    const rows = await em.execute<Row[]>(
      `update pending_reservations set lease_until = now() + ? * interval '1 millisecond'
       where order_id in (
         select p.order_id from pending_reservations p
         where p.lease_until < now() and not exists (select 1 from orders o where o.id = p.order_id)
         order by p.lease_until limit ? for update skip locked)
       returning order_id`,
      [leaseMs, limit],
    );
    return rows.map((r) => String(r.order_id));
  }
}
