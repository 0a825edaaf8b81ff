/**
 * The soak: the whole system started like `scripts/dev up` (through the e2e harness), a steady
 * mixed load through the public API for a configurable time, and each service's resident memory,
 * heap and open handles sampled from the start to the end, so a leak shows as growth.
 * Not a test: run it on demand with bench/soak/run.sh (see bench/README.md).
 */
import { createWriteStream, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadInfraEnvFile, type RunningService } from '@ordersystem/testing';
import { REPO_ROOT } from '../../../e2e/harness/dev-env.js';
import { PublicApi } from '../../../e2e/harness/http-api.js';
import { login } from '../../../e2e/harness/login.js';
import { scrape, total } from '../../../e2e/harness/metrics.js';
import { SERVICES, type ServiceName, startSystem } from '../../../e2e/harness/system.js';
import { runK6 } from '../../system/src/k6.js';
import { createCustomers, seedCatalog } from '../../system/src/seed.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    'read-rate': { type: 'string', default: '20' },
    'order-rate': { type: 'string', default: '2' },
    customers: { type: 'string', default: '8' },
    products: { type: 'string', default: '40' },
    /** The first sample is taken after this much load: JIT, caches and pools warm up first. */
    'warmup-seconds': { type: 'string', default: '30' },
    'sample-seconds': { type: 'string', default: '30' },
  },
});

/** What one process holds at one moment. */
interface Sample {
  at: number;
  rssMiB: number;
  heapUsedMiB: number;
  /** File descriptors: sockets, pipes, files (the kernel's count, /proc/<pid>/fd). */
  fds: number;
  /** libuv handles Node keeps alive (sockets, timers, servers): prom-client's nodejs_active_handles_total. */
  activeHandles: number;
}

const say = (line: string) => process.stdout.write(`[soak] ${line}\n`);
const K6 = process.env.K6 ?? path.join(REPO_ROOT, '.tools/bin/k6');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = path.join(REPO_ROOT, 'bench/results');
const workDir = path.join(outDir, `soak-${stamp}`);
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

