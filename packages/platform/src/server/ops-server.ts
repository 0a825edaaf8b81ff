import http from 'node:http';
import type { Registry } from 'prom-client';
import type { Readiness } from './readiness.js';

/**
 * HTTP/1.1 endpoints for the platform around us: /healthz (liveness), /readyz (readiness with
 * a per-dependency report) and /metrics (Prometheus). On its own port so that scrapes and
 * probes never compete with RPC traffic and never need HTTP/2.
 */
export function createOpsServer(
  readiness: Readiness,
  registry: Registry,
  /** Extra information for /readyz that does not decide readiness (the gateway's upstreams). */
  details?: () => Promise<Record<string, unknown>>,
): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    // While draining, a kept-alive connection is closed after its response instead of idling on.
    const connection = readiness.isDraining ? { connection: 'close' } : {};
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...connection }).end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
    if (path === '/healthz') return send(200, 'application/json', '{"status":"ok"}\n');
    if (path === '/readyz') {
      Promise.all([readiness.report(), details?.() ?? {}]).then(
        ([r, extra]) =>
          send(
            r.ready ? 200 : 503,
            'application/json',
            `${JSON.stringify({ status: r.ready ? 'ok' : 'unavailable', checks: r.checks, ...extra })}\n`,
          ),
        () => send(503, 'application/json', '{"status":"unavailable"}\n'),
      );
      return;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (body) => send(200, registry.contentType, body),
        () => send(500, 'text/plain', 'metrics unavailable\n'),
      );
      return;
    }
    send(404, 'text/plain', 'not found\n');
  });
}
