/**
 * Two processes of every service behind round-robin TCP balancers, on the run's own PostgreSQL
 * and Redis, killed and restarted by PID while clients keep calling. Each experiment asserts
 * exact counts and leaves every replica running again, so none depends on another.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { NotificationAdminService } from '@ordersystem/contracts/ordersystem/notifications/v1/notifications';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import net from 'node:net';
import { CURRENCY } from '../fixtures.js';
import { CATALOG, CUSTOMERS, ORDERS } from '../harness/http-api.js';
import { eventually } from '../harness/poll.js';
import { SERVICES } from '../harness/system.js';
import { aClientIp, ChaosClient } from './harness/client.js';
import { type Cluster, type Replica, startCluster } from './harness/cluster.js';
import { startLoad } from './harness/load.js';
import {
  alive,
  note,
  notificationCounts,
  publishedBy,
  relayHolders,
  watchOrderEvents,
  type PublishedEvent,
} from './harness/observe.js';
import { aShopper, anAdmin, placeOrder, type PlacedOrder, someProducts } from './harness/shop.js';

jest.setTimeout(240_000);

const IP_POINTS = 100;
const adminEmail = `admin-${randomUUID().slice(0, 8)}@chaos.test`;
let cluster: Cluster;
let admin: ChaosClient;
let watcher: Awaited<ReturnType<typeof watchOrderEvents>>;

beforeAll(async () => {
  const started = Date.now();
  cluster = await startCluster({
    adminEmails: [adminEmail],
    extraEnv: {
      // Every call of the run comes from 127.0.0.1; clients name themselves in X-Forwarded-For.
      gateway: {
        TRUST_PROXY: 'true',
        RATE_LIMIT_IP_POINTS: String(IP_POINTS),
        RATE_LIMIT_USER_POINTS: '1000000',
        // Ten processes, the broker and the clients share two cores (with other jobs): the production
        // deadlines (3 s) would turn the 200-order rush into timeouts that say nothing about correctness.
        UPSTREAM_TIMEOUT_MS: '30000',
      },
      // A placement cut off by a kill is recovered after this lease (30 s in production).
      orders: { RESERVATION_LEASE_MS: '5000' },
      // The shortest session the service accepts, and a send lease that surfaces a killed send sooner
      // than production's minute (the provider timeout stays 10 s: a timed-out mail that was in fact
      // accepted is retried, the one duplicate the README owns up to, and a loaded machine causes it).
      notifications: {
        KAFKA_SESSION_TIMEOUT_MS: '6000',
        SEND_LEASE_MS: '25000',
        DISPATCH_INTERVAL_MS: '100',
      },
    },
  });
  note('cluster', {
    startedInMs: Date.now() - started,
    processes: SERVICES.map((s) => `${s}×${cluster.replicas[s].length}`).join(' '),
  });
  watcher = await watchOrderEvents(cluster);
  admin = await anAdmin(cluster.gatewayUrl, adminEmail);
}, 240_000);

afterAll(async () => {
  await watcher?.close();
  const codes = cluster ? await cluster.shutdown() : undefined;
  if (!codes) return; // beforeAll failed and said why
  note('shutdown exit codes', codes);
  expect(Object.values(codes).every((c) => c === 0)).toBe(true);
}, 120_000);

/** Starts whatever an experiment stopped, so the next one finds the full cluster. */
async function restoreAll(): Promise<void> {
  for (const s of SERVICES) for (const r of cluster.replicas[s]) if (!alive(r)) await cluster.start(r);
}

const replicaUrl = (r: Replica) => `http://127.0.0.1:${r.svc!.port}`;

/** Stock the shop can still sell: on hand minus reserved, straight from the catalog's table. */
async function available(productIds: string[]): Promise<Map<string, number>> {
  const rows = await cluster.sql<{ id: string; available: string }>(
    'catalog',
    'select id, stock_on_hand - reserved as available from products where id = any($1::uuid[])',
    [productIds],
  );
  return new Map(rows.map((r) => [r.id, Number(r.available)]));
}

/** Units ordered per product by orders that still hold stock (not cancelled). */
async function ordered(productIds: string[]): Promise<Map<string, number>> {
  const rows = await cluster.sql<{ product_id: string; units: string }>(
    'orders',
    `select l.product_id, sum(l.quantity) as units from order_lines l join orders o on o.id = l.order_id
      where o.status <> 'cancelled' and l.product_id = any($1::uuid[]) group by l.product_id`,
    [productIds],
  );
  return new Map(rows.map((r) => [r.product_id, Number(r.units)]));
}

