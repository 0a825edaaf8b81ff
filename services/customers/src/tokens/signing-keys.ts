import { type CryptoKey, type JWK, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';

export const ACCESS_TOKEN_ALG = 'ES256';

/** The keys of a rotation: one signs, all of them (public parts) verify. */
export interface KeyRing {
  signer: { kid: string; key: CryptoKey };
  publicJwks: { keys: JWK[] };
}

/** A fresh P-256 private key as a JWK whose kid is its RFC 7638 thumbprint. */
export async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: ACCESS_TOKEN_ALG, use: 'sig' };
}

/**
 * Parses JWT_SIGNING_KEYS: a JWK set of private P-256 keys, first = active signer. Throws a
 * message naming the problem (never the key material).
 */
export function parseSigningKeys(json: string): JWK[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('JWT_SIGNING_KEYS is not valid JSON');
  }
  const keys = (parsed as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0)
    throw new Error('JWT_SIGNING_KEYS must be a JWK set with at least one key');
  keys.forEach((key: JWK, i) => {
    if (key?.kty !== 'EC' || key.crv !== 'P-256' || !key.d || !key.kid) {
      throw new Error(`JWT_SIGNING_KEYS.keys[${i}] must be a private EC P-256 key with a kid`);
    }
  });
  const kids = new Set(keys.map((k: JWK) => k.kid));
  if (kids.size !== keys.length) throw new Error('JWT_SIGNING_KEYS has duplicate kids');
  return keys as JWK[];
}

/** Builds the ring from private JWKs (first = signer); the published set holds public parts only. */
export async function createKeyRing(privateJwks: readonly JWK[]): Promise<KeyRing> {
  const [first] = privateJwks;
  if (!first?.kid) throw new Error('a key ring needs at least one key with a kid');
  const key = (await importJWK({ ...first, alg: ACCESS_TOKEN_ALG }, ACCESS_TOKEN_ALG)) as CryptoKey;
  const publicJwks = privateJwks.map(({ kty, crv, x, y, kid }) => ({
    kty,
    crv,
    x,
    y,
    kid,
    alg: ACCESS_TOKEN_ALG,
    use: 'sig',
  }));
  return { signer: { kid: first.kid, key }, publicJwks: { keys: publicJwks } };
}
