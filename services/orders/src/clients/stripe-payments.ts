import { AppError, unavailable } from '@ordersystem/platform/errors';
import Stripe from 'stripe';
import type { PaymentMethod, PaymentProvider } from '../app/ports.js';
import type { PaymentUpdate } from '../domain/payment.js';

export interface StripeOptions {
  secretKey: string;
  /** Base URL of a local stand-in (localstripe); undefined talks to Stripe itself. */
  apiBase?: URL;
  timeoutMs: number;
}

/**
 * Card payments through Stripe PaymentIntents: the PaymentMethod that starts a payment at placement
 * and the PaymentProvider behind webhooks, reconciliation, timeouts and refunds. Every request that
 * creates something carries an idempotency key derived from the order id. The secret key never
 * leaves this object; errors are mapped to the service's kinds with Stripe's message, never the key.
 */
export function createStripePayments(options: StripeOptions): PaymentMethod & PaymentProvider {
  const local = options.apiBase;
  const stripe = new Stripe(options.secretKey, {
    timeout: options.timeoutMs,
    maxNetworkRetries: 1,
    telemetry: false,
    ...(local && {
      host: local.hostname,
      port: local.port,
      protocol: local.protocol === 'https:' ? 'https' : 'http',
    }),
  });
  const call = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      throw asAppError(what, err);
    }
  };
  return {
    name: 'card',
    provider: 'stripe',
    async begin(order) {
      const intent = await call('create the payment', () =>
        stripe.paymentIntents.create(
          {
            amount: Number(order.totalMinor),
            currency: order.currency.toLowerCase(),
            metadata: { order_id: order.id },
          },
          // The order id is the key: a retried placement finds the intent the first attempt created.
          { idempotencyKey: `order-${order.id}` },
        ),
      );
      return {
        settled: false,
        note: 'card payment required',
        payment: {
          state: 'requires_payment',
          provider: 'stripe',
          reference: intent.id,
          amountPaidMinor: 0n,
          refundedMinor: 0n,
          failureReason: '',
          refundReference: '',
        },
      };
    },
    async clientSecret(reference) {
      const intent = await call('read the payment', () => stripe.paymentIntents.retrieve(reference));
      return intent.client_secret ?? '';
    },
    async lookup(reference) {
      return updateOf(await call('read the payment', () => stripe.paymentIntents.retrieve(reference)));
    },
    async cancel(reference) {
      const intent = await call('read the payment', () => stripe.paymentIntents.retrieve(reference));
      if (intent.status === 'succeeded' || intent.status === 'processing') return 'settled';
      if (intent.status !== 'canceled') await call('cancel the payment', () => stripe.paymentIntents.cancel(reference));
      return 'canceled';
    },
    async refund(reference, orderId, amountMinor) {
      // A refund already made for this payment is the one (a stand-in may not honour idempotency keys).
      const existing = await call('list refunds', () => stripe.refunds.list({ payment_intent: reference, limit: 10 }));
      const done = existing.data.find((r) => r.status !== 'failed' && r.status !== 'canceled');
      if (done) return done.id;
      const refund = await call('refund the payment', () =>
        stripe.refunds.create(
          { payment_intent: reference, amount: Number(amountMinor), metadata: { order_id: orderId } },
          { idempotencyKey: `refund-${orderId}` },
        ),
      );
      return refund.id;
    },
    parseEvent(payload) {
      const event = parseJson(payload) as Stripe.Event | undefined;
      if (typeof event?.id !== 'string' || typeof event.type !== 'string') {
        throw new AppError('invalid_argument', 'not a Stripe event', [
          { field: 'payload', description: 'not an event' },
        ]);
      }
      const object = event.data?.object as { object?: string } | undefined;
      if (!event.type.startsWith('payment_intent.') || object?.object !== 'payment_intent') {
        return { eventId: event.id, type: event.type };
      }
      return { eventId: event.id, type: event.type, update: updateOf(object as Stripe.PaymentIntent) };
    },
  };
}

function parseJson(payload: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A PaymentIntent in the provider-neutral terms of the domain. */
function updateOf(intent: Stripe.PaymentIntent): PaymentUpdate {
  const failed = intent.status === 'requires_payment_method' && intent.last_payment_error;
  const outcome =
    intent.status === 'succeeded'
      ? 'succeeded'
      : intent.status === 'canceled'
        ? 'canceled'
        : failed
          ? 'failed'
          : 'pending';
  return {
    reference: intent.id,
    orderId: intent.metadata?.order_id ?? '',
    outcome,
    amountMinor: BigInt(intent.amount_received || intent.amount),
    currency: intent.currency.toUpperCase(),
    failureReason: failed ? (intent.last_payment_error?.message ?? intent.last_payment_error?.code ?? 'declined') : '',
  };
}

/**
 * Stripe unreachable, rate limited or failing on its side is `unavailable` (the caller retries);
 * anything Stripe refuses is our bug or a state conflict, so it is internal with Stripe's message.
 */
function asAppError(what: string, err: unknown): Error {
  if (err instanceof Stripe.errors.StripeConnectionError || err instanceof Stripe.errors.StripeAPIError) {
    return unavailable(`the payment provider is unreachable; could not ${what}`);
  }
  if (err instanceof Stripe.errors.StripeRateLimitError) {
    return unavailable(`the payment provider is busy; could not ${what}`);
  }
  if (err instanceof Stripe.errors.StripeError) {
    const e = new Error(`stripe refused to ${what}: ${err.type} ${err.code ?? ''} ${err.message}`);
    return e;
  }
  return err instanceof Error ? err : new Error(String(err));
}
