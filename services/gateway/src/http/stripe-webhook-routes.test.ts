import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, createRouterTransport } from '@connectrpc/connect';
import { PaymentEventService } from '@ordersystem/contracts/ordersystem/orders/v1/payments';
import { AppError, createLogger } from '@ordersystem/platform';
import { Registry } from 'prom-client';
import Stripe from 'stripe';
import { createStripeWebhookRoutes } from './stripe-webhook-routes';

const SECRET = 'whsec_unit_test_secret';

/** The route on a real port, with orders' PaymentEventService in memory recording what it got. */
async function serve({ secret }: { secret: string | undefined } = { secret: SECRET }) {
  const received: Array<{ provider: string; payload: string }> = [];
  const transport = createRouterTransport(({ service }) => {
    service(PaymentEventService, {
      handleProviderEvent: (req) => {
        received.push({ provider: req.provider, payload: Buffer.from(req.payload).toString('utf8') });
        return { outcome: 'applied' };
      },
    });
  });
  const registry = new Registry();
  const routes = createStripeWebhookRoutes({
    secret,
    toleranceSeconds: 300,
    paymentEvents: createClient(PaymentEventService, transport),
    maxBodyBytes: 10_000,
    timeoutMs: 1_000,
    registry,
    logger: createLogger({ service: 'gateway-test', level: 'silent' }),
  });
  // As the request handler does: a refusal is a Connect error, here reduced to its status.
  const server = http.createServer((req, res) => {
    const handled = routes(req, res, new URL(req.url ?? '/', 'http://localhost'));
    if (!handled) return void res.writeHead(404).end();
    handled.catch((err: unknown) => {
      const kind = err instanceof AppError ? err.kind : 'internal';
      res.writeHead(kind === 'invalid_argument' ? 400 : kind === 'unavailable' ? 503 : 500).end(kind);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (body: string, signature?: string, path = '/webhooks/stripe') =>
    fetch(base + path, { method: 'POST', body, headers: signature ? { 'stripe-signature': signature } : {} });
  const failures = async (reason: string) =>
    (await registry.getSingleMetric('gateway_webhook_verification_failures_total')!.get()).values.find(
      (v) => v.labels.reason === reason,
    )?.value;
  return { post, received, failures, close: () => new Promise((resolve) => server.close(resolve)) };
}

const body = JSON.stringify({ id: 'evt_1', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1' } } });
const sign = (payload: string, timestamp?: number, secret = SECRET) =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });

describe('POST /webhooks/stripe', () => {
  it('hands a verified event to orders as the exact bytes Stripe signed', async () => {
    const s = await serve();
    try {
      const res = await s.post(body, sign(body));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ received: true, outcome: 'applied' });
      expect(s.received).toEqual([{ provider: 'stripe', payload: body }]);
    } finally {
      await s.close();
    }
  });

  it('refuses unsigned, wrongly signed, stale and tampered events with 400, counts them, forwards none', async () => {
    const s = await serve();
    try {
      expect((await s.post(body)).status).toBe(400);
      expect((await s.post(body, sign(body, undefined, 'whsec_other'))).status).toBe(400);
      expect((await s.post(body, sign(body, Math.floor(Date.now() / 1000) - 301))).status).toBe(400);
      expect((await s.post(body.replace('pi_1', 'pi_2'), sign(body))).status).toBe(400);
      expect((await s.post(body, 't=1,v1=deadbeef')).status).toBe(400);
      expect(s.received).toEqual([]);
      expect(await s.failures('unsigned')).toBe(1);
      expect(await s.failures('stale')).toBe(1);
      expect(await s.failures('bad_signature')).toBe(3);
    } finally {
      await s.close();
    }
  });

  it('answers 503 when no signing secret is configured, and leaves other paths alone', async () => {
    const s = await serve({ secret: undefined });
    try {
      expect((await s.post(body, sign(body))).status).toBe(503);
      expect((await s.post(body, sign(body), '/webhooks/other')).status).toBe(404);
      expect(s.received).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
