import type { Interceptor } from '@connectrpc/connect';

/** A refused call is repeated at once: the refusal means the connection moved, not that the callee is down. */
const MAX_ATTEMPTS = 3;

/**
 * True when HTTP/2 closed the call's stream with REFUSED_STREAM: the server had already sent GOAWAY
 * (a connection reaching its maximum age, a pod draining) and never processed the call. connect-node
 * reports it as `internal` and keeps the reason only in the Node error's text.
 */
export function wasRefusedStream(err: unknown): boolean {
  // Duck-typed, not instanceof: Node's own errors may come from another realm (a test sandbox).
  // The walk down the causes is bounded because a chain may loop.
  let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    if (e.code === 'ERR_HTTP2_STREAM_ERROR' && String(e.message).endsWith('NGHTTP2_REFUSED_STREAM')) return true;
    e = e.cause as typeof e;
  }
  return false;
}

/**
 * Repeats a unary call whose stream was refused, as grpc-js does with its "transparent retry":
 * HTTP/2 guarantees the server did nothing with it (RFC 9113 §8.7), so this is safe for any method,
 * idempotent or not. Streaming calls are not repeated: their messages are already consumed.
 */
export function retryRefusedStreams(): Interceptor {
  return (next) => async (req) => {
    if (req.stream) return next(req);
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(req);
      } catch (err) {
        if (!wasRefusedStream(err) || attempt >= MAX_ATTEMPTS || req.signal.aborted) throw err;
      }
    }
  };
}
