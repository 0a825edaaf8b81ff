/** Latency distribution of one measured scenario, in milliseconds. */
export interface Figures {
  scenario: string;
  requests: number;
  errors: number;
  /** Completed requests per second over the measured window. */
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending-sorted sample. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Figures from raw latencies measured over `seconds`. */
export function figuresOf(scenario: string, latenciesMs: number[], errors: number, seconds: number): Figures {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    scenario,
    requests: sorted.length + errors,
    errors,
    throughput: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}
