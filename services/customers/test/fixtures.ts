import { randomUUID } from 'node:crypto';
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { ContactService } from '@ordersystem/contracts/ordersystem/customers/v1/contacts';
import { CustomerService } from '@ordersystem/contracts/ordersystem/customers/v1/customers';
import { IdentityService } from '@ordersystem/contracts/ordersystem/customers/v1/identity';
import { DEV_OIDC_CLIENT, type DevOidcProvider, startDevOidcProvider } from '@ordersystem/dev-sinks';
import { type Identity, identityHeaders } from '@ordersystem/platform';
import { infraEnv, startServiceOnFreshSchema } from '@ordersystem/testing';
import { createAccessTokenVerifier } from '../src/tokens/verifier';

/** The gateway callback the tests pretend to be; the browser never actually goes there. */
export const REDIRECT_URI = 'http://127.0.0.1:8080/auth/callback';
export const TOKEN_ISSUER = 'http://127.0.0.1:8080';
export const TOKEN_AUDIENCE = 'ordersystem';

export type Running = Awaited<ReturnType<typeof startServiceOnFreshSchema>>;

/** The development OpenID provider of packages/dev-sinks, on a free port, with the tests' redirect URI registered. */
export function startOidcProvider(): Promise<DevOidcProvider> {
  return startDevOidcProvider({ client: { ...DEV_OIDC_CLIENT, redirectUris: [REDIRECT_URI] } });
}

/**
 * Starts the customers process on a fresh schema, pointed at its own local OpenID provider (as
 * `scripts/dev up` points it at the dev-sinks one); stopping it stops both.
 */
export async function startCustomers(env: Record<string, string> = {}): Promise<Running> {
  const oidc = await startOidcProvider();
  try {
    const running = await startServiceOnFreshSchema(infraEnv(), 'customers', {
      OIDC_ISSUER_URL: oidc.issuer,
      OIDC_REDIRECT_URI: REDIRECT_URI,
      TOKEN_ISSUER,
      TOKEN_AUDIENCE,
      ...env,
    });
    return { ...running, stop: () => running.stop().finally(() => oidc.close()) };
  } catch (err) {
    await oidc.close();
    throw err;
  }
}

export function clients(port: number) {
  const transport = createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` });
  return {
    identity: createClient(IdentityService, transport),
    customers: createClient(CustomerService, transport),
    contacts: createClient(ContactService, transport),
  };
}

export type Clients = ReturnType<typeof clients>;

/** Call options carrying the identity headers the gateway would set. */
export const as = (identity: Partial<Identity> & { customerId: string }) => ({
  headers: identityHeaders({ email: '', roles: ['customer'], ...identity }),
});
export const asAdmin = () => as({ customerId: randomUUID(), email: 'root@example.test', roles: ['customer', 'admin'] });

/** A unique email per call, so test files and repeated runs never collide. */
export const anEmail = (prefix = 'user') => `${prefix}-${randomUUID().slice(0, 8)}@example.test`;

/** A cookie jar just big enough for the provider's cookies: one jar is one browser. */
export class Cookies {
  private readonly jar = new Map<string, string>();
  store(response: Response) {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair!.indexOf('=');
      this.jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1));
    }
  }
  header = () => [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/**
 * Plays the browser against the local provider, headless: follows redirects by hand from the
 * authorization URL to the login form, posts email and name, and follows on until the provider
 * redirects to the redirect URI. Returns that final URL (with code and state).
 */
export async function driveDevLogin(
  authorizationUrl: string,
  user: { email: string; name: string },
  redirectUri = REDIRECT_URI,
  cookies = new Cookies(),
): Promise<string> {
  let url = authorizationUrl;
  let init: RequestInit = { method: 'GET' };
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(redirectUri)) return url;
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, cookie: cookies.header() },
    });
    cookies.store(response);
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url).toString();
      init = { method: 'GET' };
      continue;
    }
    const html = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || !action)
      throw new Error(`unexpected provider page ${response.status}: ${html.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, '&'), url).toString();
    init = {
      method: 'POST',
      body: new URLSearchParams(user).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };
  }
  throw new Error('too many redirects');
}

/** BeginLogin → provider (headless) → CompleteLogin: the whole authorization-code flow. */
export async function login(c: Clients, user: { email: string; name: string }) {
  const begun = await c.identity.beginLogin({});
  const callbackUrl = await driveDevLogin(begun.authorizationUrl, user);
  const { tokens } = await c.identity.completeLogin({ callbackUrl, state: begun.state });
  return tokens!;
}

/** A verifier over the service's published JWKS, as the gateway would build it. */
export async function verifierFor(c: Clients, options: { currentDate?: Date } = {}) {
  const { jwksJson } = await c.identity.getJwks({});
  return createAccessTokenVerifier({
    jwks: JSON.parse(jwksJson),
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    maxTokenAgeSeconds: 3600,
    ...options,
  });
}
