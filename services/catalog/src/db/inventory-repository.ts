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

/**
 * Takes every line's units and stores the reservation's lines in ONE statement: the products are
 * locked in id order first (the order adjustStock uses, so no two transactions deadlock), then each
 * is taken with a conditional update that succeeds only if enough stock is available right now.
 * Returns what was taken; a line missing from the result could not be taken, and its reason is
 * looked up (the caller's transaction is then rolled back, lines included).
 */
async function takeLines(tx: Sql, orderId: string, lines: readonly SummedLine[]): Promise<ReservedItem[]> {
  const rows = await tx.query<LineRow>(
    `
    with locked as (
      select id from products where id = any($2::uuid[]) order by id for update
    ), taken as (
      update products p set reserved = p.reserved + d.q, updated_at = now()
      from unnest($2::uuid[], $3::bigint[]) as d(id, q), locked l
      where p.id = d.id and l.id = d.id and p.active and p.stock_on_hand - p.reserved >= d.q
      returning p.id as product_id, p.sku, p.name, p.price_minor as unit_price_minor, p.currency_code, p.tax_class, d.q as quantity
    ), stored as (
      insert into reservation_lines (order_id, product_id, sku, name, unit_price_minor, currency_code, tax_class, quantity)
      select $1, product_id, sku, name, unit_price_minor, currency_code, tax_class, quantity from taken
    )
    select product_id, sku, name, unit_price_minor::text, currency_code, tax_class, quantity::text from taken`,
    [orderId, lines.map((l) => l.productId), lines.map((l) => l.quantity.toString())],
  );
  const byId = new Map(rows.map((r) => [String(r.product_id).toLowerCase(), toItem(r)]));
  const missing = lines.find((l) => !byId.has(l.productId.toLowerCase()));
  if (missing) await refusal(tx, missing);
  return lines.map((l) => byId.get(l.productId.toLowerCase())!);
}

/** Why one line could not be taken, as the error naming it. */
async function refusal(tx: Sql, line: SummedLine): Promise<never> {
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
        const id = randomUUID();
        const claimed = await tx.query(
          `
        insert into reservations (order_id, id, status, expires_at) values ($1, $2, 'reserved', $3)
        on conflict (order_id) do nothing returning id`,
          [orderId, id, expiresAt.toISOString()],
        );
        if (claimed.length === 0) return { reservation: (await loadReservation(tx, orderId))!, created: false };
        const items = await takeLines(tx, orderId, lines);
        // Built from what the statements returned: re-reading it would be two more round trips.
        return { reservation: { id, orderId, status: 'reserved', expiresAt, items }, created: true };
      }),

    renew: (orderId, lines, expiresAt) =>
      db.transaction(async (tx) => {
        // The guarded update locks the row, so of two concurrent retries only one takes the stock.
        const renewed = await tx.query<{ id: string }>(
          `
        update reservations set status = 'reserved', expires_at = $2, updated_at = now()
        where order_id = $1 and status in ('released', 'expired') returning id`,
          [orderId, expiresAt.toISOString()],
        );
        if (renewed.length === 0) return { reservation: (await loadReservation(tx, orderId))!, created: false };
        await tx.query('delete from reservation_lines where order_id = $1', [orderId]);
        const items = await takeLines(tx, orderId, lines);
        return { reservation: { id: renewed[0]!.id, orderId, status: 'reserved', expiresAt, items }, created: true };
      }),

    transition: async (orderId, from, to) => {
      // One statement, so one round trip and atomic without BEGIN/COMMIT. The guarded update is the
      // idempotency check (only one caller can move a row out of `from`); the products are locked in
      // id order before they are adjusted, the order ReserveStock and adjustStock use.
      const effect = EFFECTS[to];
      const lines = await db.query<LineRow>(
        `
        with moved as (
          update reservations set status = $3, updated_at = now() where order_id = $1 and status = $2 returning order_id
        ), lines as (
          select l.product_id, l.sku, l.name, l.unit_price_minor, l.currency_code, l.tax_class, l.quantity
          from reservation_lines l join moved using (order_id)
        ), locked as (
          select id from products where id in (select product_id from lines) order by id for update
        ), adjusted as (
          update products p set stock_on_hand = p.stock_on_hand + l.quantity * $4::bigint,
            reserved = p.reserved + l.quantity * $5::bigint, updated_at = now()
          from lines l where p.id = l.product_id and p.id in (select id from locked)
          returning p.id
        )
        select ${LINE_COLUMNS}, (select count(*) from adjusted) as adjusted from lines`,
        [orderId, from, to, effect.onHand, effect.reserved],
      );
      if (lines.length > 0) return { before: from, items: lines.map(toItem) };
      const [current] = await db.query<{ status: string }>('select status from reservations where order_id = $1', [
        orderId,
      ]);
      // Moved with no lines cannot happen (a reservation is stored with its lines); not moved is the common repeat.
      return { before: current?.status, items: [] };
    },

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
