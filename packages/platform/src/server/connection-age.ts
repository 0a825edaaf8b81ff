import type http2 from 'node:http2';

/** gRPC's MAX_CONNECTION_AGE: long enough to amortise the handshake, short enough for new replicas to matter. */
export const DEFAULT_MAX_CONNECTION_AGE_MS = 60_000;

/**
 * Closes every HTTP/2 connection gracefully once it is `maxAgeMs` old (±10 % jitter, so a fleet of
 * clients does not reconnect in step). Without this, callers keep the h2c connections they opened
 * at start and replicas added later (an HPA scale-up) never get their traffic.
 *
 * One GOAWAY naming the last stream the server took: calls in flight finish on the old connection,
 * and a call the client sent before it saw the GOAWAY is refused (REFUSED_STREAM, never processed),
 * which the client repeats on its new connection (client/refused-stream-retry.ts). gRPC's two-step
 * GOAWAY (first "no new streams" with the highest id, then the real id after a PING round trip)
 * does not work on Node: nghttp2 stops reading an idle session as soon as it has sent a GOAWAY, so
 * the PING's answer and the call on the wire were never read, and that call hung to its deadline.
 */
export function limitConnectionAge(server: http2.Http2Server, maxAgeMs: number): void {
  if (maxAgeMs <= 0) return;
  server.on('session', (session) => {
    const age = maxAgeMs * (0.9 + Math.random() * 0.2);
    const timer = setTimeout(() => session.close(), age);
    timer.unref();
    session.once('close', () => clearTimeout(timer));
  });
}
