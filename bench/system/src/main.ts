/**
 * The system benchmark: starts the whole system like `scripts/dev up` (through the e2e harness),
 * seeds it through the public API, logs customers in for real, drives it with k6, measures
 * order → SMS latency, then runs the PostgreSQL floor, and prints/writes the figures.
 * Not a test: run it on demand with bench/system/run.sh (see bench/README.md).
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { infraEnv, loadInfraEnvFile } from '@ordersystem/testing';
import { REPO_ROOT } from '../../../e2e/harness/dev-env.js';
import { PublicApi } from '../../../e2e/harness/http-api.js';
import { login } from '../../../e2e/harness/login.js';
import { type ServiceName, startSystem } from '../../../e2e/harness/system.js';
import { runFloor } from './floor.js';
import { runK6 } from './k6.js';
import { type ProfileSummary, summariseProfiles } from './profile.js';
import { table } from './report.js';
import { createCustomers, seedCatalog } from './seed.js';
import { measureSmsLatency } from './sms-latency.js';
import type { Figures } from './stats.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    'catalog-vus': { type: 'string', default: '32' },
    'order-vus': { type: 'string', default: '32' },
    customers: { type: 'string', default: '32' },
    products: { type: 'string', default: '40' },
    'sms-rate': { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    'sms-seconds': { type: 'string', default: '10' },
    profile: { type: 'boolean', default: false },
    /** Extra service settings for experiments, e.g. --env notifications:DISPATCH_INTERVAL_MS=100 */
    env: { type: 'string', multiple: true, default: [] },
    label: { type: 'string', default: '' },
    /** Which scenarios to run (comma-separated): catalog, sms, orders, floor. */
    scenarios: { type: 'string', default: 'catalog,sms,orders,floor' },
  },
});

const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const K6 = process.env.K6 ?? path.join(REPO_ROOT, '.tools/bin/k6');
const seconds = Number(args.seconds);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = path.join(REPO_ROOT, 'bench/results');
const workDir = path.join(outDir, `system-${stamp}`);
const enabled = new Set((args.scenarios ?? '').split(',').map((x) => x.trim()));
const PROFILED: ServiceName[] = ['gateway', 'orders', 'catalog', 'customers'];