describe('gateway', () => {
  it('shares one rate limit across its replicas through Redis, and both verify the same tokens', async () => {
    const [a, b] = cluster.replicas.gateway.map((r) => new ChaosClient(replicaUrl(r)));
    const [productId] = await someProducts(admin, 1, 10);
    const clientIp = aClientIp();
    const answers = { ok: 0, limited: 0, other: [] as string[], okPerReplica: [0, 0] };
    for (let n = 0; n < 2 * IP_POINTS; n++) {
      const outcome = await [a!, b!][n % 2]!.call('GET', CATALOG, 'GetProduct', { id: productId }, { clientIp });
      if (outcome.ok) {
        answers.ok++;
        answers.okPerReplica[n % 2]!++;
      } else if (outcome.code === 'resource_exhausted') answers.limited++;
      else answers.other.push(outcome.code);
    }
    note('gateway rate limit', { points: IP_POINTS, sent: 2 * IP_POINTS, ...answers });
    expect(answers).toMatchObject({ ok: IP_POINTS, limited: IP_POINTS, other: [] });

    // A token from one login is accepted by both replicas (each fetched customers' JWKS itself).
    const shopper = await aShopper(cluster.gatewayUrl, 'jwks');
    for (const r of cluster.replicas.gateway) {
      const me = await shopper.api.at(replicaUrl(r)).get<{ customer: { email: string } }>(CUSTOMERS, 'GetMe');
      expect(me.customer.email).toBe(shopper.email);
    }
  });
});

describe('catalog', () => {
  it('gives exactly 20 of 200 concurrent orders for the last 20 units, with two replicas', async () => {
    const [productId] = await someProducts(admin, 1, 20);
    const shopper = await aShopper(cluster.gatewayUrl, 'rush');
    const outcomes = await Promise.all(Array.from({ length: 200 }, () => placeOrder(shopper, productId!)));
    const codes = outcomes.reduce<Record<string, number>>(
      (acc, o) => ({ ...acc, [o.code]: (acc[o.code] ?? 0) + 1 }),
      {},
    );
    const stock = (await available([productId!])).get(productId!);
    // Every replica of the gateway reads the same stock (cache invalidated across catalog replicas).
    const seen = await Promise.all(
      cluster.replicas.gateway.map((r) =>
        new ChaosClient(replicaUrl(r)).get<{ product: { stockAvailable?: string } }>(CATALOG, 'GetProduct', {
          id: productId,
        }),
      ),
    );
    // What was sold, from the orders' side: units in stored orders and commits the catalog refused.
    const [sold] = await cluster.sql<{ orders: string; units: string }>(
      'orders',
      `select count(distinct o.id) as orders, coalesce(sum(l.quantity), 0) as units from orders o join order_lines l on l.order_id = o.id where l.product_id = $1`,
      [productId],
    );
    const parked = await cluster.sql<{ last_error: string }>(
      'orders',
      `select t.last_error from catalog_tasks t join order_lines l on l.order_id = t.order_id where l.product_id = $1 and t.failed_at is not null`,
      [productId],
    );
    note('catalog 200 orders for 20 units', {
      answers: codes,
      ordersStored: Number(sold?.orders),
      unitsInOrders: Number(sold?.units),
      commitsParked: parked.map((p) => p.last_error),
      availableAfter: stock,
      readThroughEachGateway: seen.map((s) => Number(s.product.stockAvailable ?? 0)),
    });
    expect(codes).toEqual({ ok: 20, failed_precondition: 180 });
    expect(Number(sold?.units)).toBe(20);
    expect(stock).toBe(0);
    expect(seen.map((s) => Number(s.product.stockAvailable ?? 0))).toEqual([0, 0]);
  });
});

