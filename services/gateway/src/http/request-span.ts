import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { NodeRequest, NodeResponse } from './respond.js';

const tracer = trace.getTracer('@ordersystem/gateway');

const headerGetter = {
  keys: (headers: NodeRequest['headers']) => Object.keys(headers),
  get: (headers: NodeRequest['headers'], key: string) => {
    const value = headers[key];
    return Array.isArray(value) ? value[0] : value;
  },
};

/**
 * Runs one request inside its SERVER span, which continues the caller's traceparent and ends when
 * the answer is finished (or the connection closes first). Everything the request does nests
 * under it: the rate limit's Redis call, the RPC span of serverTracing, the upstream calls. Made
 * here rather than by OpenTelemetry's http instrumentation, whose incoming side computed a dozen
 * attributes and wrapped every emitter per request: ~15 % of the gateway's CPU on a cached read.
 */
export function inRequestSpan(req: NodeRequest, res: NodeResponse, run: () => Promise<void>): Promise<void> {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers, headerGetter);
  const span = tracer.startSpan(
    req.method ?? 'HTTP',
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': req.method ?? '',
        'url.path': (req.url ?? '/').split('?')[0]!,
        'network.protocol.version': req.httpVersion,
      },
    },
    parent,
  );
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  return context.with(trace.setSpan(parent, span), run);
}
