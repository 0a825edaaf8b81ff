import type { Client } from '@connectrpc/connect';
import type { IdentityService, TokenPair } from '@ordersystem/contracts/ordersystem/customers/v1/identity';
import { failedPrecondition, invalidField } from '@ordersystem/platform';
import { type NodeRequest, type NodeResponse, readJsonBody, sendJson, writeHead } from './respond.js';

export interface AuthRoutesOptions {
  identity: Client<typeof IdentityService>;
  timeoutMs: number;
  maxBodyBytes: number;
  /** Secure cookies (and HSTS elsewhere) when TLS terminates in front of us. */
  secureCookies: boolean;
  postLoginUrl: string;
  /** The public /auth/callback URL registered with the provider; empty: derived from the Host header. */
  callbackUrl: string;
}

const LOGIN_COOKIE = 'gw_login';
const REFRESH_COOKIE = 'gw_refresh';
const LOGIN_TTL_S = 600;

/**
 * /auth/* and /.well-known/jwks.json. Returns false when the path is not one of ours.
 * JSON mode (default): /auth/callback answers the token pair as JSON. Browser mode
 * (/auth/login?mode=cookie): the callback stores the refresh token in an HttpOnly cookie scoped to
 * /auth and redirects to POST_LOGIN_URL; the page then gets access tokens from POST /auth/refresh.
 */
export function createAuthRoutes(options: AuthRoutesOptions) {
  const call = { timeoutMs: options.timeoutMs };
  const cookie = (name: string, value: string, maxAge: number, sameSite: string) =>
    `${name}=${value}; Path=/auth; HttpOnly; SameSite=${sameSite}; Max-Age=${maxAge}${options.secureCookies ? '; Secure' : ''}`;

  const routes: Record<string, (req: NodeRequest, res: NodeResponse, url: URL) => Promise<void>> = {
    'GET /auth/login': async (_req, res, url) => {
      const mode = url.searchParams.get('mode') === 'cookie' ? 'cookie' : 'json';
      const begin = await options.identity.beginLogin(
        options.callbackUrl ? { redirectUri: options.callbackUrl } : {},
        call,
      );
      const state = Buffer.from(JSON.stringify({ s: begin.state, m: mode })).toString('base64url');
      writeHead(res, 302, {
        location: begin.authorizationUrl,
        'set-cookie': cookie(LOGIN_COOKIE, state, LOGIN_TTL_S, 'Lax'),
        'cache-control': 'no-store',
      });
      res.end();
    },
    'GET /auth/callback': async (req, res, url) => {
      const login = parseLoginCookie(cookies(req)[LOGIN_COOKIE]);
      const base = options.callbackUrl || `http://${req.headers.host ?? 'localhost'}/auth/callback`;
      const done = await options.identity.completeLogin({ callbackUrl: `${base}${url.search}`, state: login.s }, call);
      const clear = cookie(LOGIN_COOKIE, '', 0, 'Lax');
      if (login.m === 'cookie') {
        const refresh = cookie(
          REFRESH_COOKIE,
          done.tokens?.refreshToken ?? '',
          done.tokens?.refreshExpiresInSeconds ?? 0,
          'Strict',
        );
        writeHead(res, 302, {
          location: options.postLoginUrl,
          'set-cookie': [clear, refresh],
          'cache-control': 'no-store',
        }).end();
        return;
      }
      sendJson(res, 200, tokensJson(done.tokens), { 'set-cookie': clear, 'cache-control': 'no-store' });
    },
    'POST /auth/refresh': async (req, res) => {
      const { token, fromCookie } = await refreshTokenOf(req, options.maxBodyBytes);
      const { tokens } = await options.identity.refreshTokens({ refreshToken: token }, call);
      if (!fromCookie) return sendJson(res, 200, tokensJson(tokens), { 'cache-control': 'no-store' });
      const rotated = cookie(
        REFRESH_COOKIE,
        tokens?.refreshToken ?? '',
        tokens?.refreshExpiresInSeconds ?? 0,
        'Strict',
      );
      sendJson(
        res,
        200,
        { ...tokensJson(tokens), refresh_token: undefined },
        { 'set-cookie': rotated, 'cache-control': 'no-store' },
      );
    },
    'POST /auth/logout': async (req, res) => {
      const { token } = await refreshTokenOf(req, options.maxBodyBytes);
      await options.identity.logout({ refreshToken: token }, call);
      writeHead(res, 204, { 'set-cookie': cookie(REFRESH_COOKIE, '', 0, 'Strict') }).end();
    },
    'GET /.well-known/jwks.json': async (_req, res) => {
      const { jwksJson } = await options.identity.getJwks({}, call);
      writeHead(res, 200, { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=300' }).end(
        jwksJson,
      );
    },
  };

  return (req: NodeRequest, res: NodeResponse, url: URL): Promise<void> | undefined =>
    routes[`${req.method} ${url.pathname}`]?.(req, res, url);
}

function tokensJson(tokens: TokenPair | undefined) {
  // customers always answers a pair; its absence is a bug there, reported as internal.
  if (!tokens) throw new Error('customers answered without a token pair');
  return {
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    token_type: tokens.tokenType || 'Bearer',
    expires_in: tokens.expiresInSeconds,
    refresh_expires_in: tokens.refreshExpiresInSeconds,
  };
}

async function refreshTokenOf(req: NodeRequest, maxBytes: number): Promise<{ token: string; fromCookie: boolean }> {
  const body = await readJsonBody(req, maxBytes);
  if (typeof body.refresh_token === 'string' && body.refresh_token)
    return { token: body.refresh_token, fromCookie: false };
  const fromCookie = cookies(req)[REFRESH_COOKIE];
  if (fromCookie) return { token: fromCookie, fromCookie: true };
  throw invalidField('refresh_token', 'required');
}

function parseLoginCookie(value: string | undefined): { s: string; m: 'json' | 'cookie' } {
  try {
    const parsed = JSON.parse(Buffer.from(value ?? '', 'base64url').toString('utf8')) as { s?: unknown; m?: unknown };
    if (typeof parsed.s === 'string') return { s: parsed.s, m: parsed.m === 'cookie' ? 'cookie' : 'json' };
  } catch {
    // handled below
  }
  throw failedPrecondition('login state missing or expired; start again at /auth/login');
}

function cookies(req: NodeRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}
