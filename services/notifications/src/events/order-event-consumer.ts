import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { contextFromHeaders, type ReadinessCheck, traceHeaders } from '@ordersystem/platform';
import { ingestEvent } from '../app/ingest-event.js';
import type { CrashPoint, NotificationStore } from '../app/ports.js';
import type { createDeadLetters } from './dead-letters.js';
import { UndecodableMessage, decodeOrderEvent } from './order-event-mapper.js';

export interface ConsumerOptions {
  kafka: Kafka;
  admin: Admin;
  topic: string;
  groupId: string;
  sessionTimeoutMs: number;
  fromBeginning: boolean;
  store: NotificationStore;
  deadLetters: ReturnType<typeof createDeadLetters>;
  adminEmails: readonly string[];
  logger: Logger;
  /** Called after an event stored new rows, so the dispatcher sends them now rather than at its next poll. */
  onStored?: () => void;
  crash?: CrashPoint;
}

const tracer = trace.getTracer('notifications');

/**
 * How long a fetch waits at the broker for new records. kafkajs' default (5 s) is what a stop
 * waited for before leaving the group, and how late a member heard of a rebalance (it heartbeats
 * only between fetches); an idle fetch every half second costs nothing.
 */
const FETCH_WAIT_MS = 500;
/** A joining member waits for every other member to rejoin; they learn of it from a heartbeat. */
const HEARTBEAT_INTERVAL_MS = 1_000;

/**
 * Consumes order events with manual commits: each message's rows are stored first (one
 * idempotent INSERT), and only then is its offset committed (once per fetched batch). A crash between the two means a
 * redelivery, which the dedupe key absorbs. Nothing is sent here; the dispatcher sends from the
 * table, so a slow or failing provider never holds up the partition.
 */
export function createOrderEventConsumer(o: ConsumerOptions) {
  let stopping = false;
  const consumer: Consumer = o.kafka.consumer({
    groupId: o.groupId,
    sessionTimeout: o.sessionTimeoutMs,
    heartbeatInterval: HEARTBEAT_INTERVAL_MS,
    maxWaitTimeInMs: FETCH_WAIT_MS,
    // A join cut short by our own stop must not come back as a restart.
    retry: { retries: 5, restartOnFailure: async () => !stopping },
  });
  // Running = in the group or on the way in (a crash that kafkajs restarts counts as on the way).
  let running = false;
  let joining: Promise<void> = Promise.resolve();
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    running = payload.restart;
    o.logger.error({ err: payload.error, restart: payload.restart }, 'order event consumer crashed');
  });
  consumer.on(consumer.events.STOP, () => (running = false));

  /**
   * One fetched batch: each message is stored in turn (its own span), and the offset after the
   * last stored one is committed once for the batch, also when a later message fails, so the
   * retry starts there. Committing per message cost a Kafka round trip per event.
   */
  async function handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    let next: string | undefined;
    const commit = async () => {
      if (next !== undefined && !isStale()) await consumer.commitOffsets([{ topic, partition, offset: next }]);
    };
    try {
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        const stored = await handle(topic, partition, message);
        o.crash?.('after-store');
        if (stored > 0) o.onStored?.();
        resolveOffset(message.offset);
        next = (BigInt(message.offset) + 1n).toString();
        await heartbeat();
      }
    } catch (err) {
      // Keep what was stored before the failure: the retry starts after it, not at the batch's start.
      await commit().catch((e: unknown) => o.logger.warn({ err: e }, 'offset commit after a failed message failed'));
      throw err;
    }
    await commit();
  }

  async function handle(topic: string, partition: number, message: KafkaMessage): Promise<number> {
    // A new trace linked to the producer, not a child: the producing request ended long ago
    // (outbox), and a link keeps its trace small while still connecting the two.
    const producer = trace.getSpanContext(contextFromHeaders(message.headers));
    const span = tracer.startSpan(`${topic} process`, {
      kind: SpanKind.CONSUMER,
      root: true,
      links: producer ? [{ context: producer }] : [],
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.kafka.destination.partition': partition,
        'messaging.kafka.message.offset': Number(message.offset),
      },
    });
    try {
      const active = trace.setSpan(context.active(), span);
      return await context.with(active, () => storeOrDeadLetter(topic, partition, message, traceHeaders(active)));
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  }

  async function storeOrDeadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    traceContext: Record<string, string>,
  ): Promise<number> {
    try {
      const event = decodeOrderEvent(message.value);
      const stored = await ingestEvent(o.store, event, o.adminEmails, traceContext);
      // Debug: two lines per order at info were this service's busiest output under load.
      o.logger.debug({ eventId: event.eventId, kind: event.kind, stored }, 'order event stored');
      return stored;
    } catch (err) {
      if (!(err instanceof UndecodableMessage)) throw err;
      o.logger.warn(
        { topic, partition, offset: message.offset, reason: err.message },
        'undecodable message sent to the dead-letter topic',
      );
      await o.deadLetters.publishUndecodable({ topic, partition, message }, err.message);
      return 0;
    }
  }

  return {
    /**
     * Connects and subscribes, then joins the group in the background: a join lasts as long as
     * the other members take to rejoin, and nothing this process serves waits for it.
     */
    async start(): Promise<void> {
      await consumer.connect();
      await consumer.subscribe({ topic: o.topic, fromBeginning: o.fromBeginning });
      running = true;
      joining = consumer
        .run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: handleBatch })
        .catch((err: unknown) => {
          running = false;
          o.logger.error({ err }, 'order event consumer did not start');
        });
    },
    /** Leaves the group (LeaveGroup), so the partitions move to the other members at once. */
    async stop(): Promise<void> {
      stopping = true;
      // A member that vanished mid-join would hold up the others' rebalance until its session expired.
      await joining;
      await consumer.disconnect();
    },
    /** Ready while the consumer runs (joined or joining) and the brokers answer; see the README. */
    readiness: {
      name: 'kafka-consumer',
      check: async () => {
        if (!running) throw new Error('order event consumer is not running');
        await o.admin.describeCluster();
      },
    } satisfies ReadinessCheck,
    /** Per partition: log end offset minus the group's committed offset. */
    async lag(): Promise<Array<{ partition: number; lag: number }>> {
      const [ends, [committed]] = await Promise.all([
        o.admin.fetchTopicOffsets(o.topic),
        o.admin.fetchOffsets({ groupId: o.groupId, topics: [o.topic] }),
      ]);
      return ends.map((end) => {
        const c = committed?.partitions.find((p) => p.partition === end.partition);
        const done = c && Number(c.offset) >= 0 ? Number(c.offset) : Number(end.low);
        return { partition: end.partition, lag: Math.max(0, Number(end.high) - done) };
      });
    },
  };
}
