import { AppError } from '@ordersystem/platform';
import { accessToken, forgedTokens, newSigningKey } from '../../test/tokens';
import { JwksCache } from './jwks-cache';
import { createTokenVerifier } from './token-verifier';

const key = newSigningKey();
const ctx = { key, issuer: 'https://issuer.test', audience: 'ordersystem' };

function verifierWith(
  fetch: () => Promise<{ keys: object[] }>,
  options: { refetchMinMs?: number; now?: () => number } = {},
) {
  const jwks = new JwksCache({
    fetch: fetch as never,
    ttlMs: 60_000,
    refetchMinMs: options.refetchMinMs ?? 0,
    onRefreshError: () => undefined,
    now: options.now,
  });
  return createTokenVerifier({ getKey: jwks.getKey, issuer: ctx.issuer, audience: ctx.audience });
}

const kindOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (err: unknown) => (err instanceof AppError ? err.kind : String(err)),
  );

describe('token verification', () => {
  const verify = verifierWith(async () => ({ keys: [key.publicJwk] }));

  it('accepts a token as customers issues it and maps sub, email and roles', async () => {
    const identity = await verify(
      accessToken(ctx, { sub: 'c-1', email: 'a@example.test', roles: ['customer', 'admin'] }),
    );
    expect(identity).toEqual({ customerId: 'c-1', email: 'a@example.test', roles: ['customer', 'admin'] });
  });

  it.each(Object.entries(forgedTokens(ctx, { sub: 'c-1' })))('refuses %s as unauthenticated', async (_name, token) => {
    expect(await kindOf(verify(token))).toBe('unauthenticated');
  });

  it('reports unreachable keys as unavailable, not as a bad token', async () => {
    const down = verifierWith(async () => Promise.reject(new Error('connect ECONNREFUSED')));
    expect(await kindOf(down(accessToken(ctx, { sub: 'c-1' })))).toBe('unavailable');
  });
});

describe('signing key cache', () => {
  it('refetches once when a token names a kid it does not know (key rotation)', async () => {
    const rotated = newSigningKey();
    let keys = [key.publicJwk];
    const fetch = jest.fn(async () => ({ keys }));
    const verify = verifierWith(fetch);
    await verify(accessToken(ctx, { sub: 'c-1' }));
    keys = [key.publicJwk, rotated.publicJwk];
    await verify(accessToken({ ...ctx, key: rotated }, { sub: 'c-1' }));
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('does not refetch for unknown kids more often than the configured minimum gap', async () => {
    let now = 1_000_000;
    const fetch = jest.fn(async () => ({ keys: [key.publicJwk] }));
    const verify = verifierWith(fetch, { refetchMinMs: 10_000, now: () => now });
    const stranger = newSigningKey();
    for (let i = 0; i < 5; i++) await kindOf(verify(accessToken({ ...ctx, key: stranger }, { sub: 'c-1' })));
    expect(fetch).toHaveBeenCalledTimes(1);
    now += 10_001;
    await kindOf(verify(accessToken({ ...ctx, key: stranger }, { sub: 'c-1' })));
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('keeps using the cached keys when a routine refresh fails, and reports the failure', async () => {
    let now = 0;
    let up = true;
    const onRefreshError = jest.fn();
    const jwks = new JwksCache({
      fetch: async () => (up ? { keys: [key.publicJwk as never] } : Promise.reject(new Error('down'))),
      ttlMs: 1_000,
      refetchMinMs: 0,
      onRefreshError,
      now: () => now,
    });
    const verify = createTokenVerifier({ getKey: jwks.getKey, issuer: ctx.issuer, audience: ctx.audience });
    await verify(accessToken(ctx, { sub: 'c-1' }));
    up = false;
    now += 5_000;
    expect((await verify(accessToken(ctx, { sub: 'c-1' }))).customerId).toBe('c-1');
    expect(onRefreshError).toHaveBeenCalledWith(new Error('down'));
  });
});
