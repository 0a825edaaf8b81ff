import { randomUUID } from 'node:crypto';
import { admin, type InfraEnv } from '@ordersystem/testing';
import { Pool, type PoolClient } from 'pg';
import { type Figures, figuresOf } from './stats.js';

/**
 * The floor: the order transaction the system performs, done directly in PostgreSQL from this one
 * Node process with no services in between. One transaction per order: claim a reservation,
 * take the stock with the catalog's conditional UPDATE, record the reservation line, insert the
 * order, its line, its history rows and its outbox rows (placed + confirmed, as the system writes
 * them), and NOTIFY the relay. Schema shapes follow the catalog and orders migrations.
 */
export async function runFloor(
  infra: InfraEnv,
  o: { concurrency: number; seconds: number; products: number },
): Promise<Figures> {
  const schema = `bench_floor_${randomUUID().slice(0, 8)}`;
  await admin(infra, `create schema ${schema} authorization orders_svc`);
  const pool = new Pool({
    connectionString: infra.serviceUrls.orders,
    max: o.concurrency,
    options: `-c search_path=${schema}`,
  });
  try {
    const productIds = await createTables(pool, o.products);
    const latencies: number[] = [];
    let errors = 0;
    const end = Date.now() + o.seconds * 1000;
    const started = Date.now();
    const worker = async (w: number) => {
      for (let i = 0; Date.now() < end; i++) {
        const t0 = performance.now();
        try {
          await placeOne(pool, productIds[(w * 7 + i) % productIds.length]!);
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    };
    await Promise.all(Array.from({ length: o.concurrency }, (_, w) => worker(w)));
    return figuresOf('floor: order transaction in PostgreSQL', latencies, errors, (Date.now() - started) / 1000);
  } finally {
    await pool.end();
    await admin(infra, `drop schema ${schema} cascade`);
  }
}

const PAYLOAD = Buffer.alloc(320, 7); // about the size of an encoded OrderEvent with one line

async function placeOne(pool: Pool, productId: string): Promise<void> {
  const orderId = randomUUID();
  const customerId = randomUUID();
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `insert into reservations (order_id, id, status, expires_at) values ($1, $2, 'reserved', now() + interval '15 minutes') on conflict (order_id) do nothing`,
      [orderId, randomUUID()],
    );
    const taken = await client.query<{ sku: string; name: string; price_minor: string; tax_class: string }>(
      `update products set reserved = reserved + 1, updated_at = now() where id = $1 and active and stock_on_hand - reserved >= 1
       returning sku, name, price_minor::text, tax_class`,
      [productId],
    );
    const p = taken.rows[0];
    if (!p) throw new Error('insufficient stock');
    await client.query(
      `insert into reservation_lines (order_id, product_id, quantity, sku, name, unit_price_minor, currency_code, tax_class) values ($1, $2, 1, $3, $4, $5, 'KES', $6)`,
      [orderId, productId, p.sku, p.name, p.price_minor, p.tax_class],
    );
    const tax = (BigInt(p.price_minor) * 1600n) / 10000n;
    const total = BigInt(p.price_minor) + tax;
    await client.query(
      `insert into orders (id, customer_id, idempotency_key, request_hash, status, payment_method, currency, subtotal_minor, tax_minor, total_minor,
         delivery_address, note, contact_name, contact_email, contact_phone)
       values ($1, $2, $3, 'hash', 'confirmed', 'pay_on_delivery', 'KES', $4, $5, $6, $7::jsonb, '', 'Bench', 'bench@bench.test', '+254720000000')
       on conflict do nothing`,
      [
        orderId,
        customerId,
        randomUUID(),
        p.price_minor,
        tax.toString(),
        total.toString(),
        JSON.stringify({ line1: '1 Bench Street', city: 'Nairobi', countryCode: 'KE' }),
      ],
    );
    await client.query(
      `insert into order_lines (order_id, position, product_id, sku, name, tax_class, tax_rate_bp, quantity, unit_price_minor, line_subtotal_minor, line_tax_minor, line_total_minor)
       values ($1, 0, $2, $3, $4, $5, 1600, 1, $6, $6, $7, $8)`,
      [orderId, productId, p.sku, p.name, p.tax_class, p.price_minor, tax.toString(), total.toString()],
    );
    await client.query(
      `insert into order_status_history (order_id, from_status, to_status, actor_id, actor_role, reason) values ($1, null, 'pending', $2, 'customer', 'order placed'), ($1, 'pending', 'confirmed', '', 'system', 'payment settled')`,
      [orderId, customerId],
    );
    await client.query(
      `insert into outbox (event_id, order_id, event_type, payload, headers) values ($1, $3, 'placed', $4, '{}'), ($2, $3, 'confirmed', $4, '{}')`,
      [randomUUID(), randomUUID(), orderId, PAYLOAD],
    );
    await client.query(`select pg_notify('bench_outbox', '')`);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The catalog's products/reservations and the orders' tables, trimmed to what the transaction touches. */
export async function createTables(pool: Pool, products: number): Promise<string[]> {
  const c: PoolClient = await pool.connect();
  try {
    await c.query(`
      create table products (id uuid primary key, sku text not null unique, name text not null, price_minor bigint not null check (price_minor > 0),
        currency_code char(3) not null, tax_class text not null, stock_on_hand bigint not null check (stock_on_hand >= 0),
        reserved bigint not null default 0 check (reserved >= 0), active boolean not null default true, updated_at timestamptz not null default now(),
        constraint products_no_oversell check (reserved <= stock_on_hand));
      create table reservations (order_id uuid primary key, id uuid not null unique, status text not null, expires_at timestamptz not null,
        created_at timestamptz not null default now(), updated_at timestamptz not null default now());
      create index reservations_expiry_idx on reservations (expires_at) where status = 'reserved';
      create table reservation_lines (order_id uuid not null references reservations (order_id), product_id uuid not null references products (id),
        quantity bigint not null check (quantity > 0), sku text not null, name text not null, unit_price_minor bigint not null, currency_code char(3) not null,
        tax_class text not null, primary key (order_id, product_id));
      create sequence order_number_seq;
      create table orders (id uuid primary key, seq bigint not null unique default nextval('order_number_seq'), customer_id uuid not null,
        idempotency_key text not null, request_hash text not null, status text not null, payment_method text not null, currency char(3) not null,
        subtotal_minor bigint not null, tax_minor bigint not null, total_minor bigint not null, delivery_address jsonb not null, note text not null default '',
        contact_name text not null, contact_email text not null, contact_phone text not null, version integer not null default 1,
        created_at timestamptz not null default now(), updated_at timestamptz not null default now(),
        constraint orders_total_exact check (subtotal_minor + tax_minor = total_minor), constraint orders_idempotency unique (customer_id, idempotency_key));
      create index orders_customer_seq on orders (customer_id, seq desc);
      create index orders_status_seq on orders (status, seq desc);
      create index orders_created_at on orders (created_at);
      create table order_lines (order_id uuid not null references orders (id) on delete cascade, position integer not null, product_id uuid not null,
        sku text not null, name text not null, tax_class text not null, tax_rate_bp integer not null, quantity bigint not null check (quantity > 0),
        unit_price_minor bigint not null, line_subtotal_minor bigint not null, line_tax_minor bigint not null, line_total_minor bigint not null,
        primary key (order_id, position));
      create table order_status_history (id bigserial primary key, order_id uuid not null references orders (id) on delete cascade, from_status text,
        to_status text not null, actor_id text not null, actor_role text not null, reason text not null default '', changed_at timestamptz not null default now());
      create index order_status_history_order on order_status_history (order_id, id);
      create table outbox (id bigserial primary key, event_id uuid not null unique, order_id uuid not null, event_type text not null, payload bytea not null,
        headers jsonb not null default '{}', created_at timestamptz not null default now(), sent_at timestamptz);
      create index outbox_unsent on outbox (id) where sent_at is null;`);
    // Ids md5(n)::uuid, so the pgbench floor can name product n without a lookup.
    const rows = await c.query<{ id: string }>(
      `insert into products (id, sku, name, price_minor, currency_code, tax_class, stock_on_hand)
       select md5(n::text)::uuid, 'FLOOR-' || n, 'Floor product ' || n, 1000 + n * 37, 'KES', 'standard', 1000000000
       from generate_series(1, $1::int) as n returning id`,
      [products],
    );
    return rows.rows.map((r) => r.id);
  } finally {
    c.release();
  }
}
