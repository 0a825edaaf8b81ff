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
  infraEnv,
  type InfraEnv,
  type RunningService,
  startService,
  type TestSchema,
} from '@ordersystem/testing';
import { Kafka, logLevel } from 'kafkajs';
import { readDevEnv, REPO_ROOT } from './dev-env.js';
import { eventually } from './poll.js';
import { freePort } from './ports.js';

/** Start order of `scripts/dev up`: dependencies before their callers, the gateway last. */
export const SERVICES = ['customers', 'catalog', 'orders', 'notifications', 'gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface SystemOptions {
  /** Admin logins (ADMIN_EMAILS of customers) and admin mail recipients (notifications). */
  adminEmails: string[];
  /** OTLP/HTTP endpoint every service exports spans to (JSON); unset leaves tracing as in dev (no export). */
  otlpEndpoint?: string;
  /** Extra variables per service, applied last (the benchmark lifts the rate limits this way). */
  extraEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Called once per service right after it is ready (the benchmark redirects logs to files). */
  onStarted?: (svc: RunningService) => void;
}

export interface RunningSystem {
  runId: string;
  gatewayUrl: string;
  services: Record<ServiceName, RunningService>;
  sms: TwilioFake;
  mail: SmtpSink;
  /** Arrival time (Date.now()) of each SMS at the Twilio endpoint, by message sid. */
  smsArrivals: Map<string, number>;
  topics: { orderEvents: string; deadLetters: string };
  /** When each service exited (Date.now()), filled by stop(). */
  exitedAt: Record<string, number>;
  /** This run's schema of each database service (tests look at or age rows there). */
  schemas: Record<DatabaseService, TestSchema>;
  /**
   * Stops a service with `signal` (SIGKILL: a crash) and starts it again on the same ports with the
   * same settings, `env` overriding some of them (for this and later restarts).
   */
  restart(name: ServiceName, signal?: NodeJS.Signals, env?: Record<string, string>): Promise<RunningService>;
  /** SIGTERM to every service in reverse start order; resolves with each exit code, then cleans up. */
  stop(): Promise<Record<string, number | null>>;
}

