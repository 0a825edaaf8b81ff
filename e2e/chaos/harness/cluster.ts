import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  DEV_OIDC_CLIENT,
  startDevOidcProvider,
  startSmtpSink,
  startTwilioFake,
  type SmtpSink,
  type TwilioFake,
} from '@ordersystem/dev-sinks';
import {
  createTestSchema,
  type DatabaseService,
  type InfraEnv,
  infraEnv,
  type RunningService,
  startService,
  type TestSchema,
} from '@ordersystem/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { readDevEnv, REPO_ROOT } from '../../harness/dev-env.js';
import { eventually } from '../../harness/poll.js';
import { SERVICES, type ServiceName } from '../../harness/system.js';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';
import { startPrivateRedis, type PrivateRedis } from './private-redis.js';
import { startTcpBalancer, type TcpBalancer } from './tcp-balancer.js';

/** Partitions of the run's order-event topic: more than one, so a consumer group can spread. */
export const ORDER_EVENT_PARTITIONS = 4;

export interface ClusterOptions {
  adminEmails: string[];
  /** Processes per service (default 2). */
  replicas?: number;
  /** Which services to run (default all five); callers of a missing one see a refused connection. */
  services?: readonly ServiceName[];
  /** Extra variables per service, applied last. */
  extraEnv?: Partial<Record<ServiceName, Record<string, string>>>;
}

/** One process of a service; `svc` is replaced on every restart. */
export interface Replica {
  service: ServiceName;
  index: number;
  /** `<service>-<index>`, as the reports name it. */
  name: string;
  svc: RunningService | undefined;
  /** In the balancer's rotation (a Kubernetes endpoint that is ready). */
  inRotation: boolean;
  /** The warnings and errors the last process logged, kept when it exited other than with 0. */
  lastTrouble: string[];
}

export interface Cluster {
  runId: string;
  /** The public URL: the balancer in front of the gateway replicas. */
  gatewayUrl: string;
  balancers: Partial<Record<ServiceName, TcpBalancer>>;
  replicas: Record<ServiceName, Replica[]>;
  sms: TwilioFake;
  mail: SmtpSink;
  redis: PrivateRedis;
  postgres: PrivatePostgres;
  topics: { orderEvents: string; deadLetters: string };
  notificationsGroup: string;
  kafkaBrokers: string[];
  /** Runs one statement as the database superuser with `search_path` set to the service's schema. */
  sql<R = Record<string, unknown>>(service: DatabaseService, text: string, params?: unknown[]): Promise<R[]>;
  /** Starts a replica's process (again), waits for /readyz, then puts it in rotation. */
  start(replica: Replica): Promise<void>;
  /**
   * Takes the replica out of rotation and signals it by PID; resolves with its exit code (null
   * after a signal that killed it) once it is gone. SIGKILL skips the rotation step, as a crash would.
   */
  stop(replica: Replica, signal: NodeJS.Signals): Promise<number | null>;
  /** Every replica SIGTERM'd, then the balancers, sinks, topics, schemas, Redis and PostgreSQL. */
  shutdown(): Promise<Record<string, number | null>>;
}