describe('orders', () => {
  it('moves the outbox relay to the other replica when the holder is SIGKILLed, losing and reordering nothing', async () => {
    const productIds = await someProducts(admin, 4, 100_000);
    const before = await available(productIds);
    const shopper = await aShopper(cluster.gatewayUrl, 'relay');
    const reader = new ChaosClient(cluster.gatewayUrl);
    const holders = relayHolders(cluster).filter((h) => alive(h.replica));
    expect(holders).toHaveLength(1);
    const holder = holders[0]!.replica;
    const other = cluster.replicas.orders.find((r) => r !== holder)!;
    const otherPublishedBefore = await publishedBy(other);
    expect(otherPublishedBefore).toBe(0);

    const load = startLoad({ shopper, reader, productIds, ordersPerSecond: 8, readers: 1 });
    try {
      await eventually('orders flowing', async () => ((await publishedBy(holder)) >= 10 ? true : undefined), {
        timeoutMs: 30_000,
      });
      const killedAt = Date.now();
      await cluster.stop(holder, 'SIGKILL');
      const lockedAt = await eventually(
        'the other replica takes the lock',
        () => relayHolders(cluster).find((h) => h.replica === other)?.at,
        { timeoutMs: 30_000, intervalMs: 50 },
      );
      await eventually('the other replica publishes', async () => ((await publishedBy(other)) > 0 ? true : undefined), {
        timeoutMs: 30_000,
        intervalMs: 50,
      });
      const publishingAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const report = await load.stop();

      // Every stored event was published (none left unsent), each order's events in outbox order.
      const outbox = await eventually(
        'outbox drained',
        async () => {
          const rows = await cluster.sql<{ order_id: string; event_id: string; sent: boolean }>(
            'orders',
            'select order_id, event_id, sent_at is not null as sent from outbox order by id',
          );
          return rows.every((r) => r.sent) ? rows : undefined;
        },
        { timeoutMs: 30_000 },
      );
      const ours = new Set(report.orders.map((o) => o.id));
      const expected = outbox.filter((r) => ours.has(r.order_id));
      await eventually(
        'events read back',
        () => (expected.every((e) => watcher.events.some((p) => p.eventId === e.event_id)) ? true : undefined),
        { timeoutMs: 30_000 },
      );
      const published = watcher.events.filter((e) => ours.has(e.orderId));
      const distinct = new Set(published.map((e) => e.eventId));
      const lost = expected.filter((e) => !distinct.has(e.event_id)).length;
      const reordered = report.orders.filter(
        (o) =>
          !inOutboxOrder(
            published,
            expected.filter((e) => e.order_id === o.id).map((e) => e.event_id),
          ),
      ).length;

      // Placements the kill cut off are released once, by the survivor, and the stock adds up.
      await eventually(
        'no unfinished placement left',
        async () =>
          (await cluster.sql('orders', 'select 1 from pending_reservations')).length === 0 ? true : undefined,
        { timeoutMs: 30_000 },
      );
      const released = (other.svc?.logs ?? [])
        .filter((l) => l.message === 'released reservation abandoned by an unfinished placement')
        .map((l) => String(l.orderId));
      const after = await available(productIds);
      const units = await ordered(productIds);
      const stockOff = productIds.filter((id) => after.get(id) !== before.get(id)! - (units.get(id) ?? 0));
      note('orders relay failover', {
        orders: report.orders.length,
        orderFailuresAtClient: report.orderFailures.length,
        retries: report.retries,
        events: {
          expected: expected.length,
          published: published.length,
          distinct: distinct.size,
          duplicated: published.length - distinct.size,
          lost,
          ordersReordered: reordered,
        },
        lockTakenAfterKillMs: lockedAt - killedAt,
        publishingAfterKillMs: publishingAt - killedAt,
        abandonedReservationsReleased: released.length,
        distinctReleased: new Set(released).size,
        productsWhoseStockEquationFails: stockOff.length,
      });
      expect(report.orderFailures).toEqual([]);
      expect(lost).toBe(0);
      expect(reordered).toBe(0);
      expect(lockedAt - killedAt).toBeLessThan(15_000);
      expect(new Set(released).size).toBe(released.length);
      expect(stockOff).toEqual([]);
    } finally {
      await load.stop();
      await restoreAll();
    }
  });
});