async function main(): Promise<void> {
  mkdirSync(workDir, { recursive: true });
  loadInfraEnvFile();
  const infra = infraEnv();
  const extraEnv = serviceEnv(args.env ?? []);
  if (args.profile) {
    for (const svc of PROFILED)
      extraEnv[svc] = {
        ...extraEnv[svc],
        NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.join(workDir, 'profiles', svc)}`,
      };
  }
  const adminEmail = `bench-admin-${stamp.slice(-10).toLowerCase()}@bench.test`;
  say('starting the system (customers → catalog → orders → notifications → gateway)');
  const system = await startSystem({
    adminEmails: [adminEmail],
    extraEnv: {
      ...extraEnv,
      // The per-IP and per-user limits exist to stop abuse; a load test from one address is not that.
      gateway: { RATE_LIMIT_IP_POINTS: '1000000000', RATE_LIMIT_USER_POINTS: '1000000000', ...extraEnv.gateway },
    },
    onStarted: (svc) => {
      // Keep service logs in files: parsing thousands of request-log lines per second here would
      // steal CPU from the system under test on a 2-core machine.
      svc.child.stdout?.removeAllListeners('data');
      svc.child.stdout?.pipe(createWriteStream(path.join(workDir, `${svc.name}.log`)));
    },
  });
  const results: Record<string, Figures | Figures[] | unknown> = {};
  let codes: Record<string, number | null>;
  const windows: Record<string, { from: number; to: number }> = {};
  try {
    const adminApi = new PublicApi(
      system.gatewayUrl,
      (await login(system.gatewayUrl, adminEmail, 'Bench admin')).access_token,
    );
    const seeded = await seedCatalog(adminApi, Number(args.products), 'KES');
    say(`seeded ${seeded.productIds.length} products in a 3-level tree; logging in ${args.customers} customers`);
    const customers = await createCustomers(system.gatewayUrl, Number(args.customers), system.runId);
    const address = {
      recipientName: 'Bench Recipient',
      line1: '1 Bench Street',
      city: 'Nairobi',
      postalCode: '00100',
      countryCode: 'KE',
    };

    const catalogRun = {
      k6: K6,
      script: path.join(REPO_ROOT, 'bench/system/k6/catalog.js'),
      gatewayUrl: system.gatewayUrl,
      workDir,
      fixture: { rootId: seeded.rootId },
      vus: Number(args['catalog-vus']),
      durationS: seconds,
      names: ['catalog', 'ListProducts', 'GetCategoryTree', 'GetCategoryStats'],
    };
    if (enabled.has('catalog')) {
      say(
        `catalog browsing: ${args['catalog-vus']} VUs, ${args.warmup}s warm-up (JIT, caches, connection pools) then ${seconds}s measured`,
      );
      await runK6({ ...catalogRun, durationS: Number(args.warmup) });
      windows.catalog = { from: Date.now(), to: 0 };
      results.catalog = await runK6(catalogRun);
      windows.catalog.to = Date.now();
    }
    if (enabled.has('sms')) {
      say(`order → SMS: ${args['sms-rate']} orders/s for ${args['sms-seconds']}s`);
      results.orderToSms = await measureSmsLatency(system, {
        customers,
        productIds: seeded.productIds,
        address,
        ratePerSecond: Number(args['sms-rate']),
        seconds: Number(args['sms-seconds']),
        drainMs: 30_000,
      });
    }
    const orderRun = {
      k6: K6,
      script: path.join(REPO_ROOT, 'bench/system/k6/place-order.js'),
      gatewayUrl: system.gatewayUrl,
      workDir,
      fixture: { customers, productIds: seeded.productIds, address, runId: system.runId },
      vus: Number(args['order-vus']),
      durationS: seconds,
      names: ['PlaceOrder'],
    };
    if (enabled.has('orders')) {
      say(`PlaceOrder: ${args['order-vus']} VUs, ${args.warmup}s warm-up then ${seconds}s measured`);
      await runK6({
        ...orderRun,
        durationS: Number(args.warmup),
        fixture: { ...orderRun.fixture, runId: `${system.runId}-warmup` },
      });
      const smsBefore = system.sms.messages.length;
      windows.placeOrder = { from: Date.now(), to: 0 };
      results.placeOrder = await runK6(orderRun);
      windows.placeOrder.to = Date.now();
      results.smsDuringAndAfterLoad = await smsDrain(system.sms.messages, smsBefore, 10_000);
    }
  } finally {
    say('stopping the system');
    codes = await system.stop();
  }
  if (enabled.has('floor')) {
    say(`floor: the order transaction straight into PostgreSQL, ${args['order-vus']} concurrent for ${seconds}s`);
    results.floor = await runFloor(infra, {
      concurrency: Number(args['order-vus']),
      seconds,
      products: Number(args.products),
    });
  }
  // k6 needs a moment to spin up and wind down; profile the middle of each load window.
  const profiles = !args.profile
    ? []
    : PROFILED.flatMap((svc) =>
        Object.entries(windows).map(([name, w]) => ({
          svc,
          summaries: summariseProfiles(path.join(workDir, 'profiles', svc), {
            name,
            from: w.from + 1_500,
            to: w.to - 1_500,
            exitedAt: system.exitedAt[svc]!,
          }),
        })),
      );
  report(results, codes, profiles);
}

/** How many SMS the Twilio endpoint accepted during the PlaceOrder load and in the `ms` after it. */
async function smsDrain(messages: readonly unknown[], before: number, ms: number) {
  const atEnd = messages.length - before;
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { duringLoad: atEnd, within10sAfter: messages.length - before - atEnd };
}

function serviceEnv(pairs: string[]): Partial<Record<ServiceName, Record<string, string>>> {
  const out: Partial<Record<ServiceName, Record<string, string>>> = {};
  for (const pair of pairs) {
    const m = /^(\w+):([A-Z0-9_]+)=(.*)$/.exec(pair);
    if (!m) throw new Error(`--env expects svc:NAME=value, got ${pair}`);
    const svc = m[1] as ServiceName;
    out[svc] = { ...out[svc], [m[2]!]: m[3]! };
  }
  return out;
}

function report(
  results: Record<string, unknown>,
  codes: Record<string, number | null>,
  profiles: Array<{ svc: string; summaries: ProfileSummary[] }>,
): void {
  const catalog = results.catalog as Figures[] | undefined;
  const placeOrder = (results.placeOrder as Figures[] | undefined)?.[0];
  const sms = results.orderToSms as (Figures & { missing: number }) | undefined;
  const floor = results.floor as Figures | undefined;
  const ratio = placeOrder && floor ? placeOrder.throughput / floor.throughput : NaN;
  const verdict = (ok: boolean) => (ok ? 'yes' : 'NO');
  const rows = [
    ...(catalog
      ? [
          {
            ...catalog[0]!,
            scenario: 'catalog reads (all three)',
            target: '≥5000/s, p99≤25',
            verdict: verdict(catalog[0]!.throughput >= 5000 && catalog[0]!.p99 <= 25),
          },
          ...catalog.slice(1).map((f) => ({ ...f, scenario: `  ${f.scenario}` })),
        ]
      : []),
    ...(placeOrder
      ? [
          {
            ...placeOrder,
            target: '≥1000/s, p99≤50',
            verdict: verdict(placeOrder.throughput >= 1000 && placeOrder.p99 <= 50),
          },
        ]
      : []),
    ...(floor ? [{ ...floor, scenario: 'floor (PostgreSQL only)' }] : []),
    ...(sms ? [{ ...sms, target: 'p99≤500', verdict: verdict(sms.p99 <= 500 && sms.missing === 0) }] : []),
  ];
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    k6: execFileSync(K6, ['version']).toString().trim(),
  };
  const out = {
    label: args.label,
    at: new Date().toISOString(),
    machine,
    options: args,
    results,
    placeOrderToFloor: ratio,
    floorTarget: verdict(ratio >= 0.5),
    exitCodes: codes,
    profiles,
  };
  const file = path.join(outDir, `system-${stamp}.json`);
  writeFileSync(file, JSON.stringify(out, null, 2));
  process.stdout.write(`\n${table(rows)}\n`);
  if (Number.isFinite(ratio))
    process.stdout.write(
      `\nPlaceOrder / floor = ${(ratio * 100).toFixed(1)} % (target ≥ 50 %: ${verdict(ratio >= 0.5)})\n`,
    );
  if (sms)
    process.stdout.write(
      `order → SMS: ${sms.missing} orders without an SMS after 30 s; SMS during/after the PlaceOrder load: ${JSON.stringify(results.smsDuringAndAfterLoad)}\n`,
    );
  process.stdout.write(
    `service exit codes on SIGTERM: ${JSON.stringify(codes)}\nmachine: ${JSON.stringify(machine)}\nJSON: ${path.relative(REPO_ROOT, file)}\n`,
  );
  for (const { svc, summaries } of profiles) {
    for (const s of summaries) {
      const cores = s.busyMs / s.wallMs;
      process.stdout.write(
        `\nCPU profile ${svc} during ${s.window}: ${(s.busyMs / 1000).toFixed(1)} s busy in ${(s.wallMs / 1000).toFixed(1)} s (${cores.toFixed(2)} cores) — by area:\n`,
      );
      for (const a of s.areas) process.stdout.write(`  ${(a.share * 100).toFixed(1).padStart(5)} %  ${a.area}\n`);
      process.stdout.write('  top frames (self time):\n');
      for (const f of s.frames) process.stdout.write(`  ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.frame}\n`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
