import http from 'node:http';
import type { Readiness } from '@ordersystem/platform';
import type { Registry } from 'prom-client';

/** Reports one upstream's health ("SERVING", or why not). */
export type UpstreamProbe = () => Promise<Record<string, string>>;

/**
 * /healthz, /readyz and /metrics on the ops port, as every service has them. /readyz adds each
 * upstream's gRPC health, as information only: the gateway stays ready when one upstream is down,
 * because the others' methods still work and a not-ready gateway would take the whole API away.
 */
export function createGatewayOpsServer(readiness: Readiness, registry: Registry, upstreams: UpstreamProbe): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) =>
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
    if (path === '/healthz') return send(200, 'application/json', '{"status":"ok"}\n');
    if (path === '/readyz') {
      Promise.all([readiness.report(), upstreams()]).then(
        ([r, up]) =>
          send(r.ready ? 200 : 503, 'application/json', `${JSON.stringify({ status: r.ready ? 'ok' : 'unavailable', checks: r.checks, upstreams: up })}\n`),
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
