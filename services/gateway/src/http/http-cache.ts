import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';
import type { NodeRequest, NodeResponse } from './respond.js';

/**
 * Makes a Connect GET response cacheable: buffers what the Connect adapter writes, and on a 200
 * adds a strong ETag (hash of the exact body bytes) and the method's Cache-Control; when the
 * client's If-None-Match already names that ETag the answer is 304 with no body. Connect itself is
 * untouched: only this one response object is wrapped, and its own methods are restored before
 * the real answer is written (HTTP/2's end() calls write(), which must not be the buffering one).
 */
export function cacheResponse(
  req: NodeRequest,
  res: NodeResponse,
  cacheControl: string,
  /** Receives every 200 answer as sent (for the gateway's micro-cache); absent when nothing may keep it. */
  keep?: (answer: { headers: OutgoingHttpHeaders; body: Buffer; etag: string }) => void,
): void {
  const chunks: Buffer[] = [];
  let status = 200;
  let headers: OutgoingHttpHeaders = {};
  let trailers: OutgoingHttpHeaders = {};
  const patched = res as unknown as Record<string, unknown>;
  const restore = () => ['writeHead', 'write', 'end', 'addTrailers'].forEach((name) => delete patched[name]);
  patched.writeHead = (s: number, h?: OutgoingHttpHeaders) => {
    status = s;
    headers = { ...headers, ...(h ?? {}) };
    return res;
  };
  patched.write = (chunk: Buffer | string, encoding?: unknown, cb?: () => void) => {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  };
  // Held back with the body: a 304 carries no body and no trailers.
  patched.addTrailers = (t: OutgoingHttpHeaders) => void (trailers = { ...trailers, ...t });
  patched.end = (...args: unknown[]) => {
    if (Buffer.isBuffer(args[0]) || typeof args[0] === 'string') chunks.push(Buffer.from(args[0]));
    restore();
    const out = res as http.ServerResponse;
    const body = Buffer.concat(chunks);
    if (status !== 200) return send(out, status, headers, trailers, body);
    const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
    if (keep && Object.keys(trailers).length === 0) keep({ headers, body, etag });
    return sendCacheable(req, out, { headers, body, etag }, cacheControl, trailers);
  };
}

/** A 200 with its ETag and Cache-Control, or 304 when the client already holds that ETag. */
export function sendCacheable(
  req: NodeRequest,
  res: NodeResponse,
  answer: { headers: OutgoingHttpHeaders; body: Buffer; etag: string },
  cacheControl: string,
  trailers: OutgoingHttpHeaders = {},
) {
  const out = res as http.ServerResponse;
  const cacheHeaders = {
    etag: answer.etag,
    'cache-control': cacheControl,
    vary: 'Origin, Authorization, Accept-Encoding',
  };
  if (matches(req.headers['if-none-match'], answer.etag)) return out.writeHead(304, cacheHeaders).end();
  const headers = { ...answer.headers, ...cacheHeaders, 'content-length': answer.body.length };
  return send(out, 200, headers, trailers, answer.body);
}

function send(
  res: http.ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders,
  trailers: OutgoingHttpHeaders,
  body: Buffer,
) {
  res.writeHead(status, headers);
  if (Object.keys(trailers).length > 0) res.addTrailers(trailers);
  return res.end(body);
}

/** If-None-Match comparison (weak, as RFC 9110 requires for this header). */
function matches(header: string | string[] | undefined, etag: string): boolean {
  if (typeof header !== 'string') return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
