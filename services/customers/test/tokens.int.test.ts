import { Code } from '@connectrpc/connect';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createAccessTokenSigner } from '../src/tokens/access-token';
import { createKeyRing, generateSigningJwk } from '../src/tokens/signing-keys';
import {
  type Clients,
  type Running,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  anEmail,
  clients,
  login,
  startCustomers,
  verifierFor,
} from './fixtures';

jest.setTimeout(60_000);

describe('refresh tokens', () => {
  let running: Running;
  let c: Clients;

  beforeAll(async () => {
    running = await startCustomers();
    c = clients(running.svc.port);
  });
  afterAll(() => running?.stop());

  it('rotates on every use: the new pair works, the old refresh token is spent', async () => {
    const first = await login(c, { email: anEmail(), name: 'Rotating' });
    const { tokens: second } = await c.identity.refreshTokens({ refreshToken: first.refreshToken });
    expect(second!.refreshToken).not.toBe(first.refreshToken);
    expect(second!.refreshToken).toMatch(/^[\w-]{43}$/);
    const verify = await verifierFor(c);
    expect((await verify(second!.accessToken)).sub).toBe((await verify(first.accessToken)).sub);
    const { tokens: third } = await c.identity.refreshTokens({ refreshToken: second!.refreshToken });
    expect(third!.accessToken).toBeTruthy();
  });

  it('revokes the whole family when a used refresh token is presented again', async () => {
    const first = await login(c, { email: anEmail(), name: 'Victim' });
    const { tokens: second } = await c.identity.refreshTokens({ refreshToken: first.refreshToken });

    // The thief replays the stolen, already used token: refused, and the legitimate newer token dies too.
    await expect(c.identity.refreshTokens({ refreshToken: first.refreshToken })).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
    await expect(c.identity.refreshTokens({ refreshToken: second!.refreshToken })).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
  });

  it('lets only one of two concurrent uses of the same token win', async () => {
    const first = await login(c, { email: anEmail(), name: 'Twice' });
    const results = await Promise.allSettled([
      c.identity.refreshTokens({ refreshToken: first.refreshToken }),
      c.identity.refreshTokens({ refreshToken: first.refreshToken }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: Code.Unauthenticated } });
  });

  it('logout revokes the family, is idempotent, and ignores unknown tokens', async () => {
    const first = await login(c, { email: anEmail(), name: 'Leaving' });
    const { tokens: second } = await c.identity.refreshTokens({ refreshToken: first.refreshToken });
    await c.identity.logout({ refreshToken: first.refreshToken });
    await c.identity.logout({ refreshToken: first.refreshToken });
    await c.identity.logout({ refreshToken: 'never-issued' });
    await expect(c.identity.refreshTokens({ refreshToken: second!.refreshToken })).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
  });

  it('refuses unknown and empty refresh tokens', async () => {
    await expect(c.identity.refreshTokens({ refreshToken: 'x'.repeat(43) })).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
    await expect(c.identity.refreshTokens({ refreshToken: '' })).rejects.toMatchObject({ code: Code.Unauthenticated });
  });
});

describe('configured keys, rotation and expiry', () => {
  let running: Running;
  let c: Clients;
  let oldSigner: ReturnType<typeof createAccessTokenSigner>;
  let newKid: string;

  beforeAll(async () => {
    const [newKey, oldKey] = await Promise.all([generateSigningJwk(), generateSigningJwk()]);
    newKid = newKey.kid!;
    oldSigner = createAccessTokenSigner(await createKeyRing([oldKey]), {
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      ttlSeconds: 900,
    });
    // Mid-rotation: the new key signs, the old one still verifies.
    running = await startCustomers({
      JWT_SIGNING_KEYS: JSON.stringify({ keys: [newKey, oldKey] }),
      ACCESS_TOKEN_TTL: '1',
      REFRESH_TOKEN_TTL: '1',
    });
    c = clients(running.svc.port);
  });
  afterAll(() => running?.stop());

  it('publishes only public keys, signs with the new key, and still verifies tokens of the old one', async () => {
    const { jwksJson } = await c.identity.getJwks({});
    const jwks = JSON.parse(jwksJson) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(2);
    expect(jwks.keys.every((k) => k.d === undefined && k.alg === 'ES256')).toBe(true);

    const issued = await login(c, { email: anEmail(), name: 'Rotated' });
    expect(decodeProtectedHeader(issued.accessToken).kid).toBe(newKid);
    // Checked at its issue time: its 1 s lifetime (for the next test) can run out on a busy machine before we verify.
    const issuedAt = new Date(decodeJwt(issued.accessToken).iat! * 1000);
    const sub = (await (await verifierFor(c, { currentDate: issuedAt }))(issued.accessToken)).sub;
    const legacy = await oldSigner.sign({ sub, email: 'old@example.test', roles: ['customer'] });
    await expect((await verifierFor(c))(legacy)).resolves.toMatchObject({ sub });
  });

  it('lets neither access nor refresh tokens outlive their lifetime', async () => {
    const issued = await login(c, { email: anEmail(), name: 'Brief' });
    const refreshExpiry = Date.now() + 1000;
    const verify = await verifierFor(c);
    const { exp } = await verify(issued.accessToken);
    // Both lifetimes are 1 s: wait just past the later of the two expiries.
    await new Promise((resolve) => setTimeout(resolve, Math.max(exp * 1000, refreshExpiry) - Date.now() + 50));
    await expect(verify(issued.accessToken)).rejects.toMatchObject({ kind: 'unauthenticated' });
    await expect(c.identity.refreshTokens({ refreshToken: issued.refreshToken })).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
  });
});
