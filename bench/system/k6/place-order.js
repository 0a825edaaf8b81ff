/* global __ENV, __VU, __ITER, open */
// PlaceOrder through the gateway as authenticated customers (tokens from the real OIDC login),
// one line each over a pool of well-stocked products, every request with a unique idempotency key.
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';

const fixture = JSON.parse(open(__ENV.FIXTURE));
const url = `${__ENV.GATEWAY_URL}/ordersystem.orders.v1.OrderService/PlaceOrder`;
const duration = new Trend('PlaceOrder_ms', true);
const errors = new Counter('PlaceOrder_errors');
let reported = 0;

export const options = {
  summaryTrendStats: ['avg', 'min', 'med', 'p(95)', 'p(99)', 'max', 'count'],
  scenarios: { orders: { executor: 'constant-vus', vus: Number(__ENV.VUS), duration: __ENV.DURATION } },
};

export default function () {
  const customer = fixture.customers[(__VU - 1) % fixture.customers.length];
  const productId = fixture.productIds[(__VU * 7 + __ITER) % fixture.productIds.length];
  const body = JSON.stringify({
    lines: [{ productId, quantity: '1' }],
    deliveryAddress: { ...fixture.address, phoneNumber: customer.phone },
    idempotencyKey: `${fixture.runId}-${__VU}-${__ITER}`,
    paymentMethod: 'PAYMENT_METHOD_PAY_ON_DELIVERY',
  });
  const res = http.post(url, body, {
    headers: {
      'content-type': 'application/json',
      'connect-protocol-version': '1',
      authorization: `Bearer ${customer.token}`,
    },
  });
  duration.add(res.timings.duration);
  if (res.status !== 200) {
    errors.add(1);
    // eslint-disable-next-line no-console -- k6 has no other way to show a sample of the failures
    if (reported++ < 3) console.error(`PlaceOrder ${res.status}: ${String(res.body).slice(0, 200)}`);
  }
}

export function handleSummary(data) {
  return { [__ENV.SUMMARY]: JSON.stringify(data) };
}
