import type { Interceptor } from '@connectrpc/connect';

/** The caller's access token, read before every call (so a refreshed token is used at once); undefined: anonymous. */
export type TokenSource = string | undefined | (() => string | undefined | Promise<string | undefined>);

/**
 * Sends `Authorization: Bearer <token>` on every call that has a token. Public operations work
 * without one, but a token that is sent must be valid: the gateway refuses an expired one with
 * `unauthenticated` rather than serving the call anonymously.
 */
export function bearerToken(source: TokenSource): Interceptor {
  return (next) => async (req) => {
    const token = typeof source === 'function' ? await source() : source;
    if (token) req.header.set('authorization', `Bearer ${token}`);
    return next(req);
  };
}
