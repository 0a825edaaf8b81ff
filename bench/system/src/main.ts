/**
 * The system benchmark: starts the whole system like `scripts/dev up` (through the e2e harness),
 * seeds it through the public API, logs customers in for real, drives it with k6, measures
 * order → SMS latency, then runs the PostgreSQL floor, and prints/writes the figures.
 * Not a test: run it on demand with bench/system/run.sh (see bench/README.md).
 */
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { infraEnv, loadInfraEnvFile } from '@ordersystem/testing';
import { REPO_ROOT } from '../../../e2e/harness/dev-env.js';
import { PublicApi } from '../../../e2e/harness/http-api.js';
import { login } from '../../../e2e/harness/login.js';
import { type ServiceName, startSystem } from '../../../e2e/harness/system.js';
import { Client } from 'pg';
import { type CpuFigures, cpuBetween, cpuSnapshot, cpuSubjects } from './cpu.js';
import { measureDataSize } from './datasize.js';
import { rpcCounts, rpcsPer } from './rpc-counts.js';
import { runFloor } from './floor.js';
import { runK6 } from './k6.js';
import { type MemoryFigures, memoryOf } from './memory.js';
import { startOtlpSink } from './otlp-sink.js';
import { runPgbenchFloor } from './pgbench-floor.js';
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
    'sms-rate': { type: 'string', default: '100' },
    warmup: { type: 'string', default: '3' },
    'sms-seconds': { type: 'string', default: '30' },
    /** Virtual users of the scaling runs (reads and orders), each `scaling-seconds` long. */
    'scaling-vus': { type: 'string', default: '1,8,32,128' },
    'scaling-seconds': { type: 'string', default: '8' },
    /** Catalog sizes for the data-size scenario, categories:products, comma-separated. */
    'data-sizes': { type: 'string', default: '1000:20000,10000:200000' },
    /** Distinct subtrees read per method and size. */
    'data-samples': { type: 'string', default: '40' },
    profile: { type: 'boolean', default: false },
    /**
     * Each service's V8 old-space ceiling in MiB, as the Helm chart gives every pod
     * (`defaults.heapMiB`); 0 leaves the heap to V8, which on this host's memory grows it to ~4 GiB.
     */
    'heap-mib': { type: 'string', default: '160' },
    /**
     * Share of traces the services record and export (OTLP/HTTP protobuf to a counting sink), as
     * values-production.yaml runs them (`otel.samplerArg`); 0 for tracing off (otel.enabled=false).
     */
    'trace-ratio': { type: 'string', default: '0.1' },
    /** Extra service settings for experiments, e.g. --env notifications:DISPATCH_INTERVAL_MS=100 */
    env: { type: 'string', multiple: true, default: [] },
    label: { type: 'string', default: '' },
    /** How long the system idles before memory is measured a second time. */
    'idle-seconds': { type: 'string', default: '20' },
    /** Which scenarios to run (comma-separated): catalog, sms, orders, floor, pgbench, scaling, datasize. */
    scenarios: { type: 'string', default: 'catalog,sms,orders,floor,pgbench,scaling,datasize' },
  },
});

const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const K6 = process.env.K6 ?? path.join(REPO_ROOT, '.tools/bin/k6');
const seconds = Number(args.seconds);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = path.join(REPO_ROOT, 'bench/results');
const workDir = path.join(outDir, `system-${stamp}`);
const enabled = new Set((args.scenarios ?? '').split(',').map((x) => x.trim()));
const PROFILED: ServiceName[] = ['gateway', 'orders', 'catalog', 'customers', 'notifications'];
/** Services whose SQL round trips and commits are counted (bench/system/preload/sql-counter.cjs). */
const SQL_COUNTED: ServiceName[] = ['orders', 'catalog', 'customers', 'notifications'];
const SERVICES: ServiceName[] = ['customers', 'catalog', 'orders', 'notifications', 'gateway'];
let stopping = false;

