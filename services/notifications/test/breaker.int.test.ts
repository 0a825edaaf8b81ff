import type { RunningService } from '@ordersystem/testing';
import { type Harness, anOrderEvent, eventually, startHarness } from './fixtures';

jest.setTimeout(60_000);

describe('notifications circuit breaker', () => {
  let h: Harness;
  let svc: RunningService;

  beforeAll(async () => {
    h = await startHarness('breaker');
    svc = await h.start({
      BREAKER_VOLUME_THRESHOLD: '3',
      BREAKER_ERROR_THRESHOLD_PERCENT: '50',
      BREAKER_RESET_TIMEOUT_MS: '5000',
      MAX_ATTEMPTS: '20',
    });
  });
  afterAll(() => h?.close());

  const breakerLog = (state: string) => svc.logs.some((l) => l.provider === 'twilio' && l.breaker === state);
  const breakerGauge = async () =>
    /notifications_breaker_state\{[^}]*provider="twilio"[^}]*\} (\d)/.exec(
      await (await fetch(`http://127.0.0.1:${svc.opsPort}/metrics`)).text(),
    )?.[1];

  it('opens after repeated failures, fails fast without calling the provider, then a half-open probe closes it', async () => {
    h.twilio.failNext({ kind: 'status', status: 503 }, 1_000);
    const events = Array.from({ length: 4 }, () => anOrderEvent('shipped'));
    for (const e of events) await h.produce(e);

    await eventually(() => breakerLog('open'));
    expect(await breakerGauge()).toBe('2');
    // A call (or a quick retry) already on its way when the breaker opened may still reach the
    // provider; count from the breaker's first fast-fail on, when nothing can be in flight.
    await eventually(async () => (await h.db.rows(`last_error like 'circuit-open%'`)).length > 0);
    const callsWhenOpened = h.twilio.requestCount();
    // An event arriving while the breaker is open is answered by the breaker, not the provider.
    // (Rows already refused are rescheduled for the end of the cool-down, when a half-open probe
    // does reach the provider, so only a new row shows the fast failure reliably.)
    const late = anOrderEvent('shipped');
    events.push(late);
    await h.produce(late);
    await eventually(
      async () => (await h.db.rows(`event_id = $1 and last_error like 'circuit-open%'`, [late.eventId])).length > 0,
    );
    expect(h.twilio.requestCount()).toBe(callsWhenOpened);
    expect(await h.db.rows(`status = 'dead'`)).toHaveLength(0);

    h.twilio.clearFailures();
    await eventually(() => breakerLog('halfOpen'));
    await eventually(() => breakerLog('closed'));
    for (const e of events) {
      await eventually(async () => (await h.db.rows('event_id = $1', [e.eventId]))[0]?.status === 'sent');
      expect(h.twilio.messages.filter((m) => m.to === e.order!.customer!.phoneNumber)).toHaveLength(1);
    }
    expect(await breakerGauge()).toBe('0');
  });
});
