import { Migration } from '@mikro-orm/migrations';

/**
 * Payments on the order (state, provider reference, amounts paid and refunded, last failure) and the
 * provider events already applied, so a redelivered webhook changes nothing. Orders placed before
 * this migration were all pay on delivery.
 */
export class Migration0002Payments extends Migration {
  override up(): void {
    this.addSql(`alter table orders
      add column payment_state text not null default 'on_delivery' check (payment_state in
        ('on_delivery','requires_payment','paid','failed','canceled','refund_pending','refunded')),
      add column payment_provider text not null default '',
      add column payment_reference text not null default '',
      add column amount_paid_minor bigint not null default 0 check (amount_paid_minor >= 0),
      add column refunded_minor bigint not null default 0 check (refunded_minor >= 0),
      add column payment_failure text not null default '',
      add column refund_reference text not null default ''`);
    // The workers look for card orders still waiting for their payment, oldest first.
    this.addSql(`create index orders_awaiting_payment on orders (updated_at)
      where payment_state in ('requires_payment','failed','refund_pending')`);
    this.addSql(`create table payment_events (
      event_id text primary key,
      provider text not null,
      order_id uuid,
      outcome text not null,
      received_at timestamptz not null default now()
    )`);
  }
}
