/**
 * The dashboards and rules of deploy/observability against a real Prometheus (the Debian package,
 * as scripts/observability runs it) scraping the whole system after an order flow: every dashboard
 * panel's query must return data, because a panel that shows nothing is a defect, and a healthy
 * run must fire no alert. Then notifications is stopped while orders keep coming, and the consumer
 * lag alert must fire, and resolve once the service is back.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { aPhoneNumber, aProduct, createCategory, placeOrder, setPhone, signIn, smsTo } from './fixtures.js';
import { REPO_ROOT } from './harness/dev-env.js';
import { CATALOG, ORDERS } from './harness/http-api.js';
import { eventually } from './harness/poll.js';
import { freePort } from './harness/ports.js';
import { type RunningSystem, SERVICES, startSystem } from './harness/system.js';

jest.setTimeout(180_000);

const OBSERVABILITY = path.join(REPO_ROOT, 'deploy', 'observability');

interface Panel {
  title: string;
  type: string;
  targets?: Array<{ expr: string }>;
}

/** [dashboard title, panel title, queries] of every panel, read when the file loads so each is its own test. */
const PANELS: Array<[string, string, string[]]> = readdirSync(path.join(OBSERVABILITY, 'dashboards'))
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => {
    const d = JSON.parse(readFileSync(path.join(OBSERVABILITY, 'dashboards', f), 'utf8')) as {
      title: string;
      panels: Panel[];
    };
    return d.panels
      .filter((p) => p.type !== 'row')
      .map((p): [string, string, string[]] => [d.title, p.title, (p.targets ?? []).map((t) => t.expr)]);
  });

let system: RunningSystem;
let prometheus: LocalPrometheus;
let shopper: Shopper;

