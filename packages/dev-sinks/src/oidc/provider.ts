// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- oidc-provider ships no types; this keeps the local declaration attached to its only user in every tsconfig
/// <reference path="./oidc-provider.d.ts" />
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import { portOf } from '../http-util.js';
import { errorPage, loginPage } from './interaction-page.js';
import { memoryAdapterFactory } from './memory-adapter.js';

/** The one client the provider knows: the customers service (its OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI). */
export interface DevOidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: readonly string[];
}

/** The development defaults of customers' dev.env, so `scripts/dev up` needs no extra settings. */
export const DEV_OIDC_CLIENT: DevOidcClient = {
  clientId: 'ordersystem-dev',
  clientSecret: 'ordersystem-dev-secret-not-for-production',
  redirectUris: ['http://127.0.0.1:8080/auth/callback'],
};

export interface DevOidcProviderOptions {
  /** 0 (the default) picks a free port (tests). */
  port?: number;
  host?: string;
  client?: DevOidcClient;
  /** Where provider errors and failed interactions are reported; stderr by default. */
  onError?: (message: string, err: unknown) => void;
}

export interface DevOidcProvider {
  port: number;
  /** The issuer URL to give the client as OIDC_ISSUER_URL (serves /.well-known/openid-configuration). */
  issuer: string;
  close(): Promise<void>;
}

interface DevAccount {
  email: string;
  name: string;
}

const SCOPES = ['openid', 'email', 'profile'];

/**
 * Starts a local OpenID provider (`oidc-provider`) for development and tests, so login works with
 * no internet and no credentials. One client is registered (customers); PKCE is required; the
 * interaction is a one-form login that also grants consent. Accounts live in memory, keyed by
 * email, so the same email always gets the same subject.
 */
export async function startDevOidcProvider(options: DevOidcProviderOptions = {}): Promise<DevOidcProvider> {
  const host = options.host ?? '127.0.0.1';
  const onError =
    options.onError ??
    ((message, err) =>
      process.stderr.write(`[dev-oidc] ${message}: ${err instanceof Error ? err.message : String(err)}\n`));
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = portOf(server);
  const issuer = `http://${host}:${port}`;
  const accounts = new Map<string, DevAccount>();
  const provider = new Provider(issuer, providerConfiguration(options.client ?? DEV_OIDC_CLIENT, accounts));
  provider.on('server_error', (_ctx, err) => onError('provider error', err));
  const callback = provider.callback();
  handle = (req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (!match) return callback(req, res);
    interact(provider, accounts, req, res, match[2] === '/login').catch((err: unknown) => {
      onError('interaction failed', err);
      if (!res.headersSent)
        res
          .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
          .end(errorPage('login session expired or invalid; start again'));
    });
  };
  return {
    port,
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function providerConfiguration(client: DevOidcClient, accounts: Map<string, DevAccount>): Record<string, unknown> {
  const loopback = client.redirectUris.every((uri) => /^http:\/\/(127\.0\.0\.1|\[::1\])(:\d+)?\//.test(uri));
  const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  return {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [...client.redirectUris],
        // RFC 8252: for a native client the provider ignores the port of loopback redirect URIs,
        // so a gateway started on any free port (tests) can use the dev provider unchanged.
        application_type: loopback ? 'native' : 'web',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'ES256',
      },
    ],
    adapter: memoryAdapterFactory(),
    jwks: { keys: [{ ...signingKey, kid: 'dev-1', alg: 'ES256', use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    // oidc-provider's own defaults, stated so it stops printing a notice for each on every start.
    ttl: { Interaction: 3600, Session: 14 * 24 * 3600, Grant: 14 * 24 * 3600, AccessToken: 3600, IdToken: 3600 },
    scopes: SCOPES,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Put email and name in the ID token too, as Google does; the service still falls back to userinfo.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email: account.email, email_verified: true, name: account.name }),
      };
    },
    renderError: (ctx: { type: string; body: string }, out: { error?: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = errorPage(`${out.error ?? 'error'}: ${out.error_description ?? ''}`);
    },
  };
}

/** GET shows the form (or auto-grants consent for a known session); POST …/login signs in and grants consent in one step. */
async function interact(
  provider: Provider,
  accounts: Map<string, DevAccount>,
  req: IncomingMessage,
  res: ServerResponse,
  isLogin: boolean,
) {
  const details = await provider.interactionDetails(req, res);
  const clientId = String(details.params.client_id);
  const scope = requestedScopes(details.params.scope);
  if (req.method === 'GET' && details.prompt.name !== 'login' && details.session?.accountId) {
    const grantId = await grantConsent(provider, details.session.accountId, clientId, scope);
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  if (req.method === 'GET' || !isLogin) {
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(loginPage(details.uid));
    return;
  }
  const form = new URLSearchParams(await readForm(req));
  const email = (form.get('email') ?? '').trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
    res
      .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
      .end(loginPage(details.uid, 'enter an email address'));
    return;
  }
  const accountId = `dev-${createHash('sha256').update(email).digest('hex').slice(0, 24)}`;
  accounts.set(accountId, { email, name: (form.get('name') ?? '').trim() });
  const grantId = await grantConsent(provider, accountId, clientId, scope);
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

async function grantConsent(provider: Provider, accountId: string, clientId: string, scope: string): Promise<string> {
  const grant = new provider.Grant({ accountId, clientId });
  grant.addOIDCScope(scope);
  return grant.save();
}

const requestedScopes = (scope: unknown) =>
  String(scope ?? 'openid')
    .split(' ')
    .filter((s) => SCOPES.includes(s))
    .join(' ');

async function readForm(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 4096) throw new Error('form too large');
  }
  return body;
}
