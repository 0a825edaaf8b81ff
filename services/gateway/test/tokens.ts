import { createHmac, createPublicKey, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';

/** A P-256 signing key as customers holds one: private JWK with a kid, and its public half. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  privateJwk: Record<string, unknown>;
  publicJwk: Record<string, unknown>;
}

export function newSigningKey(kid = randomUUID()): SigningKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const { d: _d, ...pub } = jwk;
  return {
    kid,
    privateKey,
    privateJwk: { ...jwk, kid, alg: 'ES256', use: 'sig' },
    publicJwk: { ...pub, kid, alg: 'ES256', use: 'sig' },
  };
}

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Signs a JWT with ES256 (node:crypto only, so tests depend on nothing the gateway uses). */
export function signEs256(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

export interface Claims {
  sub: string;
  email?: string;
  roles?: string[];
}

export interface TokenContext {
  key: SigningKey;
  issuer: string;
  audience: string;
}

/** A valid access token exactly as customers issues them (at+jwt, ES256, kid, iss/aud/exp/iat/jti). */
export function accessToken(
  ctx: TokenContext,
  claims: Claims,
  overrides: { header?: object; payload?: object; key?: KeyObject } = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'ES256', typ: 'at+jwt', kid: ctx.key.kid, ...overrides.header };
  const payload = {
    iss: ctx.issuer,
    aud: ctx.audience,
    sub: claims.sub,
    email: claims.email ?? `${claims.sub}@example.test`,
    roles: claims.roles ?? ['customer'],
    iat: now,
    exp: now + 600,
    jti: randomUUID(),
    ...overrides.payload,
  };
  return signEs256(header, payload, overrides.key ?? ctx.key.privateKey);
}

/** Every way we know to forge or misuse a token; each must be refused with `unauthenticated`. */
export function forgedTokens(ctx: TokenContext, claims: Claims): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  const valid = accessToken(ctx, claims);
  const [h, , s] = valid.split('.');
  const adminPayload = {
    iss: ctx.issuer,
    aud: ctx.audience,
    sub: claims.sub,
    roles: ['admin'],
    iat: now,
    exp: now + 600,
  };
  const publicPem = createPublicKey(ctx.key.privateKey).export({ format: 'pem', type: 'spki' }).toString();
  const hsInput = `${b64({ alg: 'HS256', typ: 'at+jwt', kid: ctx.key.kid })}.${b64(adminPayload)}`;
  const stranger = newSigningKey();
  return {
    'alg none': `${b64({ alg: 'none', typ: 'at+jwt', kid: ctx.key.kid })}.${b64(adminPayload)}.`,
    'HS256 with the public key as secret': `${hsInput}.${createHmac('sha256', publicPem).update(hsInput).digest('base64url')}`,
    'wrong issuer': accessToken(ctx, claims, { payload: { iss: 'https://evil.example' } }),
    'wrong audience': accessToken(ctx, claims, { payload: { aud: 'some-other-api' } }),
    expired: accessToken(ctx, claims, { payload: { iat: now - 3600, exp: now - 1800 } }),
    'tampered payload': `${h}.${b64({ ...adminPayload })}.${s}`,
    'unknown kid': accessToken(ctx, claims, { header: { kid: stranger.kid }, key: stranger.privateKey }),
    'known kid signed by another key': accessToken(ctx, claims, { key: stranger.privateKey }),
    'not an access token (typ JWT)': accessToken(ctx, claims, { header: { typ: 'JWT' } }),
    garbage: 'not.a.jwt',
  };
}
