import { createHash } from 'node:crypto';

/** RFC 7636 S256 code challenge of a verifier. */
export async function pkceChallenge(verifier: string): Promise<string> {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
