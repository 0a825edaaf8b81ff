import { AppError } from '@ordersystem/platform';
import { accessToken, forgedTokens, newSigningKey } from '../../test/tokens';
import { JwksCache } from './jwks-cache';
import { createTokenVerifier } from './token-verifier';
import { cacheVerifiedTokens } from './verified-token-cache';

const key = newSigningKey();
const ctx = { key, issuer: 'https://issuer.test', audience: 'ordersystem' };

/** A real ES256 verifier whose key fetches are counted: each verification asks for the key once. */
function counted(now: () => number, maxEntries = 100) {
  const jwks = new JwksCache({
    fetch: async () => ({ keys: [key.publicJwk] }) as never,
    ttlMs: 60_000,
    refetchMinMs: 0,
    onRefreshError: () => undefined,
  });
  let verifications = 0;
  const inner = createTokenVerifier({
    getKey: (...args) => (verifications++, jwks.getKey(...args)),
    issuer: ctx.issuer,
    audience: ctx.audience,
  });
  return { verify: cacheVerifiedTokens(inner, { maxEntries, now }), verifications: () => verifications };
}

const kindOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (err: unknown) => (err instanceof AppError ? err.kind : String(err)),
  );

describe('verified token cache', () => {
  it('verifies a token once and answers its repeats from memory with the same identity', async () => {
    const v = counted(() => Date.now());
    const token = accessToken(ctx, { sub: 'c-1', roles: ['customer'] });
    const first = await v.verify(token);
    expect(await v.verify(token)).toEqual(first);
    expect(await v.verify(token)).toEqual(first);
    expect(v.verifications()).toBe(1);
  });

  it('verifies again once the token has expired, and then refuses it', async () => {
    let clock = Date.now();
    const v = counted(() => clock);
    const exp = Math.floor(clock / 1000) + 60;
    const token = accessToken(ctx, { sub: 'c-1' }, { payload: { exp } });
    await v.verify(token);
    clock = exp * 1000 + 1;
    // jose checks exp against the real clock, so the token is still fine for it: a second verification.
    await v.verify(token);
    expect(v.verifications()).toBe(2);
  });

  it('never remembers a refused token', async () => {
    const v = counted(() => Date.now());
    for (const token of Object.values(forgedTokens(ctx, { sub: 'c-1' }))) {
      expect(await kindOf(v.verify(token))).toBe('unauthenticated');
      expect(await kindOf(v.verify(token))).toBe('unauthenticated');
    }
  });

  it('keeps at most maxEntries tokens, dropping the oldest', async () => {
    const v = counted(() => Date.now(), 2);
    const [a, b, c] = ['a', 'b', 'c'].map((sub) => accessToken(ctx, { sub }));
    for (const t of [a!, b!, c!]) await v.verify(t);
    expect(v.verifications()).toBe(3);
    await v.verify(c!);
    await v.verify(b!);
    expect(v.verifications()).toBe(3);
    await v.verify(a!);
    expect(v.verifications()).toBe(4);
  });
});
