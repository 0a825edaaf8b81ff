import { Code, ConnectError, type Interceptor, type StreamRequest, type UnaryRequest } from '@connectrpc/connect';
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { toConnectError } from '../errors/to-connect.js';
import type { Metrics } from '../metrics.js';

const tracer = trace.getTracer('@ordersystem/platform');

const headerGetter = {
  keys: (carrier: Headers) => [...carrier.keys()],
  get: (carrier: Headers, key: string) => carrier.get(key) ?? undefined,
};

/**
 * Continues the caller's trace (W3C traceparent in the request headers) and opens a SERVER
 * span per RPC. Needed because OpenTelemetry does not instrument Node's HTTP/2 server; at the
 * gateway the RPC span is a child of its HTTP request span.
 */
export function serverTracing(): Interceptor {
  return (next) => async (req) => {
    // Under a request span the edge already opened (it continued traceparent), nest in it.
    const active = context.active();
    const parent = trace.getSpan(active) ? active : propagation.extract(active, req.header, headerGetter);
    const span = tracer.startSpan(
      `${req.service.typeName}/${req.method.name}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'rpc.system': 'connect_rpc', 'rpc.service': req.service.typeName, 'rpc.method': req.method.name },
      },
      parent,
    );
    try {
      const res = await context.with(trace.setSpan(parent, span), () => next(req));
      span.setAttribute('rpc.connect_rpc.error_code', 'ok');
      return res;
    } catch (err) {
      const code = err instanceof ConnectError ? Code[err.code] : 'internal';
      span.setAttribute('rpc.connect_rpc.error_code', code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: code });
      throw err;
    } finally {
      span.end();
    }
  };
}

export interface ObservationOptions {
  metrics: Metrics;
  /** Metrics label of the service; by default the RPC's fully qualified service name. */
  service?: string;
  /** The logger for one call (the gateway's carries the request id). */
  loggerFor: (req: UnaryRequest | StreamRequest) => Logger | undefined;
  /** Also log expected rejections (at info): useful at the edge, noise inside. */
  logRejections?: boolean;
}

/**
 * Maps every failure through toConnectError, records the RPC metrics and logs unexpected
 * errors with their cause. Sits inside serverTracing so its log lines carry the trace id.
 */
export function observeRpcs(o: ObservationOptions): Interceptor {
  return (next) => async (req) => {
    const labels = { service: o.service ?? req.service.typeName, method: req.method.name };
    const stop = o.metrics.rpcDuration.startTimer(labels);
    try {
      const res = await next(req);
      o.metrics.rpcRequests.inc({ ...labels, code: 'ok' });
      stop({ code: 'ok' });
      return res;
    } catch (err) {
      const { error, unexpected, outage } = toConnectError(err);
      const code = codeLabel(error.code);
      o.metrics.rpcRequests.inc({ ...labels, code });
      stop({ code });
      const rpc = `${req.service.typeName}/${req.method.name}`;
      if (unexpected) o.loggerFor(req)?.error({ err, rpc }, 'rpc failed unexpectedly');
      else if (outage) o.loggerFor(req)?.warn({ err, rpc }, 'rpc failed: a dependency is unavailable');
      else if (o.logRejections) o.loggerFor(req)?.info({ rpc, code }, 'rpc rejected');
      throw error;
    }
  };
}

/**
 * Creates every routed method's `ok` series at zero, so the first request shows in rate() and in
 * latency quantiles instead of being hidden in a series that is born at one.
 */
export function zeroRpcMetrics(metrics: Metrics, methods: ReadonlyArray<{ service: string; method: string }>): void {
  for (const { service, method } of methods) {
    const labels = { service, method, code: 'ok' };
    metrics.rpcRequests.inc(labels, 0);
    metrics.rpcDuration.zero(labels);
  }
}

/** observeRpcs for a service's own server: labelled with its short name, logging to its logger. */
export function serverObservation(service: string, metrics: Metrics, logger: Logger): Interceptor {
  return observeRpcs({ service, metrics, loggerFor: () => logger });
}

/** snake_case like the Connect protocol spells codes on the wire ("invalid_argument"). */
export function codeLabel(code: Code): string {
  return Code[code].replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}