async function main(): Promise<void> {
  mkdirSync(workDir, { recursive: true });
  loadInfraEnvFile();
  const infra = infraEnv();
  const otlpSink = await startOtlpSink();
  const extraEnv = withTracing(serviceEnv(args.env ?? []), Number(args['trace-ratio']), otlpSink.url);
  const nodeOptions: Partial<Record<ServiceName, string[]>> = {};
  const heapMiB = Number(args['heap-mib']);
  if (heapMiB > 0) for (const svc of SERVICES) (nodeOptions[svc] ??= []).push(`--max-old-space-size=${heapMiB}`);
  if (args.profile)
    for (const svc of PROFILED)
      (nodeOptions[svc] ??= []).push(`--cpu-prof --cpu-prof-dir=${path.join(workDir, 'profiles', svc)}`);
  for (const svc of SQL_COUNTED) {
    (nodeOptions[svc] ??= []).push(`--require ${path.join(REPO_ROOT, 'bench/system/preload/sql-counter.cjs')}`);
    extraEnv[svc] = { ...extraEnv[svc], BENCH_SQL_COUNT_FILE: sqlCountFile(svc) };
  }
  for (const [svc, opts] of Object.entries(nodeOptions))
    extraEnv[svc as ServiceName] = {
      ...extraEnv[svc as ServiceName],
      // Options given with --env svc:NODE_OPTIONS=… come first, then the bench's own.
      NODE_OPTIONS: [extraEnv[svc as ServiceName]?.NODE_OPTIONS, ...opts].filter(Boolean).join(' '),
    };
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
      // A fatal error (V8 out of heap, an uncaught crash) is written to stderr, not the JSON log.
      svc.child.stderr?.pipe(createWriteStream(path.join(workDir, `${svc.name}.stderr.log`)));
      svc.child.once('exit', (code, signal) => {
        if (!stopping)
          say(`${svc.name} EXITED during the run (code ${code}, signal ${signal}): see ${svc.name}.stderr.log`);
      });
    },
  });
  const results: Record<string, Figures | Figures[] | unknown> = {};
  const cpuOf = cpuSubjects(
    system.services,
    { postgres: await postmasterPid(infra.adminUrl) },
    path.join(REPO_ROOT, '.infra'),
  );
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
      const cpuBefore = cpuSnapshot(cpuOf);
      results.catalog = await runK6(catalogRun);
      windows.catalog.to = Date.now();
      results.catalogCpu = cpuBetween(cpuBefore, cpuSnapshot(cpuOf), (results.catalog as Figures[])[0]!.requests);
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
      const sqlBefore = await sqlCounts(system);
      const rpcsBefore = await rpcCounts(system.services);
      windows.placeOrder = { from: Date.now(), to: 0 };
      const cpuBefore = cpuSnapshot(cpuOf);
      results.placeOrder = await runK6(orderRun);
      windows.placeOrder.to = Date.now();
      // The follow-ups started by the last orders (reservation commits, relay, SMS) finish first.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const placed = (results.placeOrder as Figures[])[0]!;
      results.rpcsPerOrder = rpcsPer(rpcsBefore, await rpcCounts(system.services), placed.requests - placed.errors);
      results.placeOrderCpu = cpuBetween(cpuBefore, cpuSnapshot(cpuOf), placed.requests - placed.errors);
      results.sqlPerOrder = perOrder(sqlBefore, await sqlCounts(system), placed.requests - placed.errors);
      results.smsDuringAndAfterLoad = await smsDrain(system.sms.messages, smsBefore, 10_000);
    }
    if (enabled.has('scaling')) {
      const scaling: Array<Figures & { vus: number }> = [];
      const s = Number(args['scaling-seconds']);
      for (const vus of (args['scaling-vus'] ?? '').split(',').map(Number)) {
        say(`scaling: ${vus} VUs, catalog reads then PlaceOrder, 2s warm-up then ${s}s each`);
        await runK6({ ...catalogRun, vus, durationS: 2 });
        const reads = (await runK6({ ...catalogRun, vus, durationS: s }))[0]!;
        scaling.push({ ...reads, scenario: `catalog reads, ${vus} VUs`, vus });
        const fixture = { ...orderRun.fixture, runId: `${system.runId}-scaling-${vus}` };
        await runK6({ ...orderRun, vus, durationS: 2, fixture: { ...fixture, runId: `${fixture.runId}-w` } });
        const orders = (await runK6({ ...orderRun, vus, durationS: s, fixture }))[0]!;
        scaling.push({ ...orders, scenario: `PlaceOrder, ${vus} VUs`, vus });
      }
      results.scaling = scaling;
    }
    // After the closed-model runs: an open-model overload here would leave queues behind for them.
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
    if (enabled.has('datasize')) {
      const sizes = (args['data-sizes'] ?? '').split(',').map((pair) => {
        const [categories, products] = pair.split(':').map(Number);
        return { categories: categories!, products: products! };
      });
      results.dataSize = [];
      // The harness's schemas (newer harnesses expose them); without them the sizes cannot be seeded.
      const catalogDb = (system as unknown as { schemas?: Record<string, { url: string; schema: string }> }).schemas
        ?.catalog;
      if (!catalogDb) throw new Error('the e2e harness does not expose the catalog schema; run without datasize');
      for (const size of sizes) {
        say(`data size: ${size.categories} categories, ${size.products} products, straight into the catalog's schema`);
        (results.dataSize as unknown[]).push(
          await measureDataSize(catalogDb, adminApi, size, Number(args['data-samples'])),
        );
      }
    }
    // After everything the system did: what each service holds (the issue's ceiling is 250 MiB).
    const memory: Record<string, MemoryFigures> = {};
    for (const svc of SERVICES) memory[svc] = await memoryOf(system.services[svc]);
    results.memory = memory;
    // And once the system has been idle a while: V8 returns freed heap to the OS only after the
    // allocation rate drops (its memory reducer), so right after a burst RSS still holds garbage.
    say(`memory: measured right after the last scenario; again after ${args['idle-seconds']}s idle`);
    await new Promise((resolve) => setTimeout(resolve, Number(args['idle-seconds']) * 1000));
    const idle: Record<string, MemoryFigures> = {};
    for (const svc of SERVICES) idle[svc] = await memoryOf(system.services[svc]);
    results.memoryAfterIdle = idle;
  } finally {
    stopping = true;
    say('stopping the system');
    codes = await system.stop();
    results.traceExport = otlpSink.counts();
    await otlpSink.close();
  }
  const floorOptions = { concurrency: Number(args['order-vus']), seconds, products: Number(args.products) };
  if (enabled.has('floor')) {
    say(`floor: the order transaction straight into PostgreSQL, ${args['order-vus']} concurrent for ${seconds}s`);
    const subjects = { postgres: cpuOf.postgres!, 'bench (sinks)': process.pid };
    const before = cpuSnapshot(subjects);
    const floor = await runFloor(infra, floorOptions);
    results.floor = floor;
    results.floorCpu = cpuBetween(before, cpuSnapshot(subjects), floor.requests - floor.errors);
  }
  if (enabled.has('pgbench')) {
    say(`floor by pgbench: the same transaction, ${args['order-vus']} clients for ${seconds}s`);
    results.pgbenchFloor = await runPgbenchFloor(infra, { ...floorOptions, workDir });
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

/** PostgreSQL's postmaster: the parent of any backend. */
async function postmasterPid(adminUrl: string): Promise<number | undefined> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const stat = readFileSync(`/proc/${rows[0]!.pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } finally {
    await client.end();
  }
}

/** How many SMS the Twilio endpoint accepted during the PlaceOrder load and in the `ms` after it. */
async function smsDrain(messages: readonly unknown[], before: number, ms: number) {
  const atEnd = messages.length - before;
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { duringLoad: atEnd, within10sAfter: messages.length - before - atEnd };
}

/** Every service's tracing settings, under what --env gives it. */
function withTracing(env: Partial<Record<ServiceName, Record<string, string>>>, ratio: number, endpoint: string) {
  const tracing: Record<string, string> =
    ratio > 0
      ? {
          OTEL_TRACES_EXPORTER: 'otlp',
          OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
          OTEL_TRACES_SAMPLER_ARG: String(ratio),
        }
      : { OTEL_TRACES_EXPORTER: 'none' };
  return Object.fromEntries(SERVICES.map((svc) => [svc, { ...tracing, ...env[svc] }])) as typeof env;
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

type SqlCounts = Partial<Record<ServiceName, { roundTrips: number; commits: number }>>;

const sqlCountFile = (svc: ServiceName) => path.join(workDir, `sql-${svc}.json`);

/** Each counted service's totals so far (it writes them when signalled). */
async function sqlCounts(system: { services: Record<ServiceName, { pid: number }> }): Promise<SqlCounts> {
  for (const svc of SQL_COUNTED) process.kill(system.services[svc].pid, 'SIGUSR2');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const out: SqlCounts = {};
  for (const svc of SQL_COUNTED) {
    try {
      out[svc] = JSON.parse(readFileSync(sqlCountFile(svc), 'utf8')) as { roundTrips: number; commits: number };
    } catch {
      // Not written yet: the service sent nothing to PostgreSQL.
    }
  }
  return out;
}

function perOrder(before: SqlCounts, after: SqlCounts, orders: number) {
  const rows = SQL_COUNTED.map((svc) => ({
    service: svc,
    roundTrips: ((after[svc]?.roundTrips ?? 0) - (before[svc]?.roundTrips ?? 0)) / orders,
    commits: ((after[svc]?.commits ?? 0) - (before[svc]?.commits ?? 0)) / orders,
  }));
  const total = rows.reduce((t, r) => ({ roundTrips: t.roundTrips + r.roundTrips, commits: t.commits + r.commits }), {
    roundTrips: 0,
    commits: 0,
  });
  return { orders, perService: rows, total };
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
  const pgbench = results.pgbenchFloor as Figures | undefined;
  const ratio = placeOrder && floor ? placeOrder.throughput / floor.throughput : NaN;
  const pgRatio = placeOrder && pgbench ? placeOrder.throughput / pgbench.throughput : NaN;
  const verdict = (ok: boolean) => (ok ? 'yes' : 'NO');
  const rows = [
    ...(catalog
      ? [
          {
            ...catalog[0]!,
            scenario: 'catalog reads (all three)',
            target: '≥4000/s, p99≤25',
            verdict: verdict(catalog[0]!.throughput >= 4000 && catalog[0]!.p99 <= 25),
          },
          ...catalog.slice(1).map((f) => ({ ...f, scenario: `  ${f.scenario}` })),
        ]
      : []),
    ...(placeOrder
      ? [
          {
            ...placeOrder,
            target: '≥35% floor, p99≤150',
            verdict: verdict(ratio >= 0.35 && placeOrder.p99 <= 150 && placeOrder.errors === 0),
          },
        ]
      : []),
    ...(floor ? [{ ...floor, scenario: 'floor (Node + pg)' }] : []),
    ...(pgbench ? [{ ...pgbench, scenario: 'floor (pgbench)' }] : []),
    ...(sms
      ? [
          {
            ...sms,
            scenario: `order → SMS (${args['sms-rate']}/s, ${args['sms-seconds']}s)`,
            target: 'p99≤500',
            verdict: verdict(sms.p99 <= 500 && sms.missing === 0),
          },
        ]
      : []),
    ...((results.scaling as Figures[] | undefined) ?? []),
  ];
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    k6: execFileSync(K6, ['version']).toString().trim(),
    loadAverage: os.loadavg(),
  };
  const out = {
    label: args.label,
    at: new Date().toISOString(),
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT }).toString().trim(),
    machine,
    options: args,
    results,
    placeOrderToFloor: ratio,
    placeOrderToPgbench: pgRatio,
    readsToFloor: catalog && floor ? catalog[0]!.throughput / floor.throughput : NaN,
    exitCodes: codes,
    profiles,
  };
  const file = path.join(outDir, `system-${stamp}.json`);
  writeFileSync(file, JSON.stringify(out, null, 2));
  const w = (line: string) => process.stdout.write(`${line}\n`);
  w(`\n${table(rows)}`);
  if (Number.isFinite(ratio))
    w(`\nPlaceOrder / floor (Node) = ${(ratio * 100).toFixed(1)} % (target ≥ 35 %: ${verdict(ratio >= 0.35)})`);
  if (Number.isFinite(pgRatio)) w(`PlaceOrder / floor (pgbench) = ${(pgRatio * 100).toFixed(1)} %`);
  if (Number.isFinite(out.readsToFloor)) w(`catalog reads / floor (Node) = ${out.readsToFloor.toFixed(2)}×`);
  const sql = results.sqlPerOrder as ReturnType<typeof perOrder> | undefined;
  if (sql) {
    w(`\nSQL per order (over ${sql.orders} orders, request path and follow-ups):`);
    for (const r of sql.perService)
      w(
        `  ${r.service.padEnd(10)} ${r.roundTrips.toFixed(1).padStart(5)} round trips  ${r.commits.toFixed(1).padStart(4)} commits`,
      );
    w(
      `  ${'total'.padEnd(10)} ${sql.total.roundTrips.toFixed(1).padStart(5)} round trips  ${sql.total.commits.toFixed(1).padStart(4)} commits`,
    );
  }
  const rpcs = results.rpcsPerOrder as Array<{ rpc: string; perUnit: number }> | undefined;
  if (rpcs) w(`\nRPCs answered per order: ${rpcs.map((r) => `${r.rpc} ${r.perUnit.toFixed(2)}`).join(', ')}`);
  if (sms)
    w(
      `order → SMS: ${sms.missing} orders without an SMS after 30 s; errors by code ${JSON.stringify((sms as { errorsByCode?: unknown }).errorsByCode ?? {})}; SMS during/after the PlaceOrder load: ${JSON.stringify(results.smsDuringAndAfterLoad)}`,
    );
  for (const d of (results.dataSize as Awaited<ReturnType<typeof measureDataSize>>[] | undefined) ?? []) {
    w(
      `\ndata size: ${d.size.categories} categories / ${d.size.products} products seeded (tables now ${d.totals.categories} / ${d.totals.products}), one client, cold reads:`,
    );
    w(table(d.reads));
  }
  for (const [key, what] of [
    ['catalogCpu', 'catalog read'],
    ['placeOrderCpu', 'order (its follow-ups included)'],
    ['floorCpu', 'floor transaction'],
  ] as const) {
    const cpu = results[key] as CpuFigures | undefined;
    if (!cpu) continue;
    w(
      `\nCPU per ${what}, from /proc (machine: ${cpu.machineCores.toFixed(2)} cores busy over ${cpu.seconds.toFixed(0)} s):`,
    );
    for (const p of cpu.perProcess)
      w(`  ${p.name.padEnd(14)} ${p.msPerUnit.toFixed(2).padStart(7)} ms  (${p.cores.toFixed(2)} cores)`);
    w(`  ${'total'.padEnd(14)} ${cpu.totalMsPerUnit.toFixed(2).padStart(7)} ms`);
  }
  for (const [key, when] of [
    ['memory', 'right after the run'],
    ['memoryAfterIdle', `after ${args['idle-seconds']}s idle`],
  ] as const) {
    const memory = results[key] as Record<string, MemoryFigures> | undefined;
    if (!memory) continue;
    w(`\nmemory ${when} (MiB): service, RSS, peak RSS, heap used / total, external, other (RSS − heap − external)`);
    for (const [svc, m] of Object.entries(memory))
      w(
        `  ${svc.padEnd(14)} ${m.rssMiB.toFixed(0).padStart(5)} ${m.peakRssMiB.toFixed(0).padStart(5)} ${m.heapUsedMiB.toFixed(0).padStart(5)} / ${m.heapTotalMiB.toFixed(0).padEnd(5)} ${m.externalMiB.toFixed(0).padStart(5)} ${m.otherMiB.toFixed(0).padStart(5)}  ${Math.max(m.rssMiB, m.peakRssMiB) <= 250 ? '' : 'over 250'}`,
      );
  }
  const exported = results.traceExport as { requests: number; bytes: number };
  w(
    Number(args['trace-ratio']) > 0
      ? `traces: ${args['trace-ratio']} of them recorded and exported (OTLP/HTTP protobuf): ${exported.requests} exports, ${(exported.bytes / 2 ** 20).toFixed(1)} MiB`
      : 'traces: off (OTEL_TRACES_EXPORTER=none; ids still in logs and headers)',
  );
  w(
    `service exit codes on SIGTERM: ${JSON.stringify(codes)}\nmachine: ${JSON.stringify(machine)}\nJSON: ${path.relative(REPO_ROOT, file)}`,
  );
  for (const { svc, summaries } of profiles) {
    for (const s of summaries) {
      const cores = s.busyMs / s.wallMs;
      w(
        `\nCPU profile ${svc} during ${s.window}: ${(s.busyMs / 1000).toFixed(1)} s busy in ${(s.wallMs / 1000).toFixed(1)} s (${cores.toFixed(2)} cores) — by area:`,
      );
      for (const a of s.areas) w(`  ${(a.share * 100).toFixed(1).padStart(5)} %  ${a.area}`);
      w('  top frames (self time):');
      for (const f of s.frames) w(`  ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.frame}`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
