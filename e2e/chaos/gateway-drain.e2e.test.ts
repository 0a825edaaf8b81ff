/**
 * SIGTERM to a gateway under load on kept-alive HTTP/1.1 connections, the way a rolling update
 * stops a pod: readiness goes false, new connections are refused, every request the gateway
 * accepted is answered successfully, and the process exits as soon as they are, well within its
 * grace period (not by cutting off what is left when the grace period runs out).
 */
import http from 'node:http';
import { CATALOG, getUrl } from '../harness/http-api.js';
import { eventually } from '../harness/poll.js';
import { aClientIp } from './harness/client.js';
import { type Cluster, startCluster } from './harness/cluster.js';
import { note } from './harness/observe.js';

jest.setTimeout(180_000);

const GRACE_MS = 10_000;
const CONNECTIONS = 16;
let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({
    adminEmails: ['drain-admin@chaos.test'],
    replicas: 1,
    services: ['customers', 'catalog', 'gateway'],
    extraEnv: {
      gateway: { TRUST_PROXY: 'true', SHUTDOWN_GRACE_MS: String(GRACE_MS), RATE_LIMIT_IP_POINTS: '1000000' },
    },
  });
}, 180_000);

afterAll(async () => {
  await cluster?.shutdown();
}, 60_000);

interface Answer {
  sentAt: number;
  /** "ok", "http <status>", or the socket error's code (ECONNREFUSED: the connection was never accepted). */
  outcome: string;
  connectionClose: boolean;
}

/** One GET on the agent's kept-alive connections. */
function get(agent: http.Agent, url: string): Promise<Answer> {
  const sentAt = Date.now();
  return new Promise((resolve) => {
    const req = http.get(url, { agent, headers: { 'x-forwarded-for': aClientIp() } }, (res) => {
      res.resume();
      res.once('end', () =>
        resolve({
          sentAt,
          outcome: res.statusCode === 200 ? 'ok' : `http ${res.statusCode}`,
          connectionClose: res.headers.connection === 'close',
        }),
      );
      res.once('error', (err: NodeJS.ErrnoException) =>
        resolve({ sentAt, outcome: err.code ?? err.message, connectionClose: false }),
      );
    });
    req.once('error', (err: NodeJS.ErrnoException) =>
      resolve({ sentAt, outcome: err.code ?? err.message, connectionClose: false }),
    );
  });
}

it('drains on SIGTERM: every accepted request succeeds, new connections are refused, and it exits well within the grace period', async () => {
  const gateway = cluster.replicas.gateway[0]!.svc!;
  const url = getUrl(`http://127.0.0.1:${gateway.port}`, CATALOG, 'GetCategoryTree', {});
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const answers: Answer[] = [];
  let exited = false;
  const exit = new Promise<{ code: number | null; at: number }>((resolve) =>
    gateway.child.once('exit', (code) => ((exited = true), resolve({ code, at: Date.now() }))),
  );
  const loops = Array.from({ length: CONNECTIONS }, async () => {
    while (!exited) {
      const answer = await get(agent, url);
      answers.push(answer);
      // A refused connection means the listener is closed: this client goes elsewhere (here: stops).
      if (answer.outcome === 'ECONNREFUSED') return;
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 2_000));

  const termAt = Date.now();
  gateway.child.kill('SIGTERM');
  // Once the stop has begun (its first log line), readiness must already say no (or be gone).
  const readyz = await eventually(
    'the stop begins',
    () => (gateway.logs.some((l) => l.message === 'shutting down') ? true : undefined),
    { intervalMs: 5 },
  ).then(() =>
    fetch(`http://127.0.0.1:${gateway.opsPort}/readyz`).then(
      (r) => r.status,
      () => 'refused',
    ),
  );
  const { code, at: exitAt } = await exit;
  await Promise.all(loops);
  agent.destroy();

  const before = answers.filter((a) => a.sentAt < termAt);
  const after = answers.filter((a) => a.sentAt >= termAt);
  const count = (list: Answer[]) =>
    list.reduce<Record<string, number>>((acc, a) => ({ ...acc, [a.outcome]: (acc[a.outcome] ?? 0) + 1 }), {});
  const failed = answers.filter((a) => a.outcome !== 'ok' && a.outcome !== 'ECONNREFUSED');
  const cutOff = gateway.logs.some((l) => /grace period over/.test(String(l.message)));
  note('gateway drain', {
    beforeSigterm: count(before),
    afterSigterm: count(after),
    connectionCloseAnswers: after.filter((a) => a.connectionClose).length,
    readyzAfterSigterm: readyz,
    exitCode: code,
    exitAfterSigtermMs: exitAt - termAt,
    graceMs: GRACE_MS,
    cutOffAtGrace: cutOff,
  });
  expect(readyz).not.toBe(200);
  expect(failed.map((a) => a.outcome)).toEqual([]);
  // Kept-alive connections are not served on once the stop began (its log line, not the kill: a
  // request can still be answered as usual while the signal is on its way): at most the request
  // each one had in flight is answered.
  const stopAt = Date.parse(String(gateway.logs.find((l) => l.message === 'shutting down')?.time));
  expect(Number.isFinite(stopAt)).toBe(true);
  const draining = answers.filter((a) => a.sentAt >= stopAt);
  expect(draining.filter((a) => a.outcome === 'ok').length).toBeLessThanOrEqual(CONNECTIONS);
  expect(cutOff).toBe(false);
  expect(code).toBe(0);
  // Bounded by the event it must come before: the end of the grace period, not a speed.
  expect(exitAt - termAt).toBeLessThan(GRACE_MS);
});
