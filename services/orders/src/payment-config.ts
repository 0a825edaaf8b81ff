import { z } from 'zod';

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);

/**
 * Card payments (Stripe). Without STRIPE_SECRET_KEY the card method is not offered. With
 * STRIPE_API_BASE set, the Stripe client talks to that local stand-in (localstripe) instead of
 * Stripe; unset it and use real keys to switch to Stripe with no code change.
 */
export const paymentEnv = {
  STRIPE_SECRET_KEY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^(sk|rk)_/, 'must be a Stripe secret key')
      .optional(),
  ),
  STRIPE_API_BASE: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  STRIPE_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  /**
   * Milliseconds after which a card order still unpaid is cancelled, its stock released and its
   * PaymentIntent cancelled. Keep it below the catalog's RESERVATION_TTL_SECONDS (15 min): a payment
   * must confirm the order while its reservation still exists.
   */
  PAYMENT_TIMEOUT: z.coerce.number().int().positive().default(600_000),
  /** A pending payment untouched for this long (ms) is checked with Stripe (lost webhooks). */
  PAYMENT_RECONCILE_AFTER_MS: z.coerce.number().int().positive().default(120_000),
  /** How often the reconciliation and timeout workers look. */
  PAYMENT_WORKER_POLL_MS: z.coerce.number().int().positive().default(30_000),
};
