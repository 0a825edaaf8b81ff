import { Migration } from '@mikro-orm/migrations';

/** The delivery table: one row per (event, channel, recipient), and the dispatcher's schedule. */
export class Migration0001Notifications extends Migration {
  override up(): void {
    this.addSql(`
      create table notifications (
        id uuid primary key,
        -- keyset pagination order for the admin list
        seq bigint generated always as identity unique,
        event_id text not null,
        event_kind text not null,
        order_id text not null,
        channel text not null check (channel in ('sms', 'email')),
        recipient text not null,
        subject text,
        body_text text not null,
        body_html text,
        status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed', 'dead')),
        attempts int not null default 0,
        provider_message_id text,
        last_error text,
        next_attempt_at timestamptz not null default now(),
        -- lease of a 'sending' row; past it the outcome of the provider call is unknown
        claimed_until timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        sent_at timestamptz,
        -- W3C trace context of the consume span, so the send (minutes later, maybe) links to it
        trace_context jsonb,
        -- the dedupe key: Kafka redelivery meets this constraint (INSERT ... ON CONFLICT DO NOTHING)
        constraint notifications_dedupe_key unique (event_id, channel, recipient)
      )`);
    this.addSql(
      `create index notifications_due_idx on notifications (next_attempt_at) where status in ('pending', 'failed')`,
    );
    this.addSql(`create index notifications_sending_idx on notifications (claimed_until) where status = 'sending'`);
    this.addSql(`create index notifications_dead_idx on notifications (seq) where status = 'dead'`);
  }
}
