import { randomUUID } from 'node:crypto';
import { ConnectError } from '@connectrpc/connect';
import {
  type Logger,
  payloadTooLarge,
  relayUpstreamError,
  resourceExhausted,
  toConnectError,
} from '@ordersystem/platform';
import type { Limiter } from '../limits/limiter.js';
import type { RequestInfo } from '../rpc/context.js';
import { clientIpOf, handleCors, requestIdOf, setSecurityHeaders } from './headers.js';
import { cacheResponse, sendCacheable } from './http-cache.js';
import type { ResponseCache } from './response-cache.js';
import { inRequestSpan } from './request-span.js';
import { type NodeRequest, type NodeResponse, sendError } from './respond.js';

export interface RequestHandlerDeps {
  logger: Logger;
  trustProxy: boolean;
  behindTls: boolean;
  corsOrigins: readonly string[];
  maxBodyBytes: number;
  /**
   * Share of ordinary answers whose request line is logged at info (the rest at debug). Errors
   * (status ≥ 400) and answers slower than `slowRequestMs` are always logged at info.
   */
  requestLogSample: number;
  slowRequestMs: number;
  ipLimiter: Limiter;
  onRateLimited: (scope: 'ip') => void;
  /** Plain routes (/auth/*, JWKS); returns undefined when the path is not theirs. */
  plainRoutes: (req: NodeRequest, res: NodeResponse, url: URL) => Promise<void> | undefined;
  /** Cache-Control per Connect path (`/pkg.Service/Method`) for cacheable GET methods. */
  cacheControlByPath: ReadonlyMap<string, string>;
  /** The micro-cache for anonymous GETs of public cacheable methods, with each path's max-age. */
  publicCache?: { cache: ResponseCache; maxAgeByPath: ReadonlyMap<string, number>; onLookup: (hit: boolean) => void };
  /** Where RequestInfo is left for the Connect adapter's contextValues. */
  requestInfo: WeakMap<object, RequestInfo>;
  connect: (req: NodeRequest, res: NodeResponse) => void;
}

/**
 * The one request listener behind both HTTP/1.1 and HTTP/2: request id, security headers and
 * CORS first, then the cheap rejections (declared body size, per-IP rate limit) before any
 * parsing, then the plain auth routes, and finally the Connect adapter for the public API.
 */
export function createRequestHandler(deps: RequestHandlerDeps) {
  return (req: NodeRequest, res: NodeResponse): void => {
    const requestId = requestIdOf(req, randomUUID);
    // Made on first use: most answers (cache hits, unsampled lines) never log, and a child
    // logger serialises its bindings up front (~2 % of the gateway's CPU on cached reads).
    let child: Logger | undefined;
    const log = () => (child ??= deps.logger.child({ request_id: requestId }));
    inRequestSpan(req, res, () => handle(req, res, requestId, log)).catch((err: unknown) => {
      const mapped = toConnectError(err);
      if (mapped.unexpected) log().error({ err }, 'request failed unexpectedly');
      if (!res.headersSent) sendError(res, mapped);
      else res.end();
    });
  };

  async function handle(req: NodeRequest, res: NodeResponse, requestId: string, log: () => Logger): Promise<void> {
    const started = performance.now();
    res.setHeader('x-request-id', requestId);
    setSecurityHeaders(res, deps.behindTls);
    res.once('finish', () => {
      const ms = Math.round(performance.now() - started);
      // A line per request was ~6 % of the gateway's CPU under load (pino + a write per line).
      const always = res.statusCode >= 400 || ms >= deps.slowRequestMs;
      const level = always || Math.random() < deps.requestLogSample ? 'info' : 'debug';
      if (deps.logger.isLevelEnabled(level))
        log()[level](
          { method: req.method, path: (req.url ?? '').split('?')[0], status: res.statusCode, ms },
          'request',
        );
    });
    if (handleCors(req, res, deps.corsOrigins)) return;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > deps.maxBodyBytes) throw payloadTooLarge(deps.maxBodyBytes);
    const clientIp = clientIpOf(req, deps.trustProxy);
    const decision = await deps.ipLimiter.consume(clientIp);
    if (!decision.allowed) {
      deps.onRateLimited('ip');
      throw resourceExhausted('rate limit exceeded', decision.retryAfterSeconds);
    }
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const plain = deps.plainRoutes(req, res, url);
    if (plain) {
      // ConnectErrors here come from customers' IdentityService; the routes' own refusals are AppErrors.
      return plain.catch((err: unknown) => {
        throw err instanceof ConnectError ? relayUpstreamError(err) : err;
      });
    }
    const cacheControl = req.method === 'GET' ? deps.cacheControlByPath.get(url.pathname) : undefined;
    const shared = cacheControl ? sharedCacheKey(req, url) : undefined;
    if (shared) {
      const hit = shared.cache.get(shared.key);
      shared.onLookup(hit !== undefined);
      if (hit) return void sendCacheable(req, res, hit, cacheControl!);
    }
    deps.requestInfo.set(req, { requestId, clientIp, log: log() });
    if (cacheControl)
      cacheResponse(
        req,
        res,
        cacheControl,
        shared && ((answer) => shared.cache.set(shared.key, shared.maxAge, answer)),
      );
    deps.connect(req, res);
  }

  /**
   * Where an anonymous GET of a public method may be answered from (and stored in) the micro-cache.
   * Any Authorization header keeps a request away from it: a presented token must still be checked,
   * and nothing a caller's identity could shape is ever shared. The key is the whole request line
   * (the message is in the query) plus Accept-Encoding, which picks the body's compression.
   */
  function sharedCacheKey(req: NodeRequest, url: URL) {
    const pc = deps.publicCache;
    const maxAge = pc?.cache.enabled ? pc.maxAgeByPath.get(url.pathname) : undefined;
    if (!pc || !maxAge || req.headers.authorization !== undefined) return undefined;
    const encoding = req.headers['accept-encoding'];
    return { ...pc, maxAge, key: `${req.url ?? ''}\n${typeof encoding === 'string' ? encoding : ''}` };
  }
}
