import { Migration } from '@mikro-orm/migrations';

/**
 * Orders, their lines and status history; the event outbox; the catalog follow-up queue; and
 * the reservation journal used by start-up recovery. Money is bigint minor units throughout.
 */
export class Migration0001Orders extends Migration {
  override up(): void {
    this.addSql(`create sequence order_number_seq`);
    this.addSql(`create table orders (
      id uuid primary key,
      seq bigint not null unique default nextval('order_number_seq'),
      customer_id uuid not null,
      idempotency_key text not null,
      request_hash text not null,
      status text not null check (status in ('pending','confirmed','shipped','delivered','cancelled')),
      payment_method text not null,
      currency char(3) not null,
      subtotal_minor bigint not null check (subtotal_minor >= 0),
      tax_minor bigint not null check (tax_minor >= 0),
      total_minor bigint not null,
      delivery_address jsonb not null,
      note text not null default '',
      contact_name text not null,
      contact_email text not null,
      contact_phone text not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint orders_total_exact check (subtotal_minor + tax_minor = total_minor),
      constraint orders_idempotency unique (customer_id, idempotency_key)
    )`);
    this.addSql(`alter sequence order_number_seq owned by orders.seq`);
    this.addSql(`create index orders_customer_seq on orders (customer_id, seq desc)`);
    this.addSql(`create index orders_status_seq on orders (status, seq desc)`);
    this.addSql(`create index orders_created_at on orders (created_at)`);
    this.addSql(`create table order_lines (
      order_id uuid not null references orders (id) on delete cascade,
      position integer not null,
      product_id uuid not null,
      sku text not null,
      name text not null,
      tax_class text not null,
      tax_rate_bp integer not null,
      quantity bigint not null check (quantity > 0),
      unit_price_minor bigint not null,
      line_subtotal_minor bigint not null,
      line_tax_minor bigint not null,
      line_total_minor bigint not null,
      primary key (order_id, position),
      constraint order_lines_total_exact check (line_subtotal_minor + line_tax_minor = line_total_minor)
    )`);
    this.addSql(`create table order_status_history (
      id bigserial primary key,
      order_id uuid not null references orders (id) on delete cascade,
      from_status text,
      to_status text not null,
      actor_id text not null,
      actor_role text not null check (actor_role in ('customer','admin','system')),
      reason text not null default '',
      changed_at timestamptz not null default now()
    )`);
    this.addSql(`create index order_status_history_order on order_status_history (order_id, id)`);
    this.addSql(`create table outbox (
      id bigserial primary key,
      event_id uuid not null unique,
      order_id uuid not null,
      event_type text not null,
      payload bytea not null,
      headers jsonb not null default '{}',
      created_at timestamptz not null default now(),
      sent_at timestamptz
    )`);
    this.addSql(`create index outbox_unsent on outbox (id) where sent_at is null`);
    this.addSql(`create table catalog_tasks (
      id bigserial primary key,
      order_id uuid not null,
      action text not null check (action in ('commit_reservation','release_reservation','restock_order')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      leased_until timestamptz,
      last_error text,
      failed_at timestamptz,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index catalog_tasks_due on catalog_tasks (next_attempt_at) where failed_at is null`);
    this.addSql(`create index catalog_tasks_order on catalog_tasks (order_id, id)`);
    this.addSql(`create table pending_reservations (
      order_id uuid primary key,
      customer_id uuid not null,
      lease_until timestamptz not null,
      created_at timestamptz not null default now()
    )`);
  }
}
