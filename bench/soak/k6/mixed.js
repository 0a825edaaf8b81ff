/* global __ENV, open */
// The soak's mixed load through the gateway at a steady pace (open model, so a slow answer does not
// slow the arrivals): catalog reads (Connect GETs over ListProducts, GetCategoryTree, GetCategoryStats,
// GetProduct) and PlaceOrder as logged-in customers, every order with its own idempotency key.
import http from 'k6/http';
import exec from 'k6/execution';
import { Counter, Trend } from 'k6/metrics';

const fixture = JSON.parse(open(__ENV.FIXTURE));
const catalog = `${__ENV.GATEWAY_URL}/ordersystem.catalog.v1.CatalogService`;
const get = (method, message) =>
  `${catalog}/${method}?connect=v1&encoding=json&message=${encodeURIComponent(JSON.stringify(message))}`;
const reads = [
  get('ListProducts', { categoryId: fixture.rootId, includeDescendants: true, pageSize: 20 }),
  get('GetCategoryTree', { rootId: fixture.rootId }),
  get('GetCategoryStats', { id: fixture.rootId }),
  ...fixture.productIds.slice(0, 10).map((id) => get('GetProduct', { id })),
];
const readMs = new Trend('reads_ms', true);
const readErrors = new Counter('reads_errors');
const orderMs = new Trend('PlaceOrder_ms', true);
const orderErrors = new Counter('PlaceOrder_errors');
let reported = 0;

const pace = (rate) => ({
  executor: 'constant-arrival-rate',
  rate: Number(rate),
  timeUnit: '1s',
  duration: __ENV.DURATION,
  preAllocatedVUs: 8,
  maxVUs: 64,
});
export const options = {
  discardResponseBodies: true,
  summaryTrendStats: ['avg', 'min', 'med', 'p(95)', 'p(99)', 'max', 'count'],
  scenarios: {
    reads: { ...pace(__ENV.READ_RATE), exec: 'read' },
    orders: { ...pace(__ENV.ORDER_RATE), exec: 'order' },
  },
};

export function read() {
  const res = http.get(reads[exec.scenario.iterationInTest % reads.length]);
  readMs.add(res.timings.duration);
  if (res.status !== 200) readErrors.add(1);
}

export function order() {
  const n = exec.scenario.iterationInTest;
  const customer = fixture.customers[n % fixture.customers.length];
  const body = JSON.stringify({
    lines: [{ productId: fixture.productIds[n % fixture.productIds.length], quantity: '1' }],
    deliveryAddress: { ...fixture.address, phoneNumber: customer.phone },
    idempotencyKey: `${fixture.runId}-${n}`,
    paymentMethod: 'PAYMENT_METHOD_PAY_ON_DELIVERY',
  });
  const res = http.post(`${__ENV.GATEWAY_URL}/ordersystem.orders.v1.OrderService/PlaceOrder`, body, {
    headers: {
      'content-type': 'application/json',
      'connect-protocol-version': '1',
      authorization: `Bearer ${customer.token}`,
    },
    responseType: 'text',
  });
  orderMs.add(res.timings.duration);
  if (res.status !== 200) {
    orderErrors.add(1);
    // eslint-disable-next-line no-console -- k6 has no other way to show a sample of the failures
    if (reported++ < 3) console.error(`PlaceOrder ${res.status}: ${String(res.body).slice(0, 200)}`);
  }
}

export function handleSummary(data) {
  return { [__ENV.SUMMARY]: JSON.stringify(data) };
}