describe('notifications', () => {
  it('spreads partitions over both replicas and, with one SIGKILLed mid-stream, delivers every SMS exactly once', async () => {
    await eventually(
      'both replicas consume',
      async () => {
        const assigned = await groupAssignment(cluster);
        return assigned.length === 2 && assigned.every((n) => n > 0) ? assigned : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const productIds = await someProducts(admin, 4, 100_000);
    const shopper = await aShopper(cluster.gatewayUrl, 'notify');
    const mailsBefore = cluster.mail.mails.length;
    const orders: PlacedOrder[] = [];
    const [victim, survivor] = cluster.replicas.notifications;
    try {
      for (let n = 0; n < 40; n++) {
        if (n === 20) await cluster.stop(victim!, 'SIGKILL');
        const outcome = await placeOrder(shopper, productIds[n % productIds.length]!);
        expect(outcome.code).toBe('ok');
        orders.push(outcome.body.order);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // The victim's partitions reach the survivor only once the broker has noticed the death (the
      // session timeout) and the group has rebalanced; until then their events are not stored, so
      // "nothing pending" would hold too early. Every order must first have its notifications.
      await eventually(
        "the victim's partitions consumed by the survivor",
        async () => {
          const [row] = await cluster.sql<{ n: string }>(
            'notifications',
            `select count(distinct order_id) as n from notifications where order_id = any($1::text[])`,
            [orders.map((o) => o.id)],
          );
          return Number(row?.n) === orders.length ? true : undefined;
        },
        { timeoutMs: 60_000 },
      );
      // Rows the victim had claimed when it died come back as unknown outcome after the lease
      // (dead, never resent by themselves); the runbook's replay sends them, and the Twilio
      // endpoint recognises a replayed SMS by its idempotency token.
      const settled = await eventually(
        'every notification settled',
        async () => {
          const rows = await cluster.sql<{ status: string; n: string }>(
            'notifications',
            `select status, count(*) as n from notifications group by status`,
          );
          const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
          return (by.pending ?? 0) + (by.sending ?? 0) + (by.failed ?? 0) === 0 ? by : undefined;
        },
        { timeoutMs: 60_000 },
      );
      const dead = await cluster.sql<{ id: string; channel: string; last_error: string }>(
        'notifications',
        `select id, channel, last_error from notifications where status = 'dead'`,
      );
      if (dead.length > 0) {
        const adminRpc = createClient(
          NotificationAdminService,
          createGrpcTransport({ baseUrl: replicaUrl(survivor!) }),
        );
        await adminRpc.replayDeadNotifications({ target: { case: 'all', value: true } });
      }
      await eventually(
        'every notification sent',
        async () =>
          (await cluster.sql(`notifications`, `select 1 from notifications where status <> 'sent'`)).length === 0
            ? true
            : undefined,
        { timeoutMs: 60_000 },
      );
      const counts = notificationCounts(
        cluster.sms,
        { ...cluster.mail, mails: cluster.mail.mails.slice(mailsBefore) },
        orders,
        shopper.phone,
      );
      note('notifications SIGKILL mid-stream', {
        orders: orders.length,
        settledBeforeReplay: settled,
        unknownOutcomeReplayed: dead.map((d) => d.channel),
        ...counts,
      });
      expect(dead.every((d) => d.last_error.startsWith('unknown-outcome'))).toBe(true);
      expect(counts.sms).toEqual({ expected: 40, delivered: 40, duplicated: 0, lost: 0 });
      // SMTP cannot recognise a replay: a mail accepted just before the kill and replayed is the one duplicate the design allows.
      expect(counts.email).toMatchObject({ expected: 40, delivered: 40, lost: 0 });
      expect(counts.email.duplicated).toBeLessThanOrEqual(dead.filter((d) => d.channel === 'email').length);
    } finally {
      await restoreAll();
    }
  });
});

describe('rolling restart', () => {
  it('restarts every service one replica at a time under load with no failed request at the client', async () => {
    const productIds = await someProducts(admin, 4, 100_000);
    const shopper = await aShopper(cluster.gatewayUrl, 'rolling');
    const mailsBefore = cluster.mail.mails.length;
    const load = startLoad({
      shopper,
      reader: new ChaosClient(cluster.gatewayUrl),
      productIds,
      ordersPerSecond: 3,
      readers: 2,
    });
    const exits: Record<string, number | null> = {};
    const stopMs: Record<string, number> = {};
    try {
      for (const s of SERVICES) {
        for (const r of cluster.replicas[s]) {
          const t = Date.now();
          exits[r.name] = await cluster.stop(r, 'SIGTERM');
          stopMs[r.name] = Date.now() - t;
          await cluster.start(r);
        }
      }
    } finally {
      const report = await load.stop();
      await restoreAll();
      const countsNow = () =>
        notificationCounts(
          cluster.sms,
          { ...cluster.mail, mails: cluster.mail.mails.slice(mailsBefore) },
          report.orders,
          shopper.phone,
        );
      await eventually(
        'every SMS and email sent',
        () => {
          const { sms, email } = countsNow();
          return sms.delivered === report.orders.length && email.delivered === report.orders.length ? true : undefined;
        },
        { timeoutMs: 60_000 },
      );
      const counts = countsNow();
      // A send attempted more than once (a provider timeout) is where a duplicate mail could come from.
      const resent = await cluster.sql<{ channel: string; n: string }>(
        'notifications',
        `select channel, count(*) as n from notifications where attempts > 1 group by channel`,
      );
      note('rolling restart', {
        orders: report.orders.length,
        notificationsSentMoreThanOnce: Object.fromEntries(resent.map((r) => [r.channel, Number(r.n)])),
        orderFailures: report.orderFailures,
        reads: report.reads,
        readFailures: report.readFailures,
        retries: report.retries,
        exits,
        stopMs,
        troubleOfNonZeroExits: Object.fromEntries(
          SERVICES.flatMap((sv) => cluster.replicas[sv])
            .filter((r) => exits[r.name] !== 0)
            .map((r) => [r.name, r.lastTrouble.slice(-8)]),
        ),
        ...counts,
      });
      expect(report.orderFailures).toEqual([]);
      expect(report.readFailures).toEqual([]);
      expect(Object.values(exits).every((c) => c === 0)).toBe(true);
      expect(counts.sms).toEqual({
        expected: report.orders.length,
        delivered: report.orders.length,
        duplicated: 0,
        lost: 0,
      });
      expect(counts.email).toEqual({
        expected: report.orders.length,
        delivered: report.orders.length,
        duplicated: 0,
        lost: 0,
      });
    }
  });
});

describe('Redis down', () => {
  it('falls back to per-replica rate limits and PostgreSQL reads, and recovers when Redis returns, without a restart', async () => {
    const productIds = await someProducts(admin, 2, 1_000);
    const [a, b] = cluster.replicas.gateway.map((r) => new ChaosClient(replicaUrl(r)));
    const limitFor = async (clientIp: string) => {
      let ok = 0;
      for (let n = 0; n < 3 * IP_POINTS; n++)
        if ((await [a!, b!][n % 2]!.call('GET', CATALOG, 'GetProduct', { id: productIds[0] }, { clientIp })).ok) ok++;
      return ok;
    };
    const pids = SERVICES.flatMap((s) => cluster.replicas[s].map((r) => r.svc!.pid));
    await cluster.redis.stop();
    try {
      // Reads go to PostgreSQL: a product the cache has never seen, and its price change.
      const reader = new ChaosClient(cluster.gatewayUrl);
      const read = await reader.get<{ product: { id: string } }>(CATALOG, 'GetProduct', { id: productIds[1] });
      expect(read.product.id).toBe(productIds[1]);
      await admin.post(CATALOG, 'UpdateProduct', {
        id: productIds[1],
        price: { currencyCode: CURRENCY, amountMinor: '4242' },
      });
      // Read back by the admin who changed it: an anonymous read may come from the gateway's
      // micro-cache for up to its max-age, which is not what this experiment is about.
      const repriced = await admin.get<{ product: { price: { amountMinor: string } } }>(CATALOG, 'GetProduct', {
        id: productIds[1],
      });
      // Each replica falls back to its own in-memory budget (documented: looser, never off).
      const allowedWhileDown = await limitFor(aClientIp());
      note('Redis down', {
        repricedRead: repriced.product.price.amountMinor,
        allowedOf: 3 * IP_POINTS,
        allowedWhileDown,
      });
      expect(repriced.product.price.amountMinor).toBe('4242');
      expect(allowedWhileDown).toBe(2 * IP_POINTS);
    } finally {
      await cluster.redis.start();
    }
    await eventually(
      'gateway and catalog see Redis again',
      async () => {
        const ready = await Promise.all(
          [...cluster.replicas.gateway, ...cluster.replicas.catalog].map(async (r) =>
            JSON.stringify(await (await fetch(`http://127.0.0.1:${r.svc!.opsPort}/readyz`)).json()),
          ),
        );
        return ready.every((body) => !/redis[^,]*fail/i.test(body)) ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const allowedAfter = await limitFor(aClientIp());
    await new ChaosClient(cluster.gatewayUrl).get(CATALOG, 'GetProduct', { id: productIds[1] });
    const cached = await eventually(
      'the catalog fills the restarted Redis',
      async () => ((await redisKeys(cluster.redis.url)) > 0 ? true : undefined),
      { timeoutMs: 10_000 },
    );
    note('Redis back', { allowedAfter, cacheFilledAgain: cached });
    expect(allowedAfter).toBe(IP_POINTS);
    expect(SERVICES.flatMap((s) => cluster.replicas[s].map((r) => r.svc!.pid))).toEqual(pids);
  });
});

describe('PostgreSQL restarted', () => {
  it('answers unavailable, never internal, while it is down, and every service recovers without a restart', async () => {
    const [productId] = await someProducts(admin, 1, 1_000);
    const shopper = await aShopper(cluster.gatewayUrl, 'pg');
    const first = await placeOrder(shopper, productId!);
    expect(first.code).toBe('ok');
    const pids = SERVICES.flatMap((s) => cluster.replicas[s].map((r) => r.svc!.pid));
    const codes: Record<string, number> = {};
    const count = (code: string) => (codes[code] = (codes[code] ?? 0) + 1);

    await cluster.postgres.stop();
    try {
      for (let n = 0; n < 5; n++) {
        count((await shopper.api.call('GET', CUSTOMERS, 'GetMe', {})).code);
        count((await shopper.api.call('GET', ORDERS, 'GetOrder', { id: first.body.order.id })).code);
        count((await placeOrder(shopper, productId!, 1, false)).code);
        count(
          (
            await new ChaosClient(cluster.gatewayUrl).call('GET', CATALOG, 'ListProducts', {
              minPriceMinor: String(n + 1),
            })
          ).code,
        );
      }
    } finally {
      await cluster.postgres.start();
    }
    note('PostgreSQL down', { answers: codes });
    expect(Object.keys(codes).filter((c) => c !== 'unavailable' && c !== 'ok')).toEqual([]);

    const again = await eventually(
      'orders placed again',
      async () => {
        const outcome = await placeOrder(shopper, productId!, 1, false);
        return outcome.ok ? outcome.body.order : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    await eventually(
      'its SMS arrives',
      () =>
        cluster.sms.messages.some((m) => m.to === shopper.phone && m.body.includes(again.number)) ? true : undefined,
      { timeoutMs: 60_000 },
    );
    await eventually(
      'every replica ready',
      async () => {
        const ready = await Promise.all(
          SERVICES.flatMap((s) =>
            cluster.replicas[s].map(async (r) => (await fetch(`http://127.0.0.1:${r.svc!.opsPort}/readyz`)).ok),
          ),
        );
        return ready.every(Boolean) ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(SERVICES.flatMap((s) => cluster.replicas[s].map((r) => r.svc!.pid))).toEqual(pids);
  });
});

/** Each event id's first appearance comes in the given (outbox) order: a later duplicate is a redelivery, not a reordering. */
function inOutboxOrder(published: PublishedEvent[], eventIds: string[]): boolean {
  const firsts: string[] = [];
  for (const e of [...published].sort((x, y) => (x.offset < y.offset ? -1 : 1)))
    if (eventIds.includes(e.eventId) && !firsts.includes(e.eventId)) firsts.push(e.eventId);
  return firsts.join() === eventIds.join();
}

/** Partitions assigned to each member of the notifications group. */
async function groupAssignment(c: Cluster): Promise<number[]> {
  const kafkaAdmin = new Kafka({
    clientId: 'chaos-probe',
    brokers: c.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await kafkaAdmin.connect();
  try {
    const { groups } = await kafkaAdmin.describeGroups([c.notificationsGroup]);
    return (groups[0]?.members ?? []).map(
      (m) =>
        Object.values(AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {}).flat().length,
    );
  } finally {
    await kafkaAdmin.disconnect();
  }
}

/** DBSIZE of the private Redis over a plain socket. */
async function redisKeys(url: string): Promise<number> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: Number(port) }, () => socket.write('DBSIZE\r\n'));
    socket.once('error', reject);
    socket.once('data', (data) => {
      resolve(Number(/^:(\d+)/.exec(data.toString())?.[1] ?? 0));
      socket.destroy();
    });
  });
}
