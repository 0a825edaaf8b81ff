import { leasedLimiter } from './leased-limiter';
import type { LimitDecision, SharedWindow } from './limiter';

/** A fixed window like Redis's, on a clock the test moves; each charge answers on a later turn. */
function sharedWindow(points: number, windowMs: number) {
  const clock = { now: 0 };
  const counts = new Map<string, { total: number; endsAt: number }>();
  const charges: Array<{ key: string; points: number }> = [];
  let failNext = false;
  const window: SharedWindow = {
    points,
    async charge(key, n) {
      await new Promise((resolve) => setImmediate(resolve));
      charges.push({ key, points: n });
      if (failNext) {
        failNext = false;
        throw new Error('redis went away');
      }
      let entry = counts.get(key);
      if (!entry || clock.now >= entry.endsAt) counts.set(key, (entry = { total: 0, endsAt: clock.now + windowMs }));
      entry.total += n; // refused charges count too, as in Redis
      return {
        allowed: entry.total <= points,
        remaining: Math.max(0, points - entry.total),
        resetInMs: entry.endsAt - clock.now,
      };
    },
  };
  return { window, clock, charges, failNextCharge: () => (failNext = true) };
}

const allowedIn = (decisions: LimitDecision[]) => decisions.filter((d) => d.allowed).length;

describe('leasedLimiter', () => {
  it('charges the shared window once per lease, not once per request', async () => {
    const shared = sharedWindow(1_000, 60_000);
    const limiter = leasedLimiter(shared.window, { leaseFraction: 0.05, maxKeys: 100, now: () => shared.clock.now });
    for (let i = 0; i < 500; i++) expect(await limiter.consume('203.0.113.1')).toEqual({ allowed: true });
    // The first request learns the window, then leases of 50 points serve 50 requests each.
    expect(shared.charges[0]).toEqual({ key: '203.0.113.1', points: 1 });
    expect(shared.charges.slice(1).every((c) => c.points === 50)).toBe(true);
    expect(shared.charges).toHaveLength(1 + Math.ceil(499 / 50));
  });

  it('never lets a key past its budget across replicas, and loses at most a lease per replica', async () => {
    const shared = sharedWindow(200, 60_000);
    const options = { leaseFraction: 0.05, maxKeys: 100, now: () => shared.clock.now };
    const replicas = [leasedLimiter(shared.window, options), leasedLimiter(shared.window, options)];
    const decisions = await Promise.all(Array.from({ length: 600 }, (_, i) => replicas[i % 2]!.consume('user-1')));
    const allowed = allowedIn(decisions);
    expect(allowed).toBeLessThanOrEqual(200);
    expect(allowed).toBeGreaterThanOrEqual(200 - 2 * 10);
    expect(shared.charges.length).toBeLessThan(100);
  });

  it('refuses a spent key here until its window ends, then allows it again', async () => {
    const shared = sharedWindow(40, 10_000);
    const limiter = leasedLimiter(shared.window, { leaseFraction: 0.05, maxKeys: 100, now: () => shared.clock.now });
    const first = await Promise.all(Array.from({ length: 45 }, () => limiter.consume('k')));
    expect(allowedIn(first)).toBe(40);
    const chargesWhenSpent = shared.charges.length;
    shared.clock.now = 4_000;
    expect(await limiter.consume('k')).toEqual({ allowed: false, retryAfterSeconds: 6 });
    expect(shared.charges).toHaveLength(chargesWhenSpent);
    shared.clock.now = 10_000;
    expect(await limiter.consume('k')).toEqual({ allowed: true });
  });

  it('lets a burst on one key wait for a single lease instead of leasing again', async () => {
    const shared = sharedWindow(10_000, 60_000);
    const limiter = leasedLimiter(shared.window, { leaseFraction: 0.05, maxKeys: 100, now: () => shared.clock.now });
    await limiter.consume('k');
    const burst = await Promise.all(Array.from({ length: 300 }, () => limiter.consume('k')));
    expect(allowedIn(burst)).toBe(300);
    expect(shared.charges.map((c) => c.points)).toEqual([1, 500]);
  });

  it('charges every request when leasing is off or the budget is too small to lease', async () => {
    for (const [points, leaseFraction] of [
      [1_000, 0],
      [30, 0.05],
    ] as const) {
      const shared = sharedWindow(points, 60_000);
      const limiter = leasedLimiter(shared.window, { leaseFraction, maxKeys: 100, now: () => shared.clock.now });
      const decisions = await Promise.all(Array.from({ length: 20 }, () => limiter.consume('k')));
      expect(allowedIn(decisions)).toBe(20);
      expect(shared.charges.every((c) => c.points === 1)).toBe(true);
      expect(shared.charges).toHaveLength(20);
    }
  });

  it('remembers at most maxKeys keys, forgetting the least recently charged', async () => {
    const shared = sharedWindow(1_000, 60_000);
    const limiter = leasedLimiter(shared.window, { leaseFraction: 0.05, maxKeys: 2, now: () => shared.clock.now });
    for (const key of ['a', 'a', 'b', 'b', 'c', 'c']) await limiter.consume(key);
    const before = shared.charges.length;
    await limiter.consume('b');
    await limiter.consume('c');
    expect(shared.charges).toHaveLength(before);
    await limiter.consume('a'); // forgotten: learnt again with a single point
    expect(shared.charges.at(-1)).toEqual({ key: 'a', points: 1 });
  });

  it('gives a failed lease to its own request only; the requests waiting for it charge again', async () => {
    const shared = sharedWindow(1_000, 60_000);
    const limiter = leasedLimiter(shared.window, { leaseFraction: 0.05, maxKeys: 100, now: () => shared.clock.now });
    await limiter.consume('k');
    shared.failNextCharge();
    const [leaser, ...waiters] = await Promise.allSettled(Array.from({ length: 5 }, () => limiter.consume('k')));
    expect(leaser).toMatchObject({ status: 'rejected', reason: new Error('redis went away') });
    expect(waiters.every((w) => w.status === 'fulfilled' && w.value.allowed)).toBe(true);
  });
});
