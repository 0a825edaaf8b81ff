import { z } from 'zod';

/** Thrown when the environment does not satisfy a service's schema; lists every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Variables every service understands, with the same meaning everywhere. */
export const baseEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  /** gRPC/Connect over h2c. */
  PORT: z.coerce.number().int().min(0).max(65535),
  /** Plain HTTP/1.1: /healthz, /readyz, /metrics. Kept apart so probes and scrapes never queue behind RPCs. */
  OPS_PORT: z.coerce.number().int().min(0).max(65535),
  /** Must stay below the pod's terminationGracePeriodSeconds. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(10_000),
};

export const databaseEnv = {
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  /** The schema this service owns; overridden per test run for isolation. */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/),
  /** Apply pending migrations at start-up (development); production runs them as a job. */
  MIGRATE_ON_START: z.stringbool().default(false),
};

/**
 * Kafka connection security and topic shape, the same for every Kafka-using service (read by
 * kafkaSecurity and ensureTopics). Off by default: local and test brokers are plaintext.
 */
export const kafkaEnv = {
  KAFKA_TLS: z.stringbool().default(false),
  /** PEM bundle of the brokers' CA; without it, the system CAs. */
  KAFKA_CA_FILE: z.string().min(1).optional(),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /** Replication factor of the topics a service creates; unset leaves it to the broker (development). */
  KAFKA_TOPIC_REPLICATION_FACTOR: z.coerce.number().int().positive().optional(),
};

/**
 * Parses `env` against `shape` and returns a typed, frozen config. This is the only place that
 * reads process.env; on failure the error names every missing or invalid variable.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<z.infer<z.ZodObject<S>>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(result.data);
}
