import { ConfigError, baseEnv, databaseEnv, kafkaEnv, loadConfig } from '@ordersystem/platform';
import { z } from 'zod';

const list = z.string().transform((s) =>
  s
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
);
const ms = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

/** Every setting of the notifications service, read once from the environment at start-up. */
export function loadNotificationsConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(
    {
      ...baseEnv,
      ...databaseEnv,
      ...kafkaEnv,
      KAFKA_BROKERS: list,
      KAFKA_CLIENT_ID: z.string().default('notifications'),
      KAFKA_GROUP_ID: z.string().default('notifications'),
      /** How soon the group notices a dead member (a crashed pod) and hands its partitions over. */
      KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).default(30_000),
      ORDER_EVENTS_TOPIC: z.string().default('ordersystem.orders.v1.events'),
      /** Used only if this service starts first and must create the topic; same meaning as in orders. */
      ORDER_EVENTS_PARTITIONS: z.coerce.number().int().positive().default(3),
      /** A brand-new group starts at the oldest event (tests, fresh dev) instead of the newest (production default). */
      CONSUMER_FROM_BEGINNING: z.stringbool().default(false),
      DEAD_LETTER_TOPIC: z.string().default('ordersystem.notifications.v1.dead-letters'),
      ADMIN_EMAILS: list.default([]),
      EMAIL_FROM: z.string().default('Order System <orders@ordersystem.local>'),
      /** Dev default: the local SMTP sink of packages/dev-sinks. */
      SMTP_URL: z.string().default('smtp://127.0.0.1:1025'),
      /** All three set → real Twilio; otherwise SMS go to TWILIO_LOCAL_URL. */
      TWILIO_ACCOUNT_SID: z.string().regex(/^AC/).optional(),
      TWILIO_AUTH_TOKEN: z.string().optional(),
      TWILIO_FROM: z.string().optional(),
      TWILIO_LOCAL_URL: z.url().default('http://127.0.0.1:4010'),
      PROVIDER_TIMEOUT_MS: ms(10_000),
      RETRY_BASE_MS: ms(30_000),
      RETRY_FACTOR: z.coerce.number().min(1).default(2),
      RETRY_CAP_MS: ms(3_600_000),
      MAX_ATTEMPTS: z.coerce.number().int().positive().default(6),
      // Short: an idle poll is one cheap indexed query. New rows wake the dispatcher at once; the poll finds
      // retries that came due and rows another replica stored, and a long one would delay exactly those.
      DISPATCH_INTERVAL_MS: ms(100),
      DISPATCH_BATCH_SIZE: z.coerce.number().int().positive().default(100),
      /** A stored event wakes the dispatcher this much later, so one claim serves several events. */
      DISPATCH_LINGER_MS: z.coerce.number().int().min(0).max(1_000).default(20),
      /** How long a claimed row stays `sending`; must exceed PROVIDER_TIMEOUT_MS. */
      SEND_LEASE_MS: ms(60_000),
      BREAKER_ERROR_THRESHOLD_PERCENT: z.coerce.number().min(1).max(100).default(50),
      BREAKER_VOLUME_THRESHOLD: z.coerce.number().int().nonnegative().default(5),
      BREAKER_RESET_TIMEOUT_MS: ms(30_000),
      /** Test-only fault injection: the process SIGKILLs itself once at this point. */
      CRASH_AT: z.enum(['after-store', 'after-claim', 'after-send']).optional(),
    },
    env,
  );
  // A lease shorter than a provider call would declare live sends dead (unknown outcome).
  if (config.SEND_LEASE_MS <= config.PROVIDER_TIMEOUT_MS * 2) {
    throw new ConfigError('invalid configuration:\n  SEND_LEASE_MS: must be more than twice PROVIDER_TIMEOUT_MS');
  }
  return config;
}

export type NotificationsConfig = ReturnType<typeof loadNotificationsConfig>;

/** Settings of the admin CLI (src/cli.ts): where the service's gRPC port is. */
export function loadCliConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig({ NOTIFICATIONS_URL: z.url().default('http://127.0.0.1:50054') }, env);
}