/**
 * Starts the whole system the way `scripts/dev up` does — each service a separate
 * `node --require @ordersystem/platform/telemetry dist/main.js` in services/<svc> with its
 * dev.env resolved against the infrastructure env — and isolates this run: a fresh schema per
 * database service, its own Kafka topics and consumer group, its own Redis key prefixes, the
 * local SMTP sink, OpenID provider and Twilio endpoint on free ports, and the gateway on a port
 * picked up front (its URL is the OIDC redirect target and the token issuer, so customers and the
 * provider must know it first).
 */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const infra = infraEnv();
  const runId = randomBytes(4).toString('hex');
  const cleanups: Array<() => Promise<unknown>> = [];
  const started: RunningService[] = [];
  try {
    const [sms, mail] = await Promise.all([startTwilioFake(), startSmtpSink()]);
    cleanups.push(
      () => sms.close(),
      () => mail.close(),
    );
    const smsArrivals = stampArrivals(sms);
    const topics = {
      orderEvents: `e2e.${runId}.orders.v1.events`,
      deadLetters: `e2e.${runId}.notifications.v1.dead-letters`,
    };
    const partitions = Number(readDevEnv('orders').ORDER_EVENTS_PARTITIONS ?? 3);
    cleanups.push(await createTopics(infra, [topics.orderEvents, topics.deadLetters], partitions));

    const gatewayPort = await freePort();
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    // Registered with customers' dev.env client (as the dev-sinks process registers it for scripts/dev).
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
    for (const svc of ['customers', 'catalog', 'orders', 'notifications'] as const) {
      schemas[svc] = await createTestSchema(infra, svc);
      cleanups.push(schemas[svc].drop);
    }
    const db = (svc: DatabaseService) => ({
      DATABASE_URL: schemas[svc].url,
      DATABASE_SCHEMA: schemas[svc].schema,
      MIGRATE_ON_START: 'true',
    });
    const url = (svc: RunningService) => `http://127.0.0.1:${svc.port}`;
    const admins = options.adminEmails.join(',');
    const tokens = {
      TOKEN_ISSUER: gatewayUrl,
      TOKEN_AUDIENCE: readDevEnv('gateway').TOKEN_AUDIENCE || readDevEnv('customers').TOKEN_AUDIENCE || 'ordersystem',
    };

    const envs: Partial<Record<ServiceName, Record<string, string>>> = {};
    const run = async (name: ServiceName, isolation: Record<string, string>) => {
      const env = (envs[name] = {
        ...readDevEnv(name),
        ...telemetryEnv(name, options.otlpEndpoint),
        PORT: '0',
        OPS_PORT: '0',
        ...isolation,
        ...options.extraEnv?.[name],
      });
      const svc = await startService(name, env, {
        cwd: path.join(REPO_ROOT, 'services', name),
        entry: 'dist/main.js',
        timeoutMs: 60_000,
      });
      started.push(svc);
      await waitReady(svc);
      options.onStarted?.(svc);
      return svc;
    };
    const customers = await run('customers', {
      ...db('customers'),
      ...tokens,
      OIDC_ISSUER_URL: oidc.issuer,
      OIDC_REDIRECT_URI: `${gatewayUrl}/auth/callback`,
      ADMIN_EMAILS: admins,
    });
    const catalog = await run('catalog', { ...db('catalog'), CACHE_PREFIX: `e2e-${runId}-catalog` });
    const notificationsGroup = `e2e-${runId}-notifications`;
    const orders = await run('orders', {
      ...db('orders'),
      CATALOG_URL: url(catalog),
      CUSTOMERS_URL: url(customers),
      ORDER_EVENTS_TOPIC: topics.orderEvents,
      LAG_WATCH_GROUPS: notificationsGroup,
    });
    const notifications = await run('notifications', {
      ...db('notifications'),
      ORDER_EVENTS_TOPIC: topics.orderEvents,
      DEAD_LETTER_TOPIC: topics.deadLetters,
      KAFKA_GROUP_ID: notificationsGroup,
      CONSUMER_FROM_BEGINNING: 'true',
      ADMIN_EMAILS: admins,
      SMTP_URL: `smtp://127.0.0.1:${mail.smtpPort}`,
      TWILIO_LOCAL_URL: sms.url,
    });
    const gateway = await run('gateway', {
      PORT: String(gatewayPort),
      CUSTOMERS_URL: url(customers),
      CATALOG_URL: url(catalog),
      ORDERS_URL: url(orders),
      NOTIFICATIONS_URL: url(notifications),
      RATE_LIMIT_PREFIX: `e2e-${runId}-gw`,
      AUTH_CALLBACK_URL: `${gatewayUrl}/auth/callback`,
      ...tokens,
    });
    const services: Record<ServiceName, RunningService> = { customers, catalog, orders, notifications, gateway };
    const exitedAt: Record<string, number> = {};
    return {
      runId,
      gatewayUrl,
      services,
      sms,
      mail,
      smsArrivals,
      topics,
      exitedAt,
      schemas,
      restart: async (name, signal = 'SIGTERM', env = {}) => {
        const old = services[name];
        await old.stop(signal);
        started.splice(started.indexOf(old), 1);
        const again = { PORT: String(old.port), OPS_PORT: String(old.opsPort) };
        services[name] = await run(name, { ...envs[name], ...again, ...env });
        return services[name];
      },
      stop: async () => {
        const codes: Record<string, number | null> = {};
        for (const svc of [...started].reverse()) {
          codes[svc.name] = await svc.stop('SIGTERM');
          exitedAt[svc.name] = Date.now();
        }
        await runCleanups(cleanups);
        return codes;
      },
    };
  } catch (err) {
    for (const svc of [...started].reverse()) await svc.stop('SIGTERM');
    await runCleanups(cleanups);
    throw err;
  }
}

/** The OTEL_* settings of one process; with an endpoint, spans go there as OTLP/HTTP JSON every 200 ms. */
function telemetryEnv(service: ServiceName, endpoint: string | undefined): Record<string, string> {
  if (!endpoint) return { OTEL_SERVICE_NAME: service };
  return {
    OTEL_SERVICE_NAME: service,
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_BSP_SCHEDULE_DELAY: '200',
  };
}

/** /readyz is what scripts/dev waits for: database, Kafka consumer group, upstreams. */
async function waitReady(svc: RunningService): Promise<void> {
  await eventually(
    `${svc.name} /readyz`,
    async () => {
      if (svc.child.exitCode !== null) throw new Error(`${svc.name} exited with ${svc.child.exitCode}`);
      const res = await fetch(`http://127.0.0.1:${svc.opsPort}/readyz`);
      return res.ok ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
}

/**
 * The fake records Twilio's own `date_created` (RFC 2822, whole seconds); the order → SMS latency
 * needs milliseconds, so stamp each message as the fake stores it.
 */
function stampArrivals(sms: TwilioFake): Map<string, number> {
  const arrivals = new Map<string, number>();
  const push = sms.messages.push.bind(sms.messages);
  sms.messages.push = (...items) => {
    const now = Date.now();
    for (const m of items) arrivals.set(m.sid, now);
    return push(...items);
  };
  return arrivals;
}

/** Creates this run's topics up front (a consumer subscribing to a missing topic may not see it for minutes). */
async function createTopics(infra: InfraEnv, topics: string[], partitions: number): Promise<() => Promise<void>> {
  const kafka = new Kafka({ clientId: 'e2e-harness', brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: topics.map((topic) => ({ topic, numPartitions: partitions })),
    waitForLeaders: true,
  });
  return async () => {
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  };
}

async function runCleanups(cleanups: Array<() => Promise<unknown>>): Promise<void> {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}