/**
 * The whole system with every service in several processes (two by default), each group behind a
 * round-robin TCP balancer that its callers use: the public URL is the gateway balancer's, the
 * gateway's upstream URLs and orders' catalog/customers URLs are the balancers of those services.
 * The run has its own PostgreSQL cluster and Redis server (so experiments can stop them) and its
 * own Kafka topics and consumer group on the shared broker. Replicas of a service share a schema,
 * prefixes, topics and group, as pods of one Deployment share their configuration.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const runId = randomBytes(4).toString('hex');
  const count = options.replicas ?? 2;
  const wanted = new Set(options.services ?? SERVICES);
  const cleanups: Array<() => Promise<unknown>> = [];
  const replicas = Object.fromEntries(
    SERVICES.map((s) => [
      s,
      Array.from({ length: wanted.has(s) ? count : 0 }, (_, index): Replica => ({
        service: s,
        index,
        name: `${s}-${index}`,
        svc: undefined,
        inRotation: false,
        lastTrouble: [],
      })),
    ]),
  ) as Record<ServiceName, Replica[]>;
  const exited: Record<string, number | null> = {};
  try {
    const [sms, mail, redis, postgres] = await Promise.all([
      startTwilioFake(),
      startSmtpSink(),
      startPrivateRedis(),
      startPrivatePostgres(),
    ]);
    cleanups.push(
      () => sms.close(),
      () => mail.close(),
      () => redis.stop(),
      () => postgres.destroy(),
    );
    const kafkaBrokers = infraEnv().kafkaBrokers;
    const infra: InfraEnv = { ...postgres.infra, redisUrl: redis.url, kafkaBrokers };
    const topics = {
      orderEvents: `chaos.${runId}.orders.v1.events`,
      deadLetters: `chaos.${runId}.notifications.v1.dead-letters`,
    };
    cleanups.push(await createTopics(kafkaBrokers, topics));

    const balancers: Partial<Record<ServiceName, TcpBalancer>> = {};
    for (const s of ['customers', 'catalog', 'orders', 'gateway'] as const) {
      balancers[s] = await startTcpBalancer(() =>
        replicas[s].filter((r) => r.inRotation && r.svc).map((r) => r.svc!.port),
      );
      cleanups.push(() => balancers[s]!.close());
    }
    const gatewayUrl = balancers.gateway!.url;
    const { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = readDevEnv('customers');
    const oidc = await startDevOidcProvider({
      client: {
        clientId: OIDC_CLIENT_ID ?? DEV_OIDC_CLIENT.clientId,
        clientSecret: OIDC_CLIENT_SECRET ?? DEV_OIDC_CLIENT.clientSecret,
        redirectUris: [`${gatewayUrl}/auth/callback`],
      },
    });
    cleanups.push(() => oidc.close());
    const schemas = {} as Record<DatabaseService, TestSchema>;
    for (const s of ['customers', 'catalog', 'orders', 'notifications'] as const)
      schemas[s] = await createTestSchema(infra, s);

    const db = (s: DatabaseService) => ({
      DATABASE_URL: schemas[s].url,
      DATABASE_SCHEMA: schemas[s].schema,
      MIGRATE_ON_START: 'true',
    });
    const admins = options.adminEmails.join(',');
    const tokens = { TOKEN_ISSUER: gatewayUrl, TOKEN_AUDIENCE: readDevEnv('gateway').TOKEN_AUDIENCE || 'ordersystem' };
    const notificationsGroup = `chaos-${runId}-notifications`;
    const isolation: Record<ServiceName, Record<string, string>> = {
      customers: {
        ...db('customers'),
        ...tokens,
        OIDC_ISSUER_URL: oidc.issuer,
        OIDC_REDIRECT_URI: `${gatewayUrl}/auth/callback`,
        ADMIN_EMAILS: admins,
      },
      catalog: { ...db('catalog'), REDIS_URL: redis.url, CACHE_PREFIX: `chaos-${runId}-catalog` },
      orders: {
        ...db('orders'),
        CATALOG_URL: balancers.catalog!.url,
        CUSTOMERS_URL: balancers.customers!.url,
        KAFKA_BROKERS: kafkaBrokers.join(','),
        ORDER_EVENTS_TOPIC: topics.orderEvents,
      },
      notifications: {
        ...db('notifications'),
        KAFKA_BROKERS: kafkaBrokers.join(','),
        ORDER_EVENTS_TOPIC: topics.orderEvents,
        DEAD_LETTER_TOPIC: topics.deadLetters,
        KAFKA_GROUP_ID: notificationsGroup,
        CONSUMER_FROM_BEGINNING: 'true',
        ADMIN_EMAILS: admins,
        SMTP_URL: `smtp://127.0.0.1:${mail.smtpPort}`,
        TWILIO_LOCAL_URL: sms.url,
      },
      gateway: {
        CUSTOMERS_URL: balancers.customers!.url,
        CATALOG_URL: balancers.catalog!.url,
        ORDERS_URL: balancers.orders!.url,
        REDIS_URL: redis.url,
        RATE_LIMIT_PREFIX: `chaos-${runId}-gw`,
        AUTH_CALLBACK_URL: `${gatewayUrl}/auth/callback`,
        ...tokens,
      },
    };
    const envOf = (s: ServiceName) => ({
      ...readDevEnv(s),
      OTEL_SERVICE_NAME: s,
      OTEL_TRACES_EXPORTER: 'none',
      PORT: '0',
      OPS_PORT: '0',
      ...isolation[s],
      ...options.extraEnv?.[s],
    });

    const start = async (r: Replica) => {
      const svc = await startService(r.service, envOf(r.service), {
        cwd: path.join(REPO_ROOT, 'services', r.service),
        entry: 'dist/main.js',
        timeoutMs: 90_000,
      });
      r.svc = svc;
      await waitReady(svc);
      r.inRotation = true;
    };
    const stop = async (r: Replica, signal: NodeJS.Signals) => {
      if (signal !== 'SIGKILL') r.inRotation = false;
      const code = (await r.svc?.stop(signal)) ?? null;
      r.inRotation = false;
      if (code !== 0 && signal !== 'SIGKILL') {
        r.lastTrouble = (r.svc?.logs ?? [])
          .filter((l) => l.level === 'warn' || l.level === 'error')
          .map((l) => `${String(l.level)}: ${String(l.message)}${l.closer ? ` (${String(l.closer)})` : ''}`);
      }
      return code;
    };

    // Dependencies first, as scripts/dev does. The first replica of a service applies its
    // migrations; the others start once it is ready, alongside the next service's first replica.
    const later: Array<Promise<void>> = [];
    for (const s of SERVICES) {
      const [first, ...rest] = replicas[s];
      if (!first) continue;
      await start(first);
      later.push(...rest.map((r) => start(r)));
    }
    await Promise.all(later);

    return {
      runId,
      gatewayUrl,
      balancers,
      replicas,
      sms,
      mail,
      redis,
      postgres,
      topics,
      notificationsGroup,
      kafkaBrokers,
      // A connection per call: experiments restart PostgreSQL, and a kept one would not survive that.
      sql: async <R>(s: DatabaseService, text: string, params: unknown[] = []) => {
        const client = new Client({ connectionString: infra.adminUrl, options: `-c search_path=${schemas[s].schema}` });
        await client.connect();
        try {
          return (await client.query(text, params)).rows as R[];
        } finally {
          await client.end();
        }
      },
      start,
      stop,
      shutdown: async () => {
        for (const s of [...SERVICES].reverse()) {
          for (const r of replicas[s])
            if (r.svc && r.svc.child.exitCode === null && r.svc.child.signalCode === null)
              exited[r.name] = await stop(r, 'SIGTERM');
        }
        await runCleanups(cleanups);
        return exited;
      },
    };
  } catch (err) {
    for (const s of [...SERVICES].reverse()) for (const r of replicas[s]) await r.svc?.stop('SIGKILL');
    await runCleanups(cleanups);
    throw err;
  }
}

/** What scripts/dev and a readiness probe wait for. */
async function waitReady(svc: RunningService): Promise<void> {
  await eventually(
    `${svc.name} /readyz`,
    async () => {
      if (svc.child.exitCode !== null || svc.child.signalCode !== null)
        throw new Error(`${svc.name} exited with ${svc.child.exitCode ?? svc.child.signalCode}`);
      const res = await fetch(`http://127.0.0.1:${svc.opsPort}/readyz`);
      return res.ok ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
}

/** The run's topics with explicit partition counts (dead letters keep one, as notifications makes it). */
async function createTopics(
  brokers: string[],
  topics: { orderEvents: string; deadLetters: string },
): Promise<() => Promise<void>> {
  const admin = new Kafka({ clientId: 'chaos-harness', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: topics.orderEvents, numPartitions: ORDER_EVENT_PARTITIONS },
      { topic: topics.deadLetters, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
  return async () => {
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
  };
}

async function runCleanups(cleanups: Array<() => Promise<unknown>>): Promise<void> {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}
