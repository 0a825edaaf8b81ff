import { DeliveryFailure, decideFailure } from './notification';

const policy = { baseMs: 1_000, factor: 2, capMs: 60_000, maxAttempts: 3 };
const now = new Date('2026-01-01T00:00:00Z');
const half = () => 0.5;

describe('decideFailure', () => {
  it('schedules a transient failure for a jittered retry and counts the attempt', () => {
    const outcome = decideFailure(1, new DeliveryFailure('transient', 'HTTP 503'), policy, now, half);
    expect(outcome).toEqual({
      status: 'failed',
      attempts: 2,
      nextAttemptAt: new Date(now.getTime() + 1_000),
      error: 'transient: HTTP 503',
    });
  });

  it('makes the notification dead when the last attempt fails', () => {
    expect(decideFailure(2, new DeliveryFailure('transient', 'timeout'), policy, now).status).toBe('dead');
  });

  it('makes a permanent error dead on the first attempt', () => {
    const outcome = decideFailure(0, new DeliveryFailure('permanent', 'code 21211'), policy, now);
    expect(outcome).toMatchObject({ status: 'dead', attempts: 1 });
  });

  it('waits exactly as long as Retry-After says when rate limited', () => {
    const outcome = decideFailure(0, new DeliveryFailure('rate-limited', '429', 7_000), policy, now, half);
    expect(outcome.nextAttemptAt).toEqual(new Date(now.getTime() + 7_000));
    expect(outcome.attempts).toBe(1);
  });

  it('does not count an attempt while the breaker is open, so an outage never kills', () => {
    const outcome = decideFailure(2, new DeliveryFailure('circuit-open', 'open', 5_000), policy, now);
    expect(outcome).toMatchObject({ status: 'failed', attempts: 2, nextAttemptAt: new Date(now.getTime() + 5_000) });
  });
});
