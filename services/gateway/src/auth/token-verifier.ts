import { type Identity, type Role, unauthenticated, unavailable } from '@ordersystem/platform';
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

export interface TokenVerifierOptions {
  getKey: JWTVerifyGetKey;
  issuer: string;
  audience: string;
}

/** Checks a bearer access token and returns who it names. */
export type TokenVerifier = (token: string) => Promise<Identity>;

/**
 * Verifies signature (ES256 only: `none`, HS256-with-the-public-key and every other algorithm are
 * refused before any key is used), issuer, audience, expiry and the RFC 9068 `at+jwt` type (so an
 * ID token or any other JWT signed by the same key is not accepted as an access token). Any token problem is
 * `unauthenticated` with one generic message, so the response never tells a forger which check
 * failed; only a failure to obtain the keys at all is `unavailable`.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, options.getKey, {
        algorithms: ['ES256'],
        issuer: options.issuer,
        audience: options.audience,
        typ: 'at+jwt',
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (err) {
      if (err instanceof errors.JOSEError || err instanceof TypeError)
        throw unauthenticated('invalid or expired access token');
      throw unavailable('signing keys unavailable', err);
    }
    return identityOf(payload);
  };
}

/** Maps the claims customers puts in its access tokens (sub, email, roles) to an Identity. */
export function identityOf(payload: JWTPayload): Identity {
  const raw = payload.roles ?? payload.role ?? [];
  const list = Array.isArray(raw) ? raw : String(raw).split(/[\s,]+/);
  const roles = [
    ...new Set(
      list.map((r) =>
        String(r)
          .toLowerCase()
          .replace(/^role_/, ''),
      ),
    ),
  ].filter((r): r is Role => r === 'customer' || r === 'admin');
  const email = typeof payload.email === 'string' ? payload.email : '';
  // Header values must be single-line; a verified token is trusted, but never to break framing.
  if (/[\r\n]/.test(payload.sub! + email)) throw unauthenticated('invalid or expired access token');
  return { customerId: payload.sub!, email, roles };
}