beforeAll(async () => {
  const adminEmail = `admin-${randomUUID().slice(0, 8)}@e2e.test`;
  system = await startSystem({ adminEmails: [adminEmail] });
  prometheus = await startPrometheus(system);
  // Prometheus applies discovered targets every few seconds after it is ready; a flow that runs
  // before the first scrape leaves counters that never change in its data, and so no rate().
  await eventually(
    'two scrapes of every service before the flow',
    async () => ((await prometheus.value(`count(count_over_time(up[1m]) >= 2)`)) >= SERVICES.length ? true : undefined),
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  shopper = await anOrderFlow(adminEmail);
  // rate() needs two samples of a counter after it changed, and the rules an evaluation after that.
  const flowEnd = Date.now();
  await eventually(
    'three scrapes of every service after the flow',
    async () => {
      const seconds = Math.ceil((Date.now() - flowEnd) / 1000);
      return (await prometheus.value(`min(count_over_time(up[${seconds}s]))`)) >= 3 ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
}, 180_000);

afterAll(async () => {
  await prometheus?.stop();
  await system?.stop();
}, 60_000);

test('Prometheus loads every rule group and scrapes every service', async () => {
  const rules = (await prometheus.api<{ groups: Array<{ name: string }> }>('rules')).groups.map((g) => g.name);
  expect(rules).toEqual(
    expect.arrayContaining(['ordersystem-slo-availability', 'ordersystem-slo-latency', 'ordersystem-notifications']),
  );
  const up = await prometheus.query('up');
  expect(Object.fromEntries(up.map((s) => [s.metric.job, s.value[1]]))).toMatchObject(
    Object.fromEntries(SERVICES.map((svc) => [svc, '1'])),
  );
});

test.each(PANELS)('%s › %s shows data', async (_dashboard, _panel, queries) => {
  expect(queries.length).toBeGreaterThan(0);
  const empty: string[] = [];
  for (const expr of queries) {
    const series = await prometheus.query(expr);
    if (!series.some((s) => Number.isFinite(Number(s.value[1])))) empty.push(expr);
  }
  expect(empty).toEqual([]);
});

// The SLO burn-rate alerts are left out: over the few dozen requests of one run, a single slow
// write on a busy machine is already a 10x burn of a 99 % objective.
test('a healthy run fires no symptom alert', async () => {
  const firing = await prometheus.query('ALERTS{alertstate="firing", alertname!~".*ErrorBudgetBurn"}');
  expect(firing.map((s) => s.metric)).toEqual([]);
});

const LAG_ALERT = 'NotificationsConsumerLagGrowing';
const alertState = async (name: string) =>
  (await prometheus.query(`ALERTS{alertname="${name}"}`)).map((s) => s.metric.alertstate);

// Runs last: it leaves the system with a restarted notifications service. The alert's windows are
// compressed for this Prometheus only (startPrometheus); promtool's unit test covers the real ones.
test('the consumer lag alert fires while notifications is down and orders keep coming, and resolves after it returns', async () => {
  await system.services.notifications.stop('SIGTERM');
  const placed: string[] = [];
  await eventually(
    `${LAG_ALERT} firing`,
    async () => {
      placed.push(
        (await placeOrder(shopper.user, shopper.phone, [{ productId: shopper.productId, quantity: 1 }])).number,
      );
      return (await alertState(LAG_ALERT)).includes('firing') ? true : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 2_000 },
  );
  expect(await prometheus.value('sum(ordersystem:notifications_consumer_lag:sum)')).toBeGreaterThanOrEqual(
    placed.length,
  );

  await system.restart('notifications');
  await eventually(
    `${LAG_ALERT} resolved`,
    async () =>
      (await prometheus.value('sum(ordersystem:notifications_consumer_lag:sum)')) === 0 &&
      (await alertState(LAG_ALERT)).length === 0
        ? true
        : undefined,
    { timeoutMs: 90_000, intervalMs: 1_000 },
  );
  // Nothing was lost while it was down: every order of the outage got its confirmation SMS.
  await eventually(
    'the SMS of every order placed during the outage',
    async () => {
      const bodies = (await smsTo(system, shopper.phone)).map((m) => m.body);
      return placed.every((number) => bodies.some((b) => b.includes(number))) ? true : undefined;
    },
    { timeoutMs: 60_000 },
  );
}, 300_000);

interface Shopper {
  user: Awaited<ReturnType<typeof signIn>>;
  phone: string;
  productId: string;
}

/**
 * Catalog set-up, reads, an order confirmed, shipped and delivered, a second one cancelled; returns
 * the customer and a product with stock left for more orders.
 */
async function anOrderFlow(adminEmail: string): Promise<Shopper> {
  const admin = await signIn(system, adminEmail, 'E2E Admin');
  const category = await createCategory(admin, 'Observability');
  const { created } = await admin.api.post<{ created: Array<{ id: string }> }>(CATALOG, 'BulkUploadProducts', {
    products: [aProduct(category.id, 10_000), aProduct(category.id, 2_500)],
  });
  const customer = await signIn(system, `obs-${system.runId}@e2e.test`, 'Observability E2E');
  const phone = aPhoneNumber();
  await setPhone(customer, phone);
  await customer.api.get(CATALOG, 'ListProducts', { categoryId: category.id });
  await customer.api.get(CATALOG, 'GetProduct', { id: created[0]!.id });

  const order = await placeOrder(customer, phone, [{ productId: created[0]!.id, quantity: 1 }]);
  if (order.status === 'ORDER_STATUS_PENDING') await admin.api.post(ORDERS, 'ConfirmOrder', { id: order.id });
  await admin.api.post(ORDERS, 'ShipOrder', { id: order.id });
  await admin.api.post(ORDERS, 'DeliverOrder', { id: order.id });
  const second = await placeOrder(customer, phone, [{ productId: created[1]!.id, quantity: 2 }]);
  await customer.api.post(ORDERS, 'CancelOrder', { id: second.id, reason: 'observability e2e' });
  await customer.api.get(ORDERS, 'GetOrder', { id: order.id });
  await eventually(
    'the delivered SMS',
    async () => (await smsTo(system, phone)).find((m) => m.body.includes(order.number) && /delivered/i.test(m.body)),
    { timeoutMs: 30_000 },
  );
  return { user: customer, phone, productId: created[1]!.id };
}

/**
 * The rules of deploy/observability, with the consumer lag alert's 2-minute windows and 1-minute
 * `for` cut to 20 and 10 seconds, so the test sees it fire within a minute. Every other rule is
 * loaded unchanged.
 */
function compressedRules(dir: string): string {
  const rules = path.join(dir, 'rules');
  mkdirSync(rules);
  const source = path.join(OBSERVABILITY, 'rules');
  writeFileSync(path.join(rules, 'recording.yml'), readFileSync(path.join(source, 'recording.yml')));
  const alerts = readFileSync(path.join(source, 'alerts.yml'), 'utf8');
  const start = alerts.indexOf(`- alert: ${LAG_ALERT}`);
  const end = alerts.indexOf('- alert:', start + 1);
  if (start < 0 || end < 0) throw new Error(`${LAG_ALERT} not found in alerts.yml`);
  const block = alerts.slice(start, end).replaceAll('[2m]', '[20s]').replace('for: 1m', 'for: 10s');
  writeFileSync(path.join(rules, 'alerts.yml'), alerts.slice(0, start) + block + alerts.slice(end));
  return rules;
}

interface Series {
  metric: Record<string, string>;
  value: [number, string];
}

interface LocalPrometheus {
  api<T>(endpoint: string, params?: Record<string, string>): Promise<T>;
  query(expr: string): Promise<Series[]>;
  /** The value of a query that returns one series (NaN when it returns none). */
  value(expr: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Prometheus from the Debian package with deploy/observability/prometheus/local.yml.tmpl filled in
 * for this run's ops ports, scraping every second, and the rules of deploy/observability/rules.
 */
async function startPrometheus(sys: RunningSystem): Promise<LocalPrometheus> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ordersystem-prometheus-'));
  const port = await freePort();
  const vars: Record<string, string> = {
    SCRAPE_INTERVAL: '1s',
    RULES_DIR: compressedRules(dir),
    PROMETHEUS_PORT: String(port),
  };
  for (const svc of SERVICES) vars[`${svc.toUpperCase()}_OPS_PORT`] = String(sys.services[svc].opsPort);
  const template = readFileSync(path.join(OBSERVABILITY, 'prometheus', 'local.yml.tmpl'), 'utf8');
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    template.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => vars[name] ?? `\${${name}}`),
  );
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (err) => (stderr += `\n${err.message} (install it: scripts/observability install prometheus)`));

  const base = `http://127.0.0.1:${port}`;
  const api = async <T>(endpoint: string, params: Record<string, string> = {}): Promise<T> => {
    const res = await fetch(`${base}/api/v1/${endpoint}?${new URLSearchParams(params)}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`${endpoint} ${JSON.stringify(params)}: ${body.error}`);
    return body.data;
  };
  const query = async (expr: string) => (await api<{ result: Series[] }>('query', { query: expr })).result;
  await eventually(
    'Prometheus ready',
    async () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`prometheus exited: ${stderr}`);
      return (await fetch(`${base}/-/ready`)).ok ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  ).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${err.message}\n${stderr}`);
  });
  return {
    api,
    query,
    value: async (expr) => Number((await query(expr))[0]?.value[1] ?? NaN),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
