import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { NotificationAdminService } from '@ordersystem/contracts/ordersystem/notifications/v1/notifications';
import type { RunningService } from '@ordersystem/testing';
import { ADMIN_EMAIL, type Harness, anOrderEvent, eventually, startHarness } from './fixtures';

jest.setTimeout(60_000);

describe('notifications delivery', () => {
  let h: Harness;
  let svc: RunningService;

  beforeAll(async () => {
    h = await startHarness('delivery');
    // Debug: the per-event "order event stored" line (how a redelivery shows) is not logged at info.
    svc = await h.start({ LOG_LEVEL: 'debug' });
  });
  afterAll(() => h?.close());

  const smsTo = (phone: string) => h.twilio.messages.filter((m) => m.to === phone);
  const mailsAbout = (orderNumber: string) => h.smtp.mails.filter((m) => m.subject.includes(orderNumber));
  const rowsOf = (eventId: string) => h.db.rows('event_id = $1', [eventId]);
  const admin = () =>
    createClient(NotificationAdminService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${svc.port}` }));

  it('sends exactly one SMS and one email for a confirmed order, and nothing new when the event is redelivered', async () => {
    const event = anOrderEvent('confirmed');
    await h.produce(event);
    await eventually(
      async () =>
        (await rowsOf(event.eventId)).every((r) => r.status === 'sent') && (await rowsOf(event.eventId)).length === 2,
    );
    const [sms] = smsTo(event.order!.customer!.phoneNumber);
    expect(sms?.body).toContain(event.order!.number);
    expect(sms?.body).toContain('€10.80');
    const smsRow = (await rowsOf(event.eventId)).find((r) => r.channel === 'sms');
    expect(sms?.idempotency_token).toBe(smsRow?.id);
    expect(smsRow?.provider_message_id).toBe(sms?.sid);
    const [mail] = mailsAbout(event.order!.number);
    expect(mail?.to).toEqual([ADMIN_EMAIL]);
    expect(mail?.text).toContain('2 x Green tea (TEA-1)');
    expect(mail?.html).toContain('<h1>');

    await h.produce(event);
    await eventually(() => svc.logs.some((l) => l.eventId === event.eventId && l.stored === 0));
    await h.produce(anOrderEvent('placed')); // a later event flows through, so the redelivery was fully handled
    expect(smsTo(event.order!.customer!.phoneNumber)).toHaveLength(1);
    expect(mailsAbout(event.order!.number)).toHaveLength(1);
    expect(await rowsOf(event.eventId)).toHaveLength(2);
  });

  it('delivers everything once a provider that was down (5xx, timeouts, 451) is back', async () => {
    h.twilio.failNext({ kind: 'hang' });
    h.twilio.failNext({ kind: 'status', status: 503 }, 2);
    h.smtp.failNext(451, 2);
    const events = [anOrderEvent('confirmed'), anOrderEvent('confirmed')];
    for (const e of events) await h.produce(e);
    for (const e of events) {
      await eventually(async () => (await rowsOf(e.eventId)).filter((r) => r.status === 'sent').length === 2);
      expect(smsTo(e.order!.customer!.phoneNumber)).toHaveLength(1);
      expect(mailsAbout(e.order!.number)).toHaveLength(1);
    }
    const rows = (await Promise.all(events.map((e) => rowsOf(e.eventId)))).flat();
    expect(rows.some((r) => (r.attempts as number) > 1)).toBe(true);
  });

  it('makes a permanent error dead without retrying, publishes it to the dead-letter topic, and replays it', async () => {
    const event = anOrderEvent('shipped');
    const before = h.twilio.requestCount();
    h.twilio.failNext({ kind: 'permanent', code: 21211 });
    await h.produce(event);
    const row = await eventually(async () => (await rowsOf(event.eventId)).find((r) => r.status === 'dead'));
    expect(row).toMatchObject({ attempts: 1, channel: 'sms' });
    expect(row!.last_error).toContain('21211');
    expect(h.twilio.requestCount() - before).toBe(1);
    const letter = await eventually(() => h.deadLetters.records.find((r) => r.key?.toString() === row!.id));
    expect(letter.headers?.['x-dead-letter-kind']?.toString()).toBe('notification');
    expect(letter.headers?.['x-dead-letter-reason']?.toString()).toContain('21211');

    const listed = await admin().listDeadNotifications({});
    expect(listed.notifications.map((n) => n.id)).toContain(row!.id);
    expect(
      (await admin().replayDeadNotifications({ target: { case: 'id', value: row!.id as string } })).replayedCount,
    ).toBe(1);
    await eventually(async () => (await rowsOf(event.eventId))[0]?.status === 'sent');
    expect(smsTo(event.order!.customer!.phoneNumber)).toHaveLength(1);
  });

  it('lists and replays dead notifications from the CLI; a rejected email address is dead at once', async () => {
    const event = anOrderEvent('confirmed');
    h.smtp.failNext(550);
    await h.produce(event);
    const dead = await eventually(async () => (await rowsOf(event.eventId)).find((r) => r.status === 'dead'));
    expect(dead).toMatchObject({ channel: 'email', attempts: 1 });
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, [path.join(__dirname, '../dist/cli.js'), ...args], {
        env: { NOTIFICATIONS_URL: `http://127.0.0.1:${svc.port}` },
      });
    expect((await cli('list-dead')).stdout).toContain(`${dead.id}\temail\t${ADMIN_EMAIL}\tattempts=1`);
    expect((await cli('replay', '--all')).stdout).toMatch(/^replayed [1-9]/);
    await eventually(async () => (await rowsOf(event.eventId)).every((r) => r.status === 'sent'));
    expect(mailsAbout(event.order!.number)).toHaveLength(1);
  });

  it('honours Retry-After on 429 instead of the (much shorter) backoff', async () => {
    const event = anOrderEvent('delivered');
    h.twilio.failNext({ kind: 'rate-limit', retryAfterSeconds: 2 });
    await h.produce(event);
    const limited = await eventually(async () =>
      (await rowsOf(event.eventId)).find((r) => String(r.last_error).startsWith('rate-limited')),
    );
    const waitMs = (limited.next_attempt_at as Date).getTime() - (limited.updated_at as Date).getTime();
    // Backoff alone could never wait longer than RETRY_CAP_MS (1 s in tests); Retry-After says 2 s.
    expect(waitMs).toBeGreaterThan(1_000);
    const sent = await eventually(async () => (await rowsOf(event.eventId)).find((r) => r.status === 'sent'));
    expect(sent.attempts).toBe(2);
    expect(smsTo(event.order!.customer!.phoneNumber)).toHaveLength(1);
  });

  it('sends an undecodable message to the dead-letter topic with the reason and keeps consuming', async () => {
    await h.produce(Buffer.from('definitely not protobuf \xff\xff'));
    const next = anOrderEvent('shipped');
    await h.produce(next, 'poison'); // same key → same partition, behind the poison message
    const letter = await eventually(() =>
      h.deadLetters.records.find((r) => r.headers?.['x-dead-letter-kind']?.toString() === 'undecodable'),
    );
    expect(letter.headers?.['x-dead-letter-reason']?.toString()).toMatch(/OrderEvent|missing/);
    expect(letter.headers?.['x-original-topic']?.toString()).toBe(h.topic);
    await eventually(async () => (await rowsOf(next.eventId))[0]?.status === 'sent');
  });

  it('reports delivery metrics, breaker state, consumer lag and a ready consumer', async () => {
    const ops = `http://127.0.0.1:${svc.opsPort}`;
    const ready = (await (await fetch(`${ops}/readyz`)).json()) as { checks: Record<string, string> };
    expect(ready.checks['kafka-consumer']).toBe('ok');
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    expect(metrics).toMatch(/notifications_sent_total\{[^}]*channel="sms"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/notifications_dead_total\{[^}]*channel="email"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/notifications_retried_total\{[^}]*channel="sms"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/notifications_breaker_state\{[^}]*provider="twilio"[^}]*\} 0/);
    expect(metrics).toMatch(/notifications_provider_duration_seconds_count\{[^}]*channel="sms"[^}]*outcome="ok"/);
    expect(metrics).toMatch(/notifications_consumer_lag\{[^}]*partition="0"[^}]*\} 0/);
  });
});
