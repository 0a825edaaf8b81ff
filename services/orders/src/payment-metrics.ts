import { Counter, type Registry } from 'prom-client';
import type { PaymentMetrics } from './app/ports.js';

const OUTCOMES = ['paid', 'failed', 'mismatch', 'canceled', 'late_refund'] as const;

/**
 * Payment counters: outcomes applied to orders (from webhooks or reconciliation), corrections made
 * by the reconciliation worker (each one a webhook that did not arrive) and refunds. Every series
 * is born at zero so that rate() and increase() see the first event.
 */
export function createPaymentMetrics(registry: Registry): PaymentMetrics {
  const outcomes = new Counter({
    name: 'orders_payments_total',
    help: 'Payment outcomes applied to orders: paid, failed, mismatch (refused), canceled (unpaid in time), late_refund.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const corrections = new Counter({
    name: 'orders_payment_reconciliation_corrections_total',
    help: 'Orders the payment reconciliation changed because no webhook had (lost or late webhooks).',
    registers: [registry],
  });
  const refunds = new Counter({
    name: 'orders_refunds_total',
    help: 'Refund attempts of cancelled paid orders, by outcome (issued, failed: retried by reconciliation).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of OUTCOMES) outcomes.inc({ outcome }, 0);
  refunds.inc({ outcome: 'issued' }, 0);
  refunds.inc({ outcome: 'failed' }, 0);
  return {
    outcome: (outcome) => outcomes.inc({ outcome }),
    reconciled: () => corrections.inc(),
    refund: (outcome) => refunds.inc({ outcome }),
  };
}
