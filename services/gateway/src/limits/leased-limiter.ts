import type { LimitDecision, Limiter, SharedWindow, WindowCharge } from './limiter.js';

export interface LeaseOptions {
  /** Share of a key's budget one replica takes from the shared window at once; 0 charges every request. */
  leaseFraction: number;
  /** Keys remembered per replica; past it the least recently charged is forgotten with its unspent lease. */
  maxKeys: number;
  now?: () => number;
}

interface KeyState {
  /** The shared window's end (local clock): the lease and what we know expire with it. */
  until: number;
  /** Points taken from the shared window and not yet spent here. */
  left: number;
  /** What the shared window had left after our last charge, less what we have sent since. */
  remaining: number;
}

const ALLOWED: LimitDecision = { allowed: true };
const refused = (ms: number): LimitDecision => ({
  allowed: false,
  retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)),
});

/**
 * Charges the shared window (Redis) once per lease instead of once per request: a replica takes
 * `leaseFraction` of a key's budget at a time and spends it locally. Every request allowed is backed by
 * points the shared window granted, so a key never exceeds its budget across replicas; the price is that
 * points leased by a replica the client stops reaching are lost until the window ends. A key is charged
 * a single point per request while it is unknown here or has less than two leases left, and once the
 * window is spent further requests are refused here until it ends, without a round trip.
 */
export function leasedLimiter(shared: SharedWindow, o: LeaseOptions): Limiter {
  const leaseSize = Math.floor(shared.points * o.leaseFraction);
  const now = o.now ?? Date.now;
  const keys = new Map<string, KeyState>();
  /** A key's lease, or first charge, in flight: a burst waits for it rather than charging again. */
  const inFlight = new Map<string, Promise<void>>();

  function current(key: string, t: number): KeyState | undefined {
    const state = keys.get(key);
    if (state && t < state.until) return state;
    if (state) keys.delete(key);
    return undefined;
  }

  function fromLocal(key: string, t: number): LimitDecision | undefined {
    const state = current(key, t);
    if (!state) return undefined;
    if (state.left > 0) {
      state.left--;
      return ALLOWED;
    }
    return state.remaining === 0 ? refused(state.until - t) : undefined;
  }

  function remember(key: string, t: number, charge: WindowCharge, granted: number): void {
    const before = current(key, t);
    keys.delete(key); // re-inserted last: the map's order is the eviction order
    if (keys.size >= o.maxKeys) keys.delete(keys.keys().next().value!);
    keys.set(key, {
      until: t + charge.resetInMs,
      left: (before?.left ?? 0) + granted,
      remaining: Math.min(before?.remaining ?? Infinity, charge.remaining),
    });
  }

  async function charge(key: string, points: number): Promise<LimitDecision> {
    const t = now();
    const result = await shared.charge(key, points);
    remember(key, t, result, result.allowed ? points - 1 : 0);
    return result.allowed ? ALLOWED : refused(result.resetInMs);
  }

  /** Requests for the key that arrive meanwhile wait for this charge instead of making their own. */
  function shareWith(key: string, pending: Promise<LimitDecision>): Promise<LimitDecision> {
    const settled = pending.then(
      () => undefined,
      () => undefined,
    );
    inFlight.set(key, settled);
    void settled.then(() => inFlight.get(key) === settled && inFlight.delete(key));
    return pending;
  }

  return {
    async consume(key) {
      for (;;) {
        const local = fromLocal(key, now());
        if (local) return local;
        const pending = inFlight.get(key);
        if (!pending) break;
        await pending;
      }
      const state = current(key, now());
      if (!state && leaseSize >= 2) return shareWith(key, charge(key, 1));
      const points = state && leaseSize >= 2 && state.remaining >= 2 * leaseSize ? leaseSize : 1;
      // Spoken for before the answer: once this replica has sent as many points as the window had
      // left, the window is spent whatever the answers say, and a flood is refused here.
      if (state) state.remaining -= points;
      const pending = charge(key, points);
      return points > 1 ? shareWith(key, pending) : pending;
    },
  };
}
