import { randomUUID } from 'node:crypto';
import { type Database, type Sql, failedPrecondition, toDate } from '@ordersystem/platform';
import type { Reservation, ReservationStatus, ReservedItem, SummedLine } from '../domain/reservation.js';
import type { InventoryRepository } from '../app/ports.js';

interface LineRow {
  product_id: string;
  sku: string;
  name: string;
  unit_price_minor: string;
  currency_code: string;
  tax_class: string;
  quantity: string;
}

const LINE_COLUMNS = 'product_id, sku, name, unit_price_minor::text, currency_code, tax_class, quantity::text';

const toItem = (r: LineRow): ReservedItem => ({
  productId: r.product_id,
  sku: r.sku,
  name: r.name,
  unitPriceMinor: BigInt(r.unit_price_minor),
  currencyCode: r.currency_code,
  taxClass: r.tax_class,
  quantity: BigInt(r.quantity),
});

/** What a status transition does to the stock counters, per unit of each line. */
const EFFECTS: Record<'committed' | 'released' | 'restocked' | 'expired', { onHand: number; reserved: number }> = {
  committed: { onHand: -1, reserved: -1 },
  released: { onHand: 0, reserved: -1 },
  expired: { onHand: 0, reserved: -1 },
  restocked: { onHand: 1, reserved: 0 },
};

/**
 * Applies per-product deltas. Rows are locked in id order first, the same order ReserveStock uses,
 * so settling and reserving transactions never deadlock.
 */
async function adjustStock(
  tx: Sql,
  totals: readonly { productId: string; quantity: bigint }[],
  effect: { onHand: number; reserved: number },
): Promise<void> {
  if (totals.length === 0) return;
  const ids = totals.map((t) => t.productId);
  await tx.query('select id from products where id = any($1::uuid[]) order by id for update', [ids]);
  await tx.query(
    `
    update products p set stock_on_hand = p.stock_on_hand + d.q * $3::bigint, reserved = p.reserved + d.q * $4::bigint, updated_at = now()
    from unnest($1::uuid[], $2::bigint[]) as d(id, q) where p.id = d.id`,
    [ids, totals.map((t) => t.quantity.toString()), effect.onHand, effect.reserved],
  );
}

async function loadReservation(q: Sql, orderId: string): Promise<Reservation | undefined> {
  const [r] = await q.query<{ id: string; status: ReservationStatus; expires_at: string }>(
    'select id, status, expires_at from reservations where order_id = $1',
    [orderId],
  );
  if (!r) return undefined;
  const lines = await q.query<LineRow>(
    `select ${LINE_COLUMNS} from reservation_lines where order_id = $1 order by product_id`,
    [orderId],
  );
  return { id: r.id, orderId, status: r.status, expiresAt: toDate(r.expires_at), items: lines.map(toItem) };
}

/** Takes one line's units with a conditional update: it succeeds only if enough stock is available right now. */
async function takeLine(tx: Sql, line: SummedLine): Promise<ReservedItem> {
  const [row] = await tx.query<Omit<LineRow, 'product_id' | 'quantity'>>(
    `
    update products set reserved = reserved + $2::bigint, updated_at = now()
    where id = $1 and active and stock_on_hand - reserved >= $2::bigint
    returning sku, name, price_minor::text as unit_price_minor, currency_code, tax_class`,
    [line.productId, line.quantity.toString()],
  );
  if (row) return toItem({ ...row, product_id: line.productId, quantity: line.quantity.toString() });
  const [p] = await tx.query<{ active: boolean }>('select active from products where id = $1', [line.productId]);
  const field = `lines[${line.index}].product_id`;
  if (!p) throw failedPrecondition(`product ${line.productId} does not exist`, field);
  if (!p.active) throw failedPrecondition(`product ${line.productId} is not available`, field);
  throw failedPrecondition(`insufficient stock for product ${line.productId}`, field);
}

/** Reservations on PostgreSQL; every stock change is a guarded conditional update. */
export function createInventoryRepository(db: Database): InventoryRepository {
  return {
    reserve: (orderId, lines, expiresAt) =>
      db.transaction(async (tx) => {
        // Claiming the order id first makes a concurrent duplicate wait for us, then see our row.
        const claimed = await tx.query(
          `
        insert into reservations (order_id, id, status, expires_at) values ($1, $2, 'reserved', $3)
        on conflict (order_id) do nothing returning id`,
          [orderId, randomUUID(), expiresAt.toISOString()],
        );
        if (claimed.length === 0) return { reservation: (await loadReservation(tx, orderId))!, created: false };
        const items: ReservedItem[] = [];
        for (const line of lines) items.push(await takeLine(tx, line));
        await tx.query(
          `
        insert into reservation_lines (order_id, product_id, sku, name, unit_price_minor, currency_code, tax_class, quantity)
        select $1, * from unnest($2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::bigint[])`,
          [
            orderId,
            items.map((i) => i.productId),
            items.map((i) => i.sku),
            items.map((i) => i.name),
            items.map((i) => i.unitPriceMinor.toString()),
            items.map((i) => i.currencyCode),
            items.map((i) => i.taxClass),
            items.map((i) => i.quantity.toString()),
          ],
        );
        return { reservation: (await loadReservation(tx, orderId))!, created: true };
      }),

    transition: (orderId, from, to) =>
      db.transaction(async (tx) => {
        // The guarded update is the idempotency check: only one caller can move a row out of `from`.
        const [moved] = await tx.query<{ status: string }>(
          `
        update reservations set status = $3, updated_at = now() where order_id = $1 and status = $2 returning status`,
          [orderId, from, to],
        );
        if (!moved) {
          const [current] = await tx.query<{ status: string }>('select status from reservations where order_id = $1', [
            orderId,
          ]);
          return { before: current?.status, items: [] };
        }
        const lines = (
          await tx.query<LineRow>(`select ${LINE_COLUMNS} from reservation_lines where order_id = $1`, [orderId])
        ).map(toItem);
        await adjustStock(tx, lines, EFFECTS[to]);
        return { before: from, items: lines };
      }),

    expireOverdue: (limit) =>
      db.transaction(async (tx) => {
        // SKIP LOCKED lets several replicas sweep at once without blocking on each other's batch.
        const totals = await tx.query<{ product_id: string; q: string }>(
          `
        with due as (
          select order_id from reservations where status = 'reserved' and expires_at <= now()
          order by expires_at limit $1 for update skip locked
        ), expired as (
          update reservations r set status = 'expired', updated_at = now() from due where r.order_id = due.order_id returning r.order_id
        )
        select l.product_id, sum(l.quantity)::text as q from reservation_lines l join expired using (order_id) group by l.product_id`,
          [limit],
        );
        await adjustStock(
          tx,
          totals.map((t) => ({ productId: t.product_id, quantity: BigInt(t.q) })),
          EFFECTS.expired,
        );
        return totals.map((t) => t.product_id);
      }),
  };
}

export { loadReservation };
