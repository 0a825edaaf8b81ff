import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@ordersystem/platform/errors';
import { pino } from 'pino';
import { createOpenIdClient } from './openid-client';

type TokenEndpoint = (res: http.ServerResponse) => void;

/** A provider whose discovery answers and whose token endpoint behaves as `token` says. */
async function provider(token: TokenEndpoint) {
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === '/.well-known/openid-configuration') {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          issuer: base,
          authorization_endpoint: `${base}/auth`,
          token_endpoint: `${base}/token`,
          jwks_uri: `${base}/jwks`,
          response_types_supported: ['code'],
        }),
      );
      return;
    }
    held.push(res);
    token(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    for (const res of held) res.destroy();
    server.close();
  };
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close };
}

/** Redeems a code at a provider whose token endpoint is `token`; resolves with what exchange threw. */
async function exchangeFailure(token: TokenEndpoint): Promise<AppError> {
  const p = await provider(token);
  try {
    const client = createOpenIdClient({
      issuerUrl: p.base,
      clientId: 'c',
      clientSecret: 's',
      scopes: 'openid email',
      allowInsecureRequests: true,
      timeoutMs: 300,
      logger: pino({ level: 'silent' }),
    });
    const redirectUri = 'http://127.0.0.1:8080/auth/callback';
    const attempt = { state: 'st', nonce: 'n', codeVerifier: 'v'.repeat(43), redirectUri, expiresAt: new Date() };
    const failure: unknown = await client.exchange(new URL(`${redirectUri}?code=abc&state=st`), attempt).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(AppError);
    return failure as AppError;
  } finally {
    p.close();
  }
}

describe('createOpenIdClient', () => {
  it('gives up on a provider that does not answer after OIDC_TIMEOUT_MS, as unavailable', async () => {
    const failure = await exchangeFailure(() => undefined);
    expect(failure).toMatchObject({ kind: 'unavailable', message: 'identity provider is unavailable' });
    // openid-client's own default is 30 s, past this test's limit.
    expect(failure.cause).toMatchObject({ code: 'OAUTH_TIMEOUT' });
  }, 10_000);

  it('reports a provider answering 5xx without an OAuth error as unavailable', async () => {
    const failure = await exchangeFailure((res) =>
      res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>bad gateway'),
    );
    expect(failure).toMatchObject({ kind: 'unavailable' });
  });

  it('still reports the provider refusing the code as the caller’s failed precondition', async () => {
    const failure = await exchangeFailure((res) =>
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant' })),
    );
    expect(failure).toMatchObject({ kind: 'failed_precondition', message: 'login was not completed: invalid_grant' });
  });
});
