import { createHash, randomBytes } from 'node:crypto';
import { DEV_OIDC_CLIENT, type DevOidcProvider, startDevOidcProvider } from '@ordersystem/dev-sinks';

const CALLBACK = 'http://127.0.0.1:8080/auth/callback';

describe('development OpenID provider', () => {
  let oidc: DevOidcProvider;

  beforeAll(async () => {
    oidc = await startDevOidcProvider({ client: { ...DEV_OIDC_CLIENT, redirectUris: [CALLBACK] } });
  });
  afterAll(() => oidc?.close());

  const authorizeUrl = (params: Record<string, string>) => {
    const verifier = randomBytes(32).toString('base64url');
    const url = new URL(`${oidc.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: DEV_OIDC_CLIENT.clientId,
      response_type: 'code',
      scope: 'openid email profile',
      redirect_uri: CALLBACK,
      state: 'st-1',
      nonce: 'n-1',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...params,
    }).toString();
    return url.toString();
  };

  /** Follows redirects by hand with one cookie jar, posting the login form once; returns the final redirect. */
  async function signIn(start: string, email: string): Promise<URL> {
    const jar = new Map<string, string>();
    let url = start;
    let form: URLSearchParams | undefined;
    for (let hop = 0; hop < 10; hop++) {
      const res = await fetch(url, {
        redirect: 'manual',
        method: form ? 'POST' : 'GET',
        body: form,
        headers: {
          cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
      });
      for (const cookie of res.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';');
        jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
      }
      form = undefined;
      const location = res.headers.get('location');
      if (location) {
        const next = new URL(location, url);
        if (next.origin !== oidc.issuer) return next;
        url = next.toString();
        continue;
      }
      const action = /<form method="post" action="([^"]+)"/.exec(await res.text())?.[1];
      if (res.status !== 200 || !action) throw new Error(`unexpected page ${res.status} at ${url}`);
      url = new URL(action.replace(/&amp;/g, '&'), url).toString();
      form = new URLSearchParams({ email, name: 'Dev User' });
    }
    throw new Error('too many redirects');
  }

  it('publishes its discovery document at the issuer URL', async () => {
    const config = (await (await fetch(`${oidc.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({ issuer: oidc.issuer, code_challenge_methods_supported: ['S256'] });
    expect(config.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
  });

  it('signs any email in through its form and redirects back with a code and the state', async () => {
    const callback = await signIn(authorizeUrl({}), 'dev@example.test');
    expect(`${callback.origin}${callback.pathname}`).toBe(CALLBACK);
    expect(callback.searchParams.get('code')).toBeTruthy();
    expect(callback.searchParams.get('state')).toBe('st-1');
  });

  it('accepts a loopback redirect URI on another port (native client, RFC 8252) but no other host', async () => {
    const otherPort = await signIn(
      authorizeUrl({ redirect_uri: 'http://127.0.0.1:9999/auth/callback' }),
      'dev@example.test',
    );
    expect(otherPort.origin).toBe('http://127.0.0.1:9999');
    const res = await fetch(authorizeUrl({ redirect_uri: 'http://evil.example/auth/callback' }), {
      redirect: 'manual',
    });
    expect(res.status).toBe(400);
  });

  it('requires PKCE', async () => {
    const url = new URL(authorizeUrl({}));
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    const callback = await fetch(url, { redirect: 'manual' }).then((res) => new URL(res.headers.get('location')!, url));
    expect(callback.searchParams.get('error')).toBe('invalid_request');
  });
});
