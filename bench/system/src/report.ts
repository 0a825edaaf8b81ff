import type { Figures } from './stats.js';

const n = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** The results as a fixed-width table. */
export function table(rows: Array<Figures & { target?: string; verdict?: string }>): string {
  const header = ['scenario', 'req', 'errors', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'target', 'met'];
  const body = rows.map((r) => [
    r.scenario,
    String(r.requests),
    String(r.errors),
    n(r.throughput, 0),
    n(r.p50),
    n(r.p95),
    n(r.p99),
    n(r.max),
    r.target ?? '',
    r.verdict ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
