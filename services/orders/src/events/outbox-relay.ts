import {
  type Link,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  isSpanContextValid,
  trace,
} from '@opentelemetry/api';
import { Client } from 'pg';
import { contextFromHeaders, type Logger } from '@ordersystem/platform';
import type { KafkaPublisher } from './kafka-publisher.js';

export interface OutboxRelayOptions {
  databaseUrl: string;
  schema: string;
  publisher: Pick<KafkaPublisher, 'send'>;
  logger: Logger;
  batchSize: number;
  /** Called with the number of events published by each successful batch (metrics). */
  onPublished?: (count: number) => void;
}

interface OutboxRow {
  id: string;
  order_id: string;
  event_id: string;
  event_type: string;
  payload: Buffer;
  headers: Record<string, string>;
}

/**
 * Publishes the outbox to Kafka in id order and marks rows sent. It holds one dedicated
 * connection carrying a session advisory lock, so exactly one replica publishes (keeping each
 * order's events in order); if that connection dies the lock goes with it and another replica
 * takes over. It LISTENs for the commit-time NOTIFY; the platform worker that runs `pass` polls
 * as a fallback (also how often a follower retries the leader lock) and backs off while Kafka
 * is down, so rows wait and the same batch is retried; delivery is at-least-once (consumers
 * dedupe on event_id), never lossy, never reordered per order.
 */
export class OutboxRelay {
  private client: Client | undefined;
  private leader = false;
  private notified: () => void = () => undefined;

  constructor(private readonly o: OutboxRelayOptions) {}

  /** Called on every commit-time NOTIFY (main.ts wakes the relay's worker with it). */
  onNotify(listener: () => void): void {
    this.notified = listener;
  }

  /** One batch: become leader if we can, publish unsent rows, mark them. Returns rows published. */
  async pass(): Promise<number> {
    const db = await this.connection();
    if (!this.leader) {
      const res = await db.query<{ ok: boolean }>(
        `select pg_try_advisory_lock(hashtext(current_schema() || '.outbox_relay')) as ok`,
      );
      this.leader = res.rows[0]?.ok === true;
      if (!this.leader) return 0;
      this.o.logger.info('outbox relay: this replica publishes');
    }
    const { rows } = await db.query<OutboxRow>(
      `select id, order_id, event_id, event_type, payload, headers from outbox where sent_at is null order by id limit $1`,
      [this.o.batchSize],
    );
    if (rows.length === 0) return 0;
    await publishTraced(rows, () =>
      this.o.publisher.send(
        rows.map((r) => ({
          key: r.order_id,
          value: r.payload,
          headers: {
            ...r.headers,
            // `traceparent` becomes the producer span's (consumers continue from it); the placing
            // request's own context is kept alongside, since the publish happens in another trace.
            ...(r.headers.traceparent ? { 'request-traceparent': r.headers.traceparent } : {}),
            'event-id': r.event_id,
            'event-type': r.event_type,
            'content-type': 'application/x-protobuf',
          },
        })),
      ),
    );
    await db.query(`update outbox set sent_at = now() where id = any($1::bigint[])`, [rows.map((r) => r.id)]);
    this.o.onPublished?.(rows.length);
    return rows.length;
  }

  /** Ends the dedicated connection (and with it the leader lock); stop the worker first. */
  async close(): Promise<void> {
    await this.dropConnection();
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.o.databaseUrl });
    client.on('error', (err) => {
      this.o.logger.warn({ err }, 'outbox relay: database connection lost');
      void this.dropConnection();
    });
    client.on('notification', () => this.notified());
    await client.connect();
    await client.query(`set search_path to "${this.o.schema}"`);
    await client.query(`listen "orders_outbox_${this.o.schema}"`);
    this.client = client;
    return client;
  }

  private async dropConnection(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.leader = false;
    // The connection is being discarded (often because it already broke); nothing is left to undo.
    await client
      ?.end()
      .catch((err: unknown) => this.o.logger.debug({ err }, 'outbox relay: connection did not end cleanly'));
  }
}

const tracer = trace.getTracer('@ordersystem/orders');

/**
 * The relay runs long after the placing requests ended, and one batch carries events of many
 * requests, so the publish cannot be a child of any one of them. It gets its own span that links
 * to every row's stored request context; the Kafka producer spans (which replace the stored
 * traceparent with their own) are its children, so a consumer can follow the links back.
 */
async function publishTraced(rows: OutboxRow[], publish: () => Promise<void>): Promise<void> {
  const links: Link[] = rows
    .map((r) => trace.getSpanContext(contextFromHeaders(r.headers)))
    .filter((c) => c !== undefined && isSpanContextValid(c))
    .map((c) => ({ context: c! }));
  const span = tracer.startSpan(
    'outbox publish',
    { kind: SpanKind.INTERNAL, links, attributes: { 'messaging.batch.message_count': rows.length } },
    ROOT_CONTEXT,
  );
  try {
    await context.with(trace.setSpan(ROOT_CONTEXT, span), publish);
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw err;
  } finally {
    span.end();
  }
}
