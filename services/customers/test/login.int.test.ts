import { Code, ConnectError } from '@connectrpc/connect';

jest.setTimeout(60_000);
import {
  type Clients,
  Cookies,
  type Running,
  anEmail,
  asAdmin,
  clients,
  driveDevLogin,
  login,
  startCustomers,
  verifierFor,
} from './fixtures';

describe('login through the local OpenID provider', () => {
  let running: Running;
  let c: Clients;
  const ADMIN = anEmail('boss');

  beforeAll(async () => {
    running = await startCustomers({ ADMIN_EMAILS: `someone@else.test, ${ADMIN.toUpperCase()}` });
    c = clients(running.svc.port);
  });
  afterAll(() => running?.stop());

  const findByEmail = async (email: string) => (await c.customers.listCustomers({ query: email }, asAdmin())).customers;

  it('runs the authorization-code flow with PKCE, state and nonce headless, from BeginLogin to verified tokens', async () => {
    const email = anEmail();
    const begun = await c.identity.beginLogin({});
    const authUrl = new URL(begun.authorizationUrl);
    expect(authUrl.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(authUrl.searchParams.get('state')).toBe(begun.state);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('nonce')).toBeTruthy();
    expect(authUrl.searchParams.get('scope')).toBe('openid email profile');

    const callbackUrl = await driveDevLogin(begun.authorizationUrl, { email, name: 'Wanjiru Kamau' });
    expect(new URL(callbackUrl).searchParams.get('code')).toBeTruthy();
    const { tokens } = await c.identity.completeLogin({ callbackUrl, state: begun.state });

    expect(tokens?.tokenType).toBe('Bearer');
    expect(tokens?.expiresInSeconds).toBe(900);
    const claims = await (await verifierFor(c))(tokens!.accessToken);
    const [customer] = await findByEmail(email);
    expect(customer).toMatchObject({ email, name: 'Wanjiru Kamau' });
    expect(claims).toMatchObject({ sub: customer!.id, email, roles: ['customer'] });
    expect(claims.exp - claims.iat).toBe(900);

    const logs = JSON.stringify(running.svc.logs);
    for (const secret of [tokens!.accessToken, tokens!.refreshToken, new URL(callbackUrl).searchParams.get('code')!]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('creates the customer on first login and only updates it on the next', async () => {
    const email = anEmail();
    const first = await verifierFor(c).then(async (verify) =>
      verify((await login(c, { email, name: 'First Name' })).accessToken),
    );
    const second = await verifierFor(c).then(async (verify) =>
      verify((await login(c, { email, name: 'Second Name' })).accessToken),
    );

    expect(second.sub).toBe(first.sub);
    const found = await findByEmail(email);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ id: first.sub, name: 'Second Name' });
  });

  it('signs a returning browser in without the form while its provider session lasts', async () => {
    const browser = new Cookies();
    const email = anEmail();
    const complete = async (name: string) => {
      const begun = await c.identity.beginLogin({});
      const callbackUrl = await driveDevLogin(begun.authorizationUrl, { email, name }, undefined, browser);
      return (await c.identity.completeLogin({ callbackUrl, state: begun.state })).tokens!;
    };
    const verify = await verifierFor(c);
    const first = await verify((await complete('Returning')).accessToken);
    // Same jar: the provider's session skips the form, so the new name is never submitted.
    const second = await verify((await complete('Never Typed')).accessToken);
    expect(second.sub).toBe(first.sub);
    expect((await findByEmail(email))[0]?.name).toBe('Returning');
  });

  it('creates exactly one customer when five first logins of the same person complete concurrently', async () => {
    const email = anEmail('race');
    const callbacks = await Promise.all(
      [1, 2, 3, 4, 5].map(async (i) => {
        const begun = await c.identity.beginLogin({});
        return {
          state: begun.state,
          callbackUrl: await driveDevLogin(begun.authorizationUrl, { email, name: `Racer ${i}` }),
        };
      }),
    );
    const results = await Promise.all(callbacks.map((cb) => c.identity.completeLogin(cb)));
    const verify = await verifierFor(c);
    const subjects = new Set(await Promise.all(results.map(async (r) => (await verify(r.tokens!.accessToken)).sub)));
    expect(subjects.size).toBe(1);
    expect(await findByEmail(email)).toHaveLength(1);
  });

  it('refuses a replayed, unknown or mismatched state', async () => {
    const begun = await c.identity.beginLogin({});
    const callbackUrl = await driveDevLogin(begun.authorizationUrl, { email: anEmail(), name: 'Replay' });
    await c.identity.completeLogin({ callbackUrl, state: begun.state });

    await expect(c.identity.completeLogin({ callbackUrl, state: begun.state })).rejects.toMatchObject({
      code: Code.FailedPrecondition,
    });
    await expect(c.identity.completeLogin({ callbackUrl, state: 'never-issued' })).rejects.toMatchObject({
      code: Code.FailedPrecondition,
    });
    await expect(c.identity.completeLogin({ callbackUrl: 'not a url', state: begun.state })).rejects.toMatchObject({
      code: Code.InvalidArgument,
    });

    // A valid attempt presented with another login's callback: state check fails and the attempt is spent.
    const other = await c.identity.beginLogin({});
    const err = await c.identity
      .completeLogin({ callbackUrl, state: other.state })
      .catch((e: unknown) => ConnectError.from(e));
    expect(err).toMatchObject({ code: Code.FailedPrecondition });
  });

  it('refuses a redirect URI that is not allow-listed and accepts the configured one on another loopback port', async () => {
    await expect(c.identity.beginLogin({ redirectUri: 'https://evil.example/callback' })).rejects.toMatchObject({
      code: Code.InvalidArgument,
    });
    const uri = 'http://127.0.0.1:18080/auth/callback';
    const begun = await c.identity.beginLogin({ redirectUri: uri });
    const callbackUrl = await driveDevLogin(begun.authorizationUrl, { email: anEmail(), name: 'Port' }, uri);
    const { tokens } = await c.identity.completeLogin({ callbackUrl, state: begun.state });
    expect(tokens?.accessToken).toBeTruthy();
  });

  it('grants admin to configured emails on login', async () => {
    const tokens = await login(c, { email: ADMIN, name: 'The Boss' });
    const claims = await (await verifierFor(c))(tokens.accessToken);
    expect(claims.roles).toEqual(['customer', 'admin']);
  });
});
