import { randomUUID } from 'node:crypto';
import { ApiError, ORDERS, PublicApi } from '../../../e2e/harness/http-api.js';
import type { RunningSystem } from '../../../e2e/harness/system.js';
import type { BenchCustomer } from './seed.js';
import { type Figures, figuresOf } from './stats.js';

export interface SmsLatencyOptions {
  customers: BenchCustomer[];
  productIds: string[];
  address: Record<string, string>;
  ratePerSecond: number;
  seconds: number;
  /** How long to wait for the last SMS after the last order. */
  drainMs: number;
}

/**
 * Order → SMS accepted: orders placed at a steady rate (open model) through the gateway; for
 * each, the time from its acceptance (the order's created_at, the placement transaction's time) to
 * the moment the Twilio endpoint stored the order's confirmation SMS (stamped in-process at
 * millisecond resolution; one host, one clock). Measured from the PlaceOrder response instead,
 * half the SMS of a saturated run came out negative: they were stored before the response had
 * crossed the busy gateway and this process's own event loop.
 */
export async function measureSmsLatency(
  system: RunningSystem,
  o: SmsLatencyOptions,
): Promise<Figures & { missing: number; errorsByCode: Record<string, number> }> {
  const placed: Array<{ number: string; at: number }> = [];
  let errors = 0;
  const errorsByCode: Record<string, number> = {};
  const inFlight: Array<Promise<void>> = [];
  const total = Math.round(o.ratePerSecond * o.seconds);
  const started = Date.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / o.ratePerSecond;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    const customer = o.customers[i % o.customers.length]!;
    const api = new PublicApi(system.gatewayUrl, customer.token);
    inFlight.push(
      api
        .post<{ order: { number: string; createdAt: string } }>(ORDERS, 'PlaceOrder', {
          lines: [{ productId: o.productIds[i % o.productIds.length], quantity: '1' }],
          deliveryAddress: { ...o.address, phoneNumber: customer.phone },
          idempotencyKey: randomUUID(),
          paymentMethod: 'PAYMENT_METHOD_PAY_ON_DELIVERY',
        })
        .then((res) => void placed.push({ number: res.order.number, at: Date.parse(res.order.createdAt) }))
        .catch((err: unknown) => {
          errors++;
          // unavailable: refused at once by admission; deadline_exceeded: waited the gateway's 5 s.
          const code = err instanceof ApiError ? err.code : 'network';
          errorsByCode[code] = (errorsByCode[code] ?? 0) + 1;
        }),
    );
  }
  await Promise.all(inFlight);
  const deadline = Date.now() + o.drainMs;
  const latencies = new Map<string, number>();
  while (latencies.size < placed.length && Date.now() < deadline) {
    for (const m of system.sms.messages) {
      const order = placed.find((p) => m.body.includes(p.number) && /confirmed/i.test(m.body));
      if (order && !latencies.has(order.number)) latencies.set(order.number, system.smsArrivals.get(m.sid)! - order.at);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    ...figuresOf('order → SMS accepted', [...latencies.values()], errors, o.seconds),
    missing: placed.length - latencies.size,
    errorsByCode,
  };
}
