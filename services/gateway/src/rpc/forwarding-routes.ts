import type { DescMethodUnary, DescService } from '@bufbuild/protobuf';
import type { ConnectRouter, HandlerContext, Transport } from '@connectrpc/connect';
import { identityHeaders, relayUpstreamError } from '@ordersystem/platform';
import { type MethodPolicy, policyKey } from '../policy/policy-table.js';
import { requestInfoKey, verifiedIdentityKey } from './context.js';
import { withRetry } from './retry.js';

export interface ForwardingOptions {
  upstreams: ReadonlyArray<{ service: DescService; transport: Transport }>;
  table: ReadonlyMap<string, MethodPolicy>;
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  onRetry?: (method: string) => void;
}

/**
 * Registers one forwarding handler per method of every public service, generically from the
 * descriptors: a new RPC in a public proto is exposed by rebuilding, with nothing to hand-write.
 * The request message is forwarded as decoded (so malformed input never leaves the gateway), with
 * only the headers the gateway itself vouches for: identity from the verified token, request id,
 * and trace context (added by the transport's tracing interceptor).
 */
export function forwardingRoutes(options: ForwardingOptions): (router: ConnectRouter) => void {
  return (router) => {
    for (const { service, transport } of options.upstreams) {
      for (const method of service.methods) {
        const policy = options.table.get(policyKey(method));
        if (!policy || method.methodKind !== 'unary') throw new Error(`${policyKey(method)} has no forwarding policy`);
        const unary = method as DescMethodUnary;
        router.rpc(unary, ((req: unknown, ctx: HandlerContext) =>
          forward(transport, unary, req, ctx, policy, options)) as never);
      }
    }
  };
}

async function forward(
  transport: Transport,
  method: DescMethodUnary,
  input: unknown,
  ctx: HandlerContext,
  policy: MethodPolicy,
  options: ForwardingOptions,
) {
  const headers = new Headers();
  const identity = ctx.values.get(verifiedIdentityKey);
  if (identity) for (const [k, v] of Object.entries(identityHeaders(identity))) headers.set(k, v);
  const info = ctx.values.get(requestInfoKey);
  if (info) headers.set('x-request-id', info.requestId);
  const timeoutMs = Math.min(options.timeoutMs, ctx.timeoutMs() ?? Number.POSITIVE_INFINITY);
  let attempt = 0;
  // Each attempt's failure is translated before the retry decision, so a connection reset by a
  // dying upstream is `unavailable` (and retried where that is safe), never `aborted`.
  const call = async () => {
    if (attempt++ > 0) options.onRetry?.(policyKey(method));
    try {
      const res = await transport.unary(method, ctx.signal, timeoutMs, headers, input as never);
      return res.message;
    } catch (err) {
      throw relayUpstreamError(err, ctx.signal);
    }
  };
  return withRetry(call, {
    maxAttempts: policy.retryable ? options.maxAttempts : 1,
    baseDelayMs: options.retryBaseMs,
    signal: ctx.signal,
  });
}
