import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';

/**
 * The TLS settings a DATABASE_URL asks for, libpq's way: sslmode (disable, prefer/require: encrypt
 * without verifying, verify-ca: the chain only, verify-full: chain and host name) and sslrootcert
 * (the CA bundle the chart mounts for a managed database). MikroORM builds its pool from the URL's
 * host, port and credentials only and drops these parameters, so they are passed to pg explicitly.
 * Returns undefined when the URL says nothing about TLS.
 */
export function pgSsl(url: string): false | ConnectionOptions | undefined {
  const params = new URL(url).searchParams;
  const mode = params.get('sslmode');
  const rootCert = params.get('sslrootcert');
  if (!mode && !rootCert) return undefined;
  const ca = rootCert ? readFileSync(rootCert, 'utf8') : undefined;
  switch (mode ?? 'verify-full') {
    case 'disable':
      return false;
    case 'allow':
    case 'prefer':
    case 'require':
      // libpq: with a root certificate, require behaves as verify-ca.
      return ca ? { ca, checkServerIdentity: () => undefined } : { rejectUnauthorized: false };
    case 'verify-ca':
      return { ca, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ca };
    default:
      throw new Error(`DATABASE_URL: unknown sslmode ${mode}`);
  }
}
