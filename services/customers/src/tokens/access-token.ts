import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AccessTokenClaims, AccessTokenSigner, Clock } from '../app/ports.js';
import { ACCESS_TOKEN_ALG, type KeyRing } from './signing-keys.js';

/** RFC 9068 type, so an access token can never be mistaken for an ID token or another JWT. */
export const ACCESS_TOKEN_TYP = 'at+jwt';

export interface SignerOptions {
  issuer: string;
  audience: string;
  ttlSeconds: number;
  clock?: Clock;
}

/** Signs access tokens with the ring's active key: iss, aud, sub, email, roles, iat, exp, jti, and kid in the header. */
export function createAccessTokenSigner(ring: KeyRing, options: SignerOptions): AccessTokenSigner {
  const clock = options.clock ?? (() => new Date());
  return {
    async sign(claims: AccessTokenClaims) {
      const now = Math.floor(clock().getTime() / 1000);
      return new SignJWT({ email: claims.email, roles: claims.roles })
        .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid: ring.signer.kid, typ: ACCESS_TOKEN_TYP })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(claims.sub)
        .setIssuedAt(now)
        .setExpirationTime(now + options.ttlSeconds)
        .setJti(randomUUID())
        .sign(ring.signer.key);
    },
    publicJwks: () => ring.publicJwks,
  };
}
