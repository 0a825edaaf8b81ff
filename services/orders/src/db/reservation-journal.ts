import type { Database } from '@ordersystem/platform';
import type { ReservationJournal } from '../app/ports.js';

/**
 * `pending_reservations`: written before ReserveStock, deleted in the order's own transaction
 * (or after a failed placement released its stock). A row whose lease ran out and that has no
 * order is a reservation nobody will ever commit, so recovery releases it.
 */
export class PgReservationJournal implements ReservationJournal {
  constructor(private readonly db: Database) {}

  async acquire(orderId: string, customerId: string, leaseMs: number): Promise<string | undefined> {
    // Insert, or take over a lease that has run out (its placement died or gave up).
    const rows = await this.db.query(
      `insert into pending_reservations (order_id, customer_id, lease_until)
       values ($1, $2, now() + $3 * interval '1 millisecond')
       on conflict (order_id) do update set lease_until = excluded.lease_until
         where pending_reservations.lease_until < now()
       returning lease_until::text as token`,
      [orderId, customerId, leaseMs],
    );
    // The lease's end is its token: recovery's claim renews it, so a changed value means taken over.
    return rows[0] === undefined ? undefined : String(rows[0].token);
  }

  async extend(orderId: string, token: string, leaseMs: number): Promise<string | undefined> {
    const rows = await this.db.query(
      `update pending_reservations set lease_until = now() + $3 * interval '1 millisecond'
       where order_id = $1 and lease_until = $2::timestamptz
       returning lease_until::text as token`,
      [orderId, token, leaseMs],
    );
    return rows[0] === undefined ? undefined : String(rows[0].token);
  }

  async clear(orderId: string, token: string): Promise<void> {
    await this.db.query(`delete from pending_reservations where order_id = $1 and lease_until = $2::timestamptz`, [
      orderId,
      token,
    ]);
  }

  async claimAbandoned(leaseMs: number, limit: number): Promise<Array<{ orderId: string; token: string }>> {
    // An expired entry whose order exists is only a leftover lease: its stock belongs to the order.
    await this.db.query(
      `delete from pending_reservations p where p.lease_until < now() and exists (select 1 from orders o where o.id = p.order_id)`,
    );
    // Claiming renews the lease, so a placement retried meanwhile waits instead of racing us.
    const rows = await this.db.query<{ order_id: string; token: string }>(
      `update pending_reservations set lease_until = now() + $1 * interval '1 millisecond'
       where order_id in (
         select p.order_id from pending_reservations p
         where p.lease_until < now() and not exists (select 1 from orders o where o.id = p.order_id)
         order by p.lease_until limit $2 for update skip locked)
       returning order_id, lease_until::text as token`,
      [leaseMs, limit],
    );
    return rows.map((r) => ({ orderId: String(r.order_id), token: String(r.token) }));
  }
}
