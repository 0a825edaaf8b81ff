/**
 * The browser session: the gateway's cookie login mode keeps the refresh token in an HttpOnly
 * cookie scoped to /auth, so this page never sees it. Access tokens live in memory only and are
 * renewed through POST /auth/refresh (which also rotates the cookie); one renewal at a time, since
 * a rotated-away refresh token is refused.
 */
export interface AccessToken {
  value: string;
  expiresAt: number;
}

const SAFETY_MS = 30_000;
let current: AccessToken | undefined;
let pending: Promise<AccessToken | undefined> | undefined;

/** Where the sign-in button goes: the OpenID login in cookie mode, landing back on /admin. */
export const SIGN_IN_URL = '/auth/login?mode=cookie';

/** The current access token, renewed when it is about to expire; undefined when not signed in. */
export function accessToken(): Promise<AccessToken | undefined> {
  if (current && current.expiresAt - SAFETY_MS > Date.now()) return Promise.resolve(current);
  pending ??= refresh().finally(() => {
    pending = undefined;
  });
  return pending;
}

async function refresh(): Promise<AccessToken | undefined> {
  const res = await fetch('/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    credentials: 'same-origin',
  });
  // No cookie, or an expired or revoked one: the caller is simply not signed in.
  if (res.status === 400 || res.status === 401 || res.status === 404 || res.status === 412) {
    current = undefined;
    return undefined;
  }
  if (!res.ok) throw new Error(`signing in failed: HTTP ${res.status}`);
  const body = (await res.json()) as { access_token: string; expires_in: number };
  current = { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
  return current;
}

/** Revokes the refresh token and clears its cookie. */
export async function signOut(): Promise<void> {
  current = undefined;
  await fetch('/auth/logout', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    credentials: 'same-origin',
  });
}
