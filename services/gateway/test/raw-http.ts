import { brotliCompressSync } from 'node:zlib';
import http2 from 'node:http2';
import net from 'node:net';

/** One HTTP/2 exchange as the wire carries it: response headers, body bytes and trailers. */
export interface H2Reply {
  headers: http2.IncomingHttpHeaders;
  body: Buffer;
  trailers: http2.IncomingHttpHeaders;
}

/** Sends one HTTP/2 request with prior knowledge and collects everything, trailers included. */
export async function h2Request(base: string, headers: http2.OutgoingHttpHeaders, body?: Uint8Array): Promise<H2Reply> {
  const session = http2.connect(base);
  try {
    return await new Promise<H2Reply>((resolve, reject) => {
      const req = session.request({ ':method': 'POST', ...headers });
      const chunks: Buffer[] = [];
      let responseHeaders: http2.IncomingHttpHeaders = {};
      let trailers: http2.IncomingHttpHeaders = {};
      req.on('response', (h) => (responseHeaders = h));
      req.on('trailers', (t) => (trailers = t));
      req.on('data', (c: Buffer) => chunks.push(c));
      // 'close', not 'end': the trailers event may come after the end of the data.
      req.on('close', () => resolve({ headers: responseHeaders, body: Buffer.concat(chunks), trailers }));
      req.on('error', reject);
      req.end(body === undefined ? undefined : Buffer.from(body));
    });
  } finally {
    session.close();
  }
}

/** A gRPC request body: one uncompressed length-prefixed message. */
export const grpcFrame = (message: Uint8Array) => {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  Buffer.from(message).copy(frame, 5);
  return frame;
};

/** A protobuf message cut short: field 1 announces 5 bytes of string and none follow. */
export const TRUNCATED_PROTO = Uint8Array.of(0x0a, 0x05);

/** Brotli of a valid JSON message with its end cut off (zlib: "unexpected end of file"). */
export const truncatedBrotli = (json: unknown) => {
  const full = brotliCompressSync(Buffer.from(JSON.stringify(json)));
  return full.subarray(0, full.length - 3);
};

/**
 * Writes raw HTTP/1.1 requests on one connection, each after the previous answer arrived, and
 * returns the raw text of everything received (an early close shows up as missing answers).
 */
export async function onOneConnection(
  port: number,
  requests: Array<(write: (s: string) => Promise<void>) => Promise<void>>,
): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  let answers = 0;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  socket.on('data', (c: Buffer) => {
    received += c.toString();
    answers = (received.match(/HTTP\/1\.1 \d{3} /g) ?? []).length;
  });
  const write = (s: string) => new Promise<void>((resolve) => socket.write(s, () => resolve()));
  for (const [i, request] of requests.entries()) {
    await request(write);
    const deadline = Date.now() + 5_000;
    while (answers <= i && Date.now() < deadline && !socket.destroyed) await new Promise((r) => setTimeout(r, 20));
    // Let a complete answer's body arrive before the next request.
    await new Promise((r) => setTimeout(r, 50));
  }
  socket.end();
  await Promise.race([closed, new Promise((r) => setTimeout(r, 1_000))]);
  socket.destroy();
  return received;
}
