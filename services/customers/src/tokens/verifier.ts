import { AppError } from '@ordersystem/platform/errors';
import { type JSONWebKeySet, createLocalJWKSet, jwtVerify } from 'jose';
import type { AccessTokenClaims } from '../app/ports.js';
import { ACCESS_TOKEN_ALG } from './signing-keys.js';
import { ACCESS_TOKEN_TYP } from './access-token.js';

export interface VerifierOptions {
  jwks: JSONWebKeySet;
  issuer: string;
  audience: string;
  /** Rejects tokens issued longer ago than this, whatever their exp says. */
  maxTokenAgeSeconds: number;
  /** For tests: the time to verify at. */
  currentDate?: Date;
}

export interface VerifiedAccessToken extends AccessTokenClaims {
  jti: string;
  iat: number;
  exp: number;
}

/**
 * Verifies access tokens against a JWK set: ES256 only (so `none` and HS256-with-the-public-key
 * are refused before any signature check), the kid must be in the set, and iss, aud, exp, iat and
 * typ must match. Any failure is `unauthenticated` with no detail about which check failed.
 */
export function createAccessTokenVerifier(options: VerifierOptions) {
  const keys = createLocalJWKSet(options.jwks);
  return async function verify(token: string): Promise<VerifiedAccessToken> {
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: [ACCESS_TOKEN_ALG],
        issuer: options.issuer,
        audience: options.audience,
        typ: ACCESS_TOKEN_TYP,
        maxTokenAge: options.maxTokenAgeSeconds,
        requiredClaims: ['sub', 'iat', 'exp', 'jti'],
        ...(options.currentDate ? { currentDate: options.currentDate } : {}),
      });
      const roles = payload.roles;
      if (!Array.isArray(roles) || !roles.every((r) => r === 'customer' || r === 'admin')) throw new Error('bad roles');
      if (typeof payload.email !== 'string') throw new Error('bad email');
      return {
        sub: payload.sub!,
        email: payload.email,
        roles,
        jti: payload.jti!,
        iat: payload.iat!,
        exp: payload.exp!,
      };
    } catch (cause) {
      throw new AppError('unauthenticated', 'invalid access token', [], { cause });
    }
  };
}
