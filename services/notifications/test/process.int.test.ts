import { randomBytes } from 'node:crypto';
import { toBinary } from '@bufbuild/protobuf';
import { OrderEventSchema } from '@ordersystem/contracts/ordersystem/orders/v1/events';
import {
  SpanKind,
  expectAliveNotReadyWhileStarting,
  expectHealthyService,
  startOtlpReceiver,
  startSilentDependency,
} from '@ordersystem/testing';
import { type Harness, anOrderEvent, eventually, startHarness } from './fixtures';

jest.setTimeout(60_000);

describe('notifications service process', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness('process');
  });
  afterAll(() => h?.close());

  it('answers gRPC health, readiness (database, brokers, a running consumer) and metrics', async () => {
    const svc = await h.start();
    await eventually(async () => (await fetch(`http://127.0.0.1:${svc.opsPort}/readyz`)).ok);
    await expectHealthyService(svc);
    expect(await svc.stop('SIGTERM')).toBe(0);
  });

  it('answers probes, alive and not ready, while Kafka does not answer yet', async () => {
    const kafka = await startSilentDependency();
    try {
      await expectAliveNotReadyWhileStarting('notifications', { ...h.env, KAFKA_BROKERS: kafka.address });
    } finally {
      kafka.close();
    }
  });

  it('stops cleanly on SIGTERM after finishing the dispatch in flight', async () => {
    const svc = await h.start({ DISPATCH_INTERVAL_MS: '50' });
    h.twilio.failNext({ kind: 'hang' });
    const event = anOrderEvent('shipped');
    await h.produce(event);
    await eventually(
      async () => (await h.db.rows('event_id = $1 and status = $2', [event.eventId, 'sending'])).length === 1,
    );
    expect(await svc.stop('SIGTERM')).toBe(0);
    const [row] = await h.db.rows('event_id = $1', [event.eventId]);
    // The timed-out attempt was recorded before the database closed: never left 'sending'.
    expect(['failed', 'sent']).toContain(row!.status);
    expect(row!.attempts).toBeGreaterThanOrEqual(1);
    expect(String(row!.last_error ?? 'transient')).toMatch(/^transient/);
  });

  it('links the consume span to the producer context and the send span to the consume span', async () => {
    const otlp = await startOtlpReceiver();
    try {
      const svc = await h.start({
        OTEL_SERVICE_NAME: 'notifications',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      });
      const [traceId, producerSpanId] = [randomBytes(16).toString('hex'), randomBytes(8).toString('hex')];
      const event = anOrderEvent('shipped');
      await h.produceRaw({
        key: event.orderId,
        value: Buffer.from(toBinary(OrderEventSchema, event)),
        headers: { traceparent: `00-${traceId}-${producerSpanId}-01` },
      });
      const consume = await eventually(() =>
        otlp.spans.find(
          (s) =>
            s.kind === SpanKind.CONSUMER &&
            s.name === `${h.topic} process` &&
            s.links.some((l) => l.traceId === traceId && l.spanId === producerSpanId),
        ),
      );
      expect(consume.traceId).not.toBe(traceId);
      const send = await eventually(() =>
        otlp.spans.find((s) => s.name === 'notification send' && s.links.some((l) => l.spanId === consume.spanId)),
      );
      const twilioPort = String(h.twilio.port);
      await eventually(() =>
        otlp.spans.find(
          (s) =>
            s.kind === SpanKind.CLIENT &&
            s.parentSpanId === send.spanId &&
            Object.values(s.attributes).some((v) => String(v).includes(twilioPort)),
        ),
      );
      expect(await svc.stop('SIGTERM')).toBe(0);
    } finally {
      await otlp.close();
    }
  });
});
