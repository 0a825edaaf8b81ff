import { createPublicKey } from 'node:crypto';
import { type JWK, SignJWT, base64url } from 'jose';
import { createAccessTokenSigner } from './access-token';
import { createKeyRing, generateSigningJwk, parseSigningKeys } from './signing-keys';
import { createAccessTokenVerifier } from './verifier';

const issuer = 'http://127.0.0.1:8080';
const audience = 'ordersystem';
const claims = {
  sub: '6f1c2a4e-0000-4000-8000-000000000001',
  email: 'amina@example.test',
  roles: ['customer' as const],
};

describe('access tokens', () => {
  let key: JWK;
  let signer: ReturnType<typeof createAccessTokenSigner>;
  let verify: ReturnType<typeof createAccessTokenVerifier>;

  beforeAll(async () => {
    key = await generateSigningJwk();
    signer = createAccessTokenSigner(await createKeyRing([key]), { issuer, audience, ttlSeconds: 900 });
    verify = createAccessTokenVerifier({
      jwks: signer.publicJwks() as never,
      issuer,
      audience,
      maxTokenAgeSeconds: 3600,
    });
  });

  const rejected = { kind: 'unauthenticated' };
  const parts = (token: string) => token.split('.') as [string, string, string];
  const encode = (value: object) => base64url.encode(JSON.stringify(value));

  it('carries iss, aud, sub, email, roles, iat, exp (15 min), jti and the kid', async () => {
    const token = await signer.sign(claims);
    const header = JSON.parse(Buffer.from(parts(token)[0], 'base64url').toString());
    expect(header).toEqual({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' });
    const verified = await verify(token);
    expect(verified).toMatchObject(claims);
    expect(verified.exp - verified.iat).toBe(900);
    expect(verified.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('publishes no private key material', () => {
    expect(signer.publicJwks().keys.every((k) => !('d' in k))).toBe(true);
  });

  it('rejects alg none', async () => {
    const [, payload] = parts(await signer.sign(claims));
    await expect(verify(`${encode({ alg: 'none', typ: 'at+jwt', kid: key.kid })}.${payload}.`)).rejects.toMatchObject(
      rejected,
    );
  });

  it('rejects HS256 signed with the public key as the secret', async () => {
    const publicPem = createPublicKey({ key: { ...signer.publicJwks().keys[0] }, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    for (const secret of [Buffer.from(publicPem), Buffer.from(JSON.stringify(signer.publicJwks().keys[0]))]) {
      const forged = await new SignJWT({ email: claims.email, roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256', kid: key.kid!, typ: 'at+jwt' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(claims.sub)
        .setIssuedAt()
        .setExpirationTime('5m')
        .setJti('x')
        .sign(new Uint8Array(secret));
      await expect(verify(forged)).rejects.toMatchObject(rejected);
    }
  });

  it('rejects a wrong issuer or audience', async () => {
    const ring = await createKeyRing([key]);
    const wrongIss = createAccessTokenSigner(ring, { issuer: 'https://evil.example', audience, ttlSeconds: 60 });
    const wrongAud = createAccessTokenSigner(ring, { issuer, audience: 'someone-else', ttlSeconds: 60 });
    await expect(verify(await wrongIss.sign(claims))).rejects.toMatchObject(rejected);
    await expect(verify(await wrongAud.sign(claims))).rejects.toMatchObject(rejected);
  });

  it('rejects an expired token, and accepts it just before expiry', async () => {
    const token = await signer.sign(claims);
    const { exp } = await verify(token);
    const at = (seconds: number) =>
      createAccessTokenVerifier({
        jwks: signer.publicJwks() as never,
        issuer,
        audience,
        maxTokenAgeSeconds: 3600,
        currentDate: new Date(seconds * 1000),
      });
    await expect(at(exp - 1)(token)).resolves.toMatchObject({ sub: claims.sub });
    await expect(at(exp)(token)).rejects.toMatchObject(rejected);
  });

  it('rejects a tampered payload', async () => {
    const [header, payload, signature] = parts(await signer.sign(claims));
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString());
    await expect(
      verify(`${header}.${encode({ ...body, roles: ['customer', 'admin'] })}.${signature}`),
    ).rejects.toMatchObject(rejected);
  });

  it('rejects a token whose kid is unknown, or a known kid with a foreign key', async () => {
    const stranger = await generateSigningJwk();
    const unknownKid = createAccessTokenSigner(await createKeyRing([stranger]), { issuer, audience, ttlSeconds: 60 });
    await expect(verify(await unknownKid.sign(claims))).rejects.toMatchObject(rejected);
    const impostor = createAccessTokenSigner(await createKeyRing([{ ...stranger, kid: key.kid! }]), {
      issuer,
      audience,
      ttlSeconds: 60,
    });
    await expect(verify(await impostor.sign(claims))).rejects.toMatchObject(rejected);
  });

  it('verifies tokens of the old and the new key during a rotation', async () => {
    const next = await generateSigningJwk();
    const rotated = createAccessTokenSigner(await createKeyRing([next, key]), { issuer, audience, ttlSeconds: 900 });
    const verifyRotated = createAccessTokenVerifier({
      jwks: rotated.publicJwks() as never,
      issuer,
      audience,
      maxTokenAgeSeconds: 3600,
    });
    const oldToken = await signer.sign(claims);
    const newToken = await rotated.sign(claims);
    expect(JSON.parse(Buffer.from(parts(newToken)[0], 'base64url').toString()).kid).toBe(next.kid);
    await expect(verifyRotated(oldToken)).resolves.toMatchObject({ sub: claims.sub });
    await expect(verifyRotated(newToken)).resolves.toMatchObject({ sub: claims.sub });
    // The old verifier, not yet updated, does not know the new kid.
    await expect(verify(newToken)).rejects.toMatchObject(rejected);
  });

  it('parses JWT_SIGNING_KEYS and names what is wrong without echoing key material', async () => {
    expect(parseSigningKeys(JSON.stringify({ keys: [key] }))[0]?.kid).toBe(key.kid);
    expect(() => parseSigningKeys('{')).toThrow(/not valid JSON/);
    expect(() => parseSigningKeys(JSON.stringify({ keys: [{ ...key, d: undefined }] }))).toThrow(
      /keys\[0\] must be a private EC P-256 key/,
    );
    expect(() => parseSigningKeys(JSON.stringify({ keys: [key, key] }))).toThrow(/duplicate kids/);
  });
});
