import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Figures } from './stats.js';

interface TrendValues {
  med: number;
  'p(95)': number;
  'p(99)': number;
  max: number;
  count: number;
}
interface K6Summary {
  state: { testRunDurationMs: number };
  metrics: Record<string, { values: Partial<TrendValues> & { count?: number; rate?: number } }>;
}

export interface K6Run {
  k6: string;
  script: string;
  gatewayUrl: string;
  fixture: unknown;
  vus: number;
  durationS: number;
  workDir: string;
  /** Trend/counter name prefixes the script reports (`<name>_ms`, `<name>_errors`). */
  names: string[];
}

/**
 * Runs one k6 script (closed model: `vus` virtual users for `durationS`) and returns the figures
 * per named request, read from the script's handleSummary JSON.
 */
export async function runK6(run: K6Run): Promise<Figures[]> {
  const base = path.basename(run.script, '.js');
  const fixture = path.join(run.workDir, `${base}.fixture.json`);
  const summary = path.join(run.workDir, `${base}.summary.json`);
  writeFileSync(fixture, JSON.stringify(run.fixture));
  const env = {
    ...process.env,
    GATEWAY_URL: run.gatewayUrl,
    FIXTURE: fixture,
    SUMMARY: summary,
    VUS: String(run.vus),
    DURATION: `${run.durationS}s`,
  };
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(run.k6, ['run', '--quiet', '--no-usage-report', run.script], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`k6 ${base} exited with ${code}`);
  const data = JSON.parse(readFileSync(summary, 'utf8')) as K6Summary;
  const seconds = data.state.testRunDurationMs / 1000;
  return run.names.map((name) => {
    const t = data.metrics[`${name}_ms`]?.values ?? {};
    const errors = data.metrics[`${name}_errors`]?.values.count ?? 0;
    const count = t.count ?? 0;
    return {
      scenario: name,
      requests: count,
      errors,
      throughput: (count - errors) / seconds,
      p50: t.med ?? NaN,
      p95: t['p(95)'] ?? NaN,
      p99: t['p(99)'] ?? NaN,
      max: t.max ?? NaN,
    };
  });
}
