import { type Client, createClient, type Transport } from '@connectrpc/connect';
import { PaymentEventService } from '@ordersystem/contracts/ordersystem/orders/v1/payments';
import { AppError, type Logger, payloadTooLarge } from '@ordersystem/platform';
import { Counter, type Registry } from 'prom-client';
import Stripe from 'stripe';
import { z } from 'zod';
import type { PlainRoutes } from './plain-routes.js';
import { type NodeRequest, sendJson } from './respond.js';

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);

/** The gateway's Stripe settings, spread into its config. Without a secret the route answers 503. */
export const stripeWebhookEnv = {
  /** The webhook endpoint's signing secret (whsec_…); .infra/env has localstripe's. */
  STRIPE_WEBHOOK_SECRET: z.preprocess(emptyAsUndefined, z.string().startsWith('whsec_').optional()),
  /** Oldest signature timestamp accepted, in seconds (Stripe's libraries default to 300). */
  STRIPE_WEBHOOK_TOLERANCE_S: z.coerce.number().int().positive().max(3_600).default(300),
};

export interface StripeWebhookSettings {
  secret: string | undefined;
  toleranceSeconds: number;
}

export interface StripeWebhookOptions extends StripeWebhookSettings {
  paymentEvents: Client<typeof PaymentEventService>;
  maxBodyBytes: number;
  timeoutMs: number;
  registry: Registry;
  logger: Logger;
}

export type VerificationFailure = 'unsigned' | 'stale' | 'bad_signature';

/**
 * `POST /webhooks/stripe`: public (Stripe calls it; no token), so the signature is the only
 * authentication. It is checked on the raw body, before any parsing, with the timestamp tolerance
 * (Stripe's own library does the HMAC and the clock check); anything unsigned, stale or tampered
 * with is 400 and counted. A verified event goes to orders' internal PaymentEventService as the
 * exact bytes Stripe signed; an orders failure answers 5xx so that Stripe delivers it again.
 */
export function createStripeWebhookRoutes(o: StripeWebhookOptions): PlainRoutes {
  const failures = new Counter({
    name: 'gateway_webhook_verification_failures_total',
    help: 'Provider webhooks refused before reaching a service, by provider and reason (unsigned, stale, bad_signature).',
    labelNames: ['provider', 'reason'] as const,
    registers: [o.registry],
  });
  for (const reason of ['unsigned', 'stale', 'bad_signature'] as const) failures.inc({ provider: 'stripe', reason }, 0);
  const refuse = (reason: VerificationFailure, message: string): never => {
    failures.inc({ provider: 'stripe', reason });
    o.logger.warn({ reason }, 'stripe webhook refused');
    throw new AppError('invalid_argument', message, [{ field: 'stripe-signature', description: reason }]);
  };

  return (req, res, url) => {
    if (req.method !== 'POST' || url.pathname !== '/webhooks/stripe') return undefined;
    return (async () => {
      if (!o.secret) throw new AppError('unavailable', 'stripe webhooks are not configured here');
      const raw = await readRawBody(req, o.maxBodyBytes);
      const header = req.headers['stripe-signature'];
      if (typeof header !== 'string' || header === '') refuse('unsigned', 'missing Stripe-Signature header');
      try {
        Stripe.webhooks.constructEvent(raw, header as string, o.secret, o.toleranceSeconds);
      } catch (err) {
        const stale = err instanceof Error && /tolerance/i.test(err.message);
        refuse(stale ? 'stale' : 'bad_signature', stale ? 'signature timestamp too old' : 'signature does not match');
      }
      const { outcome } = await o.paymentEvents.handleProviderEvent(
        { provider: 'stripe', payload: raw },
        { timeoutMs: o.timeoutMs },
      );
      sendJson(res, 200, { received: true, outcome });
    })();
  };
}

async function readRawBody(req: NodeRequest, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw payloadTooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The route as the gateway server mounts it, from the server's own options; absent settings answer 503. */
export function mountStripeWebhook(o: {
  stripeWebhook?: StripeWebhookSettings;
  upstreams: { transports: { orders: Transport } };
  http: { maxBodyBytes: number };
  upstream: { timeoutMs: number };
  runtime: { logger: Logger; metrics: { registry: Registry } };
}): PlainRoutes {
  return createStripeWebhookRoutes({
    secret: o.stripeWebhook?.secret,
    toleranceSeconds: o.stripeWebhook?.toleranceSeconds ?? 300,
    paymentEvents: createClient(PaymentEventService, o.upstreams.transports.orders),
    maxBodyBytes: o.http.maxBodyBytes,
    timeoutMs: o.upstream.timeoutMs,
    registry: o.runtime.metrics.registry,
    logger: o.runtime.logger,
  });
}
