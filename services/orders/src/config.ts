import { baseEnv, databaseEnv, kafkaEnv, loadConfig } from '@ordersystem/platform';
import { z } from 'zod';
import { DEFAULT_TAX_TABLE, type TaxTable, validateTaxTable } from './domain/tax-table.js';
import { paymentEnv } from './payment-config.js';

const taxRates = z
  .string()
  .default(JSON.stringify(DEFAULT_TAX_TABLE))
  .transform((raw, ctx): TaxTable => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. {"standard":1600,"reduced":800,"zero":0}' });
      return z.NEVER;
    }
    const problem = validateTaxTable(parsed);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return Object.freeze(parsed as TaxTable);
  });

const ordersEnv = {
  /** Connections to PostgreSQL; a placement holds one per statement, never across a remote call. */
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),
  /**
   * Placements running at once per replica; more wait in line up to PLACE_ORDER_MAX_WAIT_MS, then
   * get `unavailable` (retryable). 0: no limit. See "Admission" in the README.
   */
  PLACE_ORDER_MAX_CONCURRENT: z.coerce.number().int().min(0).default(16),
  PLACE_ORDER_MAX_WAIT_MS: z.coerce.number().int().positive().default(3_000),
  /** gRPC base URLs of the services we call. */
  CATALOG_URL: z.url(),
  CUSTOMERS_URL: z.url(),
  /** Deadline of every call to catalog/customers. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((s) =>
      s
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    ),
  ORDER_EVENTS_TOPIC: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default('ordersystem.orders.v1.events'),
  ORDER_EVENTS_PARTITIONS: z.coerce.number().int().positive().default(3),
  /** Consumer groups of order events whose lag this service exports (comma-separated; empty for none). */
  LAG_WATCH_GROUPS: z
    .string()
    .default('notifications')
    .transform((s) =>
      s
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean),
    ),
  /** Tax rate per tax class in basis points (1600 = 16 %). */
  TAX_RATES: taxRates,
  MAX_ORDER_LINES: z.coerce.number().int().positive().max(1_000).default(50),
  /** ISO 4217 code every order is priced in; products priced otherwise cannot be ordered. */
  ORDER_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('KES'),
  /** Pay on delivery confirms at placement (true) or waits for an admin's ConfirmOrder (false). */
  PAY_ON_DELIVERY_CONFIRMS: z.stringbool().default(true),
  OUTBOX_POLL_MS: z.coerce.number().int().positive().default(1_000),
  OUTBOX_BATCH_SIZE: z.coerce.number().int().positive().max(1_000).default(200),
  /** A NOTIFY wakes the relay this much later, so one batch carries what several commits stored. */
  OUTBOX_LINGER_MS: z.coerce.number().int().min(0).max(1_000).default(20),
  RELAY_MAX_BACKOFF_MS: z.coerce.number().int().positive().default(5_000),
  CATALOG_TASK_POLL_MS: z.coerce.number().int().positive().default(1_000),
  /** A placement runs its reservation commit this much later, together with the orders placed meanwhile. */
  CATALOG_TASK_LINGER_MS: z.coerce.number().int().min(0).max(1_000).default(20),
  /**
   * How long a placement may hold its reservation before recovery treats it as abandoned and
   * releases it. Must comfortably exceed a placement's worst case (two upstream deadlines).
   */
  RESERVATION_LEASE_MS: z.coerce.number().int().positive().default(30_000),
  ...paymentEnv,
};

/** Every setting of the orders service, read once from the environment at start-up. */
export function loadOrdersConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig({ ...baseEnv, ...databaseEnv, ...kafkaEnv, ...ordersEnv }, env);
}

export type OrdersConfig = ReturnType<typeof loadOrdersConfig>;
