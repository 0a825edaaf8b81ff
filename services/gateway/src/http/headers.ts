import { cors } from '@connectrpc/connect';
import { type NodeRequest, type NodeResponse, writeHead } from './respond.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when it is a sane token, otherwise a fresh one (never echo arbitrary input). */
export function requestIdOf(req: NodeRequest, generate: () => string): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : generate();
}

/**
 * The client address used for per-IP limits. Behind a trusted proxy (TRUST_PROXY) it is the last
 * X-Forwarded-For entry, the one our proxy appended; earlier entries are client-controlled.
 */
export function clientIpOf(req: NodeRequest, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string') {
    const last = forwarded
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .pop();
    if (last) return last;
  }
  return req.socket?.remoteAddress ?? 'unknown';
}

/** Headers every response carries; the API serves no HTML, so nothing may frame or sniff it. */
export function setSecurityHeaders(res: NodeResponse, behindTls: boolean): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('referrer-policy', 'no-referrer');
  if (behindTls) res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
}

const ALLOW_HEADERS = [...cors.allowedHeaders, 'Authorization', 'X-Request-Id', 'Traceparent', 'If-None-Match'].join(
  ', ',
);
const EXPOSE_HEADERS = [...cors.exposedHeaders, 'X-Request-Id', 'Retry-After', 'ETag'].join(', ');

/**
 * CORS for the configured origins only. Returns true when the request was a preflight and has
 * been answered. Credentials are allowed so the browser login mode can send its refresh cookie.
 */
export function handleCors(req: NodeRequest, res: NodeResponse, origins: readonly string[]): boolean {
  const origin = req.headers.origin;
  const allowed = typeof origin === 'string' && origins.includes(origin);
  res.setHeader('vary', 'Origin');
  if (allowed) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('access-control-expose-headers', EXPOSE_HEADERS);
  }
  if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
  if (allowed) {
    res.setHeader('access-control-allow-methods', cors.allowedMethods.join(', '));
    res.setHeader('access-control-allow-headers', ALLOW_HEADERS);
    res.setHeader('access-control-max-age', '7200');
  }
  writeHead(res, allowed ? 204 : 403).end();
  return true;
}
