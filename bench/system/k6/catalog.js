/* global __ENV, __VU, __ITER, open */
// Catalog browsing through the gateway: Connect GETs (NO_SIDE_EFFECTS methods, served from the
// catalog's Redis cache once warm), round-robin over ListProducts, GetCategoryTree and GetCategoryStats.
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';

const fixture = JSON.parse(open(__ENV.FIXTURE));
const base = `${__ENV.GATEWAY_URL}/ordersystem.catalog.v1.CatalogService`;
const get = (method, message) =>
  `${base}/${method}?connect=v1&encoding=json&message=${encodeURIComponent(JSON.stringify(message))}`;

const targets = [
  ['ListProducts', get('ListProducts', { categoryId: fixture.rootId, includeDescendants: true, pageSize: 20 })],
  ['GetCategoryTree', get('GetCategoryTree', { rootId: fixture.rootId })],
  ['GetCategoryStats', get('GetCategoryStats', { id: fixture.rootId })],
];
const durations = Object.fromEntries(targets.map(([name]) => [name, new Trend(`${name}_ms`, true)]));
const errors = Object.fromEntries(targets.map(([name]) => [name, new Counter(`${name}_errors`)]));
const all = new Trend('catalog_ms', true);
const allErrors = new Counter('catalog_errors');

export const options = {
  discardResponseBodies: true,
  summaryTrendStats: ['avg', 'min', 'med', 'p(95)', 'p(99)', 'max', 'count'],
  scenarios: { catalog: { executor: 'constant-vus', vus: Number(__ENV.VUS), duration: __ENV.DURATION } },
};

export default function () {
  const [name, url] = targets[(__VU + __ITER) % targets.length];
  const res = http.get(url, { tags: { name } });
  durations[name].add(res.timings.duration);
  all.add(res.timings.duration);
  if (res.status !== 200) {
    errors[name].add(1);
    allErrors.add(1);
  }
}

export function handleSummary(data) {
  return { [__ENV.SUMMARY]: JSON.stringify(data) };
}
