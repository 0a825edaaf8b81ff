#!/usr/bin/env node
// Prints the difference between two bench/system result files (not part of any test suite):
//   node bench/system/compare.mjs bench/results/system-A.json bench/results/system-B.json
// Throughput, p99 and errors of every scenario, the floors and the ratios to them, SQL round trips
// and commits per order, and memory. Absolute figures move with the machine's load; the ratios to
// the floor measured in the same run are the ones to compare across runs.
import { readFileSync } from 'node:fs';

const [aFile, bFile] = process.argv.slice(2);
if (!aFile || !bFile) {
  process.stderr.write('usage: node bench/system/compare.mjs <before.json> <after.json>\n');
  process.exit(2);
}
const [a, b] = [aFile, bFile].map((f) => JSON.parse(readFileSync(f, 'utf8')));

/** Every figure worth comparing, flattened to name → number. */
function figures(run) {
  const out = new Map();
  const r = run.results ?? {};
  const scenario = (prefix, f) => {
    if (!f) return;
    out.set(`${prefix} req/s`, f.throughput);
    out.set(`${prefix} p99 ms`, f.p99);
    out.set(`${prefix} errors`, f.errors);
  };
  for (const f of r.catalog ?? []) scenario(f.scenario === 'catalog' ? 'catalog reads' : `  ${f.scenario}`, f);
  scenario('PlaceOrder', r.placeOrder?.[0]);
  scenario('floor (Node)', r.floor);
  scenario('floor (pgbench)', r.pgbenchFloor);
  scenario('order → SMS', r.orderToSms);
  for (const f of r.scaling ?? []) scenario(f.scenario, f);
  for (const d of r.dataSize ?? [])
    for (const f of d.reads) out.set(`${d.size.categories}/${d.size.products} ${f.scenario} p50 ms`, f.p50);
  out.set('PlaceOrder / floor (Node)', run.placeOrderToFloor);
  out.set('PlaceOrder / floor (pgbench)', run.placeOrderToPgbench);
  out.set('catalog reads / floor (Node)', run.readsToFloor);
  if (r.sqlPerOrder) {
    for (const s of r.sqlPerOrder.perService) {
      out.set(`SQL round trips per order, ${s.service}`, s.roundTrips);
      out.set(`SQL commits per order, ${s.service}`, s.commits);
    }
    out.set('SQL round trips per order, total', r.sqlPerOrder.total.roundTrips);
    out.set('SQL commits per order, total', r.sqlPerOrder.total.commits);
  }
  for (const [svc, m] of Object.entries(r.memory ?? {})) out.set(`RSS MiB ${svc}`, m.rssMiB);
  return out;
}

const fa = figures(a);
const fb = figures(b);
const fmt = (x) => (x === undefined || !Number.isFinite(x) ? '–' : Math.abs(x) < 10 ? x.toFixed(2) : x.toFixed(0));
const names = [...new Set([...fa.keys(), ...fb.keys()])];
const width = Math.max(...names.map((n) => n.length));
process.stdout.write(
  `${''.padEnd(width)}  ${(a.label || a.at).padStart(12)}  ${(b.label || b.at).padStart(12)}  change\n`,
);
for (const name of names) {
  const [x, y] = [fa.get(name), fb.get(name)];
  const change =
    Number.isFinite(x) && Number.isFinite(y) && x !== 0 ? `${(((y - x) / Math.abs(x)) * 100).toFixed(1)} %` : '';
  process.stdout.write(`${name.padEnd(width)}  ${fmt(x).padStart(12)}  ${fmt(y).padStart(12)}  ${change}\n`);
}
process.stdout.write(
  `\nload average at the end: ${JSON.stringify(a.machine?.loadAverage)} → ${JSON.stringify(b.machine?.loadAverage)}\n`,
);
