import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { NotificationAdminService } from '@ordersystem/contracts/ordersystem/notifications/v1/notifications';
import { type Harness, anOrderEvent, eventually, exited, startHarness } from './fixtures';

jest.setTimeout(60_000);

/**
 * The service kills itself with a real SIGKILL at a chosen point (CRASH_AT, test-only fault
 * injection), then a fresh process takes over the same schema, topic and consumer group.
 */
describe('notifications after SIGKILL', () => {
  let h: Harness;
  const FAST_GROUP = { KAFKA_SESSION_TIMEOUT_MS: '6000' };

  beforeAll(async () => {
    h = await startHarness('crash');
  });
  afterAll(() => h?.close());

  const rowsOf = (eventId: string) => h.db.rows('event_id = $1', [eventId]);
  const smsTo = (phone: string) => h.twilio.messages.filter((m) => m.to === phone);
  const mailsAbout = (orderNumber: string) => h.smtp.mails.filter((m) => m.subject.includes(orderNumber));
  const settled = async (eventId: string) =>
    (await rowsOf(eventId)).every((r) => r.status === 'sent' || r.status === 'dead');

  it('loses nothing and sends nothing twice when killed after storing rows but before committing the offset', async () => {
    // No dispatch pass can run before the kill, so only the consumer's step is interrupted.
    const crashing = await h.start({ ...FAST_GROUP, CRASH_AT: 'after-store', DISPATCH_INTERVAL_MS: '60000' });
    const event = anOrderEvent('confirmed');
    await h.produce(event);
    expect(await exited(crashing)).toBe('SIGKILL');
    expect(await rowsOf(event.eventId)).toHaveLength(2);

    // Debug: the per-event "order event stored" line is not logged at info.
    const restarted = await h.start({ ...FAST_GROUP, LOG_LEVEL: 'debug' });
    // The offset was never committed, so the event comes again and meets the dedupe key.
    await eventually(() => restarted.logs.some((l) => l.eventId === event.eventId && l.stored === 0));
    await eventually(async () => (await rowsOf(event.eventId)).every((r) => r.status === 'sent'));
    expect(smsTo(event.order!.customer!.phoneNumber)).toHaveLength(1);
    expect(mailsAbout(event.order!.number)).toHaveLength(1);
    expect(await restarted.stop('SIGTERM')).toBe(0);
  });

  it('never resends a notification the provider accepted just before the kill', async () => {
    const crashing = await h.start({ ...FAST_GROUP, CRASH_AT: 'after-send' });
    const event = anOrderEvent('confirmed');
    await h.produce(event);
    expect(await exited(crashing)).toBe('SIGKILL');
    const accepted = smsTo(event.order!.customer!.phoneNumber).length + mailsAbout(event.order!.number).length;
    expect(accepted).toBeGreaterThanOrEqual(1);

    const restarted = await h.start(FAST_GROUP);
    await eventually(() => settled(event.eventId));
    const rows = await rowsOf(event.eventId);
    for (const row of rows) {
      const delivered =
        row.channel === 'sms' ? smsTo(row.recipient as string).length : mailsAbout(event.order!.number).length;
      expect(delivered).toBeLessThanOrEqual(1);
      if (row.status === 'sent') expect(delivered).toBe(1);
      else expect(String(row.last_error)).toMatch(/^unknown-outcome/);
    }
    // The interrupted send is surfaced, not silently dropped: dead, on the dead-letter topic.
    const unknown = rows.filter((r) => r.status === 'dead');
    expect(unknown.length).toBeGreaterThanOrEqual(1);
    await eventually(() => unknown.every((r) => h.deadLetters.records.some((d) => d.key?.toString() === r.id)));
    expect(await restarted.stop('SIGTERM')).toBe(0);
  });

  it('surfaces a notification claimed but not sent before the kill, and a replay delivers it once', async () => {
    const crashing = await h.start({ ...FAST_GROUP, CRASH_AT: 'after-claim' });
    const event = anOrderEvent('shipped');
    await h.produce(event);
    expect(await exited(crashing)).toBe('SIGKILL');
    expect((await rowsOf(event.eventId))[0]?.status).toBe('sending');

    const restarted = await h.start(FAST_GROUP);
    const dead = await eventually(async () => (await rowsOf(event.eventId)).find((r) => r.status === 'dead'));
    expect(smsTo(event.order!.customer!.phoneNumber)).toHaveLength(0);
    const admin = createClient(
      NotificationAdminService,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${restarted.port}` }),
    );
    await admin.replayDeadNotifications({ target: { case: 'id', value: dead.id as string } });
    await eventually(async () => (await rowsOf(event.eventId))[0]?.status === 'sent');
    expect(smsTo(event.order!.customer!.phoneNumber)).toHaveLength(1);
    expect(await restarted.stop('SIGTERM')).toBe(0);
  });
});
