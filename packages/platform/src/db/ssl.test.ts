import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgSsl } from './ssl.js';

describe('pgSsl', () => {
  const ca = join(mkdtempSync(join(tmpdir(), 'pg-ca-')), 'ca.crt');
  writeFileSync(ca, 'CA BUNDLE');
  const url = (q: string) => `postgresql://u:p@db.example:5432/ordersystem${q}`;

  it('says nothing without TLS parameters', () => {
    expect(pgSsl(url(''))).toBeUndefined();
  });

  it('verifies chain and host name against the mounted bundle for verify-full', () => {
    const ssl = pgSsl(url(`?sslmode=verify-full&sslrootcert=${ca}`));
    expect(ssl).toEqual({ ca: 'CA BUNDLE' });
  });

  it('verifies the chain but not the host name for verify-ca', () => {
    const ssl = pgSsl(url(`?sslmode=verify-ca&sslrootcert=${ca}`));
    expect(ssl).toMatchObject({ ca: 'CA BUNDLE' });
    expect(ssl && ssl.checkServerIdentity?.('other.example', {} as never)).toBeUndefined();
  });

  it('encrypts without verifying for require, and not at all for disable', () => {
    expect(pgSsl(url('?sslmode=require'))).toEqual({ rejectUnauthorized: false });
    expect(pgSsl(url('?sslmode=disable'))).toBe(false);
  });

  it('fails when the bundle is missing rather than connecting unverified', () => {
    expect(() => pgSsl(url('?sslmode=verify-full&sslrootcert=/nonexistent/ca.crt'))).toThrow(/ENOENT/);
  });
});
