import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type Harness, anOrderEvent, eventually, startHarness } from './fixtures';
import { startProviderGate } from './provider-gate';

jest.setTimeout(60_000);

const LEASE_MS = 3_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Issue 20: the provider accepts an SMS, then the service's database connections are cut before
 * it has recorded that. The service must still record `sent`, and must not dead-letter the row
 * as an unknown outcome when its lease runs out, because this process knows the outcome.
 */
describe('notifications when the database connections are cut during a send', () => {
  let h: Harness;
  let gate: Awaited<ReturnType<typeof startProviderGate>>;
  let admin: Client;

  beforeAll(async () => {
    h = await startHarness('db-cut');
    gate = await startProviderGate(h.twilio.url);
    admin = new Client({ connectionString: h.infra.adminUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await gate?.close();
    await h?.close();
  });

  /** Terminates this test's service connections (other test files share the role, not the application name). */
  async function cut(appName: string, onlyLockWaiters: boolean): Promise<number> {
    const { rowCount } = await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where usename = 'notifications_svc' and application_name = $1 and ($2::boolean = false or wait_event_type = 'Lock')`,
      [appName, onlyLockWaiters],
    );
    return rowCount ?? 0;
  }

  it('records an SMS the provider accepted as sent, once, although recording it failed for longer than the lease', async () => {
    const appName = `notifications-db-cut-${randomBytes(4).toString('hex')}`;
    const svc = await h.start({ TWILIO_LOCAL_URL: gate.url, PGAPPNAME: appName, SEND_LEASE_MS: String(LEASE_MS) });
    const event = anOrderEvent('shipped');
    const phone = event.order!.customer!.phoneNumber;
    const requestsBefore = h.twilio.requestCount();
    // Holding the row lock keeps the service's recording write in flight, so each cut lands on it.
    const locker = new Client({ connectionString: h.infra.adminUrl });
    await locker.connect();
    const accepted = gate.hold(async () => {
      await locker.query('begin');
      await locker.query(`select id from ${h.schema}.notifications where event_id = $1 for update`, [event.eventId]);
      expect(await cut(appName, false)).toBeGreaterThan(0);
    });
    await h.produce(event);
    await accepted;

    // Longer than the dispatcher's own write retries and than the lease: only memory holds the outcome now.
    let writesCut = 0;
    for (const until = Date.now() + LEASE_MS + 500; Date.now() < until; await sleep(25))
      writesCut += await cut(appName, true);
    await locker.query('commit');
    await locker.end();

    const row = await eventually(async () =>
      (await h.db.rows('event_id = $1', [event.eventId])).find((r) => r.status !== 'sending'),
    );
    expect(writesCut).toBeGreaterThan(1);
    const [sms, ...duplicates] = h.twilio.messages.filter((m) => m.to === phone);
    expect(duplicates).toHaveLength(0);
    expect(h.twilio.requestCount() - requestsBefore).toBe(1);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, provider_message_id: sms!.sid, last_error: null });
    // The line is written after the commit the poll above saw, and reaches us through the child's stdout.
    await eventually(() =>
      svc.logs.some(
        (l) => l.notificationId === row.id && l.message === 'delivery outcome kept in memory is now recorded',
      ),
    );
    await sleep(LEASE_MS);
    expect((await h.db.rows('event_id = $1', [event.eventId]))[0]?.status).toBe('sent');
    expect(h.deadLetters.records.some((r) => r.key?.toString() === row.id)).toBe(false);
    expect(await svc.stop('SIGTERM')).toBe(0);
  });
});
