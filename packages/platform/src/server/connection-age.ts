import http2 from 'node:http2';

/** gRPC's MAX_CONNECTION_AGE: long enough to amortise the handshake, short enough for new replicas to matter. */
export const DEFAULT_MAX_CONNECTION_AGE_MS = 60_000;

/**
 * Sends GOAWAY to every HTTP/2 connection once it is `maxAgeMs` old (±10 % jitter, so a fleet of
 * clients does not reconnect in step). In-flight calls finish on the old connection; the client's
 * next call opens a new one, which the Service may route to another pod. Without this, callers
 * keep the h2c connections they opened at start and replicas added later (an HPA scale-up) never
 * get their traffic.
 */
export function limitConnectionAge(server: http2.Http2Server, maxAgeMs: number): void {
  if (maxAgeMs <= 0) return;
  server.on('session', (session) => {
    const age = maxAgeMs * (0.9 + Math.random() * 0.2);
    const timer = setTimeout(() => {
      if (session.closed || session.destroyed) return;
      // Two-step GOAWAY, as gRPC servers do: first "no new streams" while still accepting any the
      // client sent before it saw that (the highest stream id), then, one round trip later, the
      // real last stream id. A single GOAWAY would refuse calls already on the wire.
      session.goaway(http2.constants.NGHTTP2_NO_ERROR, 2 ** 31 - 1);
      session.ping(() => {
        if (!session.closed && !session.destroyed) session.close();
      });
    }, age);
    timer.unref();
    session.once('close', () => clearTimeout(timer));
  });
}
