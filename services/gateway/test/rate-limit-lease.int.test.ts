import { randomBytes } from 'node:crypto';
import { infraEnv } from '@ordersystem/testing';
import { Redis } from 'ioredis';
import { createSharedWindow } from '../src/clients/rate-limit';
import { leasedLimiter } from '../src/limits/leased-limiter';
import type { SharedWindow } from '../src/limits/limiter';

/** Two gateway replicas' limiters, each with its own Redis connection, sharing one budget in Redis. */
describe('rate limits leased from Redis by two replicas', () => {
  const prefix = `gw-lease-${randomBytes(4).toString('hex')}`;
  const connections = [new Redis(infraEnv().redisUrl), new Redis(infraEnv().redisUrl)];
  // Until a connection is ready the limiter uses its per-process insurance budget instead of Redis.
  beforeAll(() => Promise.all(connections.map((c) => c.ping())));
  afterAll(() => Promise.all(connections.map((c) => c.quit())));

  const counted = (window: SharedWindow) => {
    const charges: number[] = [];
    return {
      charges,
      window: { points: window.points, charge: (key: string, n: number) => (charges.push(n), window.charge(key, n)) },
    };
  };

  it('never allows a key more than its budget, charges Redis a fraction of the requests, and counts there what it allowed', async () => {
    const replicas = connections.map((redis) =>
      counted(createSharedWindow({ redis, keyPrefix: prefix, points: 400, durationSeconds: 60 })),
    );
    const limiters = replicas.map((r) => leasedLimiter(r.window, { leaseFraction: 0.05, maxKeys: 100 }));

    let allowed = 0;
    for (let round = 0; round < 24; round++) {
      const decisions = await Promise.all(
        Array.from({ length: 50 }, (_, i) => limiters[i % 2]!.consume('203.0.113.9')),
      );
      allowed += decisions.filter((d) => d.allowed).length;
    }

    expect(allowed).toBeLessThanOrEqual(400);
    expect(allowed).toBeGreaterThanOrEqual(400 - 2 * 20);
    const charges = replicas.flatMap((r) => r.charges);
    expect(charges.length).toBeLessThan(1_200 / 10);
    const countedInRedis = Number(await connections[0]!.get(`${prefix}:203.0.113.9`));
    expect(countedInRedis).toBe(charges.reduce((a, b) => a + b, 0));
    expect(countedInRedis).toBeGreaterThanOrEqual(allowed);
  });
});