async function sample(svc: RunningService): Promise<Sample> {
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${svc.pid}/status`, 'utf8'))?.[1] ?? NaN);
  const metrics = await scrape(svc.opsPort);
  return {
    at: Date.now(),
    rssMiB: Math.round(rssKiB / 102.4) / 10,
    heapUsedMiB: mib(total(metrics, 'nodejs_heap_size_used_bytes')),
    fds: readdirSync(`/proc/${svc.pid}/fd`).length,
    activeHandles: total(metrics, 'nodejs_active_handles_total'),
  };
}

async function main(): Promise<void> {
  mkdirSync(workDir, { recursive: true });
  loadInfraEnvFile();
  const seconds = Math.round(Number(args.minutes) * 60);
  const adminEmail = `soak-admin-${stamp.slice(-10).toLowerCase()}@bench.test`;
  say(
    `starting the system; then ${args.minutes} min of load: ${args['read-rate']} reads/s and ${args['order-rate']} orders/s`,
  );
  const system = await startSystem({
    adminEmails: [adminEmail],
    extraEnv: {
      gateway: { RATE_LIMIT_IP_POINTS: '1000000000', RATE_LIMIT_USER_POINTS: '1000000000' },
      // The customers' access tokens must outlive the run.
      customers: { ACCESS_TOKEN_TTL: String(seconds + 3_600) },
    },
    onStarted: (svc) => {
      // As in the system benchmark: service logs to files, not parsed here.
      svc.child.stdout?.removeAllListeners('data');
      svc.child.stdout?.pipe(createWriteStream(path.join(workDir, `${svc.name}.log`)));
    },
  });
  const series: Record<string, Sample[]> = Object.fromEntries(SERVICES.map((s) => [s, []]));
  const sampleAll = async () => {
    for (const s of SERVICES) series[s]!.push(await sample(system.services[s]));
  };
  let load: Awaited<ReturnType<typeof runK6>> | undefined;
  let codes: Record<string, number | null>;
  const smsBefore = system.sms.messages.length;
  try {
    const adminApi = new PublicApi(
      system.gatewayUrl,
      (await login(system.gatewayUrl, adminEmail, 'Soak admin')).access_token,
    );
    const seeded = await seedCatalog(adminApi, Number(args.products), 'KES');
    const customers = await createCustomers(system.gatewayUrl, Number(args.customers), system.runId);
    const address = {
      recipientName: 'Soak Recipient',
      line1: '1 Soak Street',
      city: 'Nairobi',
      postalCode: '00100',
      countryCode: 'KE',
    };
    await sampleAll();
    // runK6 hands its own environment to k6; the pace of bench/soak/k6/mixed.js travels that way.
    process.env.READ_RATE = args['read-rate'];
    process.env.ORDER_RATE = args['order-rate'];
    const running = runK6({
      k6: K6,
      script: path.join(REPO_ROOT, 'bench/soak/k6/mixed.js'),
      gatewayUrl: system.gatewayUrl,
      workDir,
      fixture: { rootId: seeded.rootId, productIds: seeded.productIds, customers, address, runId: system.runId },
      vus: 0,
      durationS: seconds,
      names: ['reads', 'PlaceOrder'],
    });
    const every = Number(args['sample-seconds']) * 1_000;
    const timer = setInterval(
      () => void sampleAll().catch((err: unknown) => say(`sample failed: ${String(err)}`)),
      every,
    );
    try {
      load = await running;
    } finally {
      clearInterval(timer);
    }
    await sampleAll();
  } finally {
    say('stopping the system');
    codes = await system.stop();
  }
  report(series, load ?? [], codes, system.sms.messages.length - smsBefore);
}

function report(
  series: Record<string, Sample[]>,
  load: Awaited<ReturnType<typeof runK6>>,
  codes: Record<string, number | null>,
  sms: number,
): void {
  const warmupMs = Number(args['warmup-seconds']) * 1_000;
  const rows = SERVICES.map((s: ServiceName) => {
    const all = series[s]!;
    const begin = all[0]!.at;
    // The first sample taken once the load has run for the warm-up, and the last one under load.
    const start = all.find((x) => x.at - begin >= warmupMs) ?? all[0]!;
    const end = all[all.length - 1]!;
    return { service: s, start, end, peakRssMiB: Math.max(...all.map((x) => x.rssMiB)) };
  });
  const out = { at: new Date().toISOString(), options: args, load, smsAccepted: sms, exitCodes: codes, rows, series };
  const file = path.join(outDir, `soak-${stamp}.json`);
  writeFileSync(file, JSON.stringify(out, null, 2));
  const pad = (v: unknown, n: number) => String(v).padStart(n);
  const lines = [
    `${'service'.padEnd(14)}${pad('RSS MiB start→end', 20)}${pad('heap MiB', 16)}${pad('fds', 12)}${pad('handles', 12)}${pad('peak RSS', 10)}`,
    ...rows.map(
      (r) =>
        `${r.service.padEnd(14)}${pad(`${r.start.rssMiB}→${r.end.rssMiB}`, 20)}${pad(`${r.start.heapUsedMiB}→${r.end.heapUsedMiB}`, 16)}` +
        `${pad(`${r.start.fds}→${r.end.fds}`, 12)}${pad(`${r.start.activeHandles}→${r.end.activeHandles}`, 12)}${pad(r.peakRssMiB, 10)}`,
    ),
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  for (const f of load)
    process.stdout.write(
      `${f.scenario}: ${f.requests} requests, ${f.errors} errors, ${f.throughput.toFixed(1)}/s, p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms\n`,
    );
  process.stdout.write(
    `SMS accepted: ${sms}; exit codes on SIGTERM: ${JSON.stringify(codes)}\nJSON: ${path.relative(REPO_ROOT, file)}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`soak failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
