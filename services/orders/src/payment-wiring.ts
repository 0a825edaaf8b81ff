import { type Database, type Runtime, startWorker } from '@ordersystem/platform';
import type { ApplyPaymentDeps } from './app/apply-payment.js';
import { cancelPayment } from './app/cancel-payment.js';
import { expireUnpaidOrders, reconcilePayments } from './app/payment-workers.js';
import type { CatalogTaskRunner, OrderEventEncoder, OrderRepository, PaymentMethod } from './app/ports.js';
import { createStripePayments } from './clients/stripe-payments.js';
import type { OrdersConfig } from './config.js';
import { PgPaymentStore } from './db/payment-store.js';
import { createPaymentMetrics } from './payment-metrics.js';

/**
 * Card payments, part of the composition root: the Stripe adapter, the payment store, the
 * reconciliation and timeout workers, and what the RPC layer and the cancel use case need. Nothing
 * when STRIPE_SECRET_KEY is unset (pay on delivery only).
 */
export function wirePayments(
  runtime: Runtime,
  config: OrdersConfig,
  parts: { db: Database; encode: OrderEventEncoder; tasks: CatalogTaskRunner; orders: OrderRepository },
) {
  if (!config.STRIPE_SECRET_KEY) return undefined;
  const { logger, metrics, lifecycle } = runtime;
  const stripe = createStripePayments({
    secretKey: config.STRIPE_SECRET_KEY,
    apiBase: config.STRIPE_API_BASE ? new URL(config.STRIPE_API_BASE) : undefined,
    timeoutMs: config.STRIPE_TIMEOUT_MS,
  });
  const paymentEvents: ApplyPaymentDeps = {
    paymentStore: new PgPaymentStore(parts.db, parts.encode),
    provider: stripe,
    tasks: parts.tasks,
    logger,
    paymentMetrics: createPaymentMetrics(metrics.registry),
  };
  const workerDeps = {
    ...paymentEvents,
    paymentTimeoutMs: config.PAYMENT_TIMEOUT,
    reconcileAfterMs: config.PAYMENT_RECONCILE_AFTER_MS,
    batchSize: 50,
  };
  const worker = { logger, registry: metrics.registry, intervalMs: config.PAYMENT_WORKER_POLL_MS, runAtStart: true };
  const reconcile = startWorker({
    name: 'payment-reconciliation',
    pass: () => reconcilePayments(workerDeps),
    ...worker,
  });
  lifecycle.onStop('payment-reconciliation', reconcile.stop);
  const expire = startWorker({ name: 'payment-timeouts', pass: () => expireUnpaidOrders(workerDeps), ...worker });
  lifecycle.onStop('payment-timeouts', expire.stop);
  return {
    method: stripe satisfies PaymentMethod,
    provider: stripe,
    paymentEvents,
    paymentFollowUp: cancelPayment({ ...paymentEvents, orders: parts.orders }),
  };
}
