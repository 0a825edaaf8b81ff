/** The token pair the gateway's /auth/callback answers in JSON mode. */
export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

/**
 * Logs in through the gateway's /auth/login and the development OpenID provider, headless: every redirect is followed by hand with a cookie
 * jar per origin, the provider's login form is posted like a browser would, and the gateway's
 * /auth/callback answers the tokens as JSON.
 */
export async function devLogin(gatewayUrl: string, email: string, name: string): Promise<Tokens> {
  const jar = new CookieJar();
  let url = `${gatewayUrl}/auth/login`;
  let init: RequestInit = { method: 'GET' };
  for (let hop = 0; hop < 15; hop++) {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header(url) },
    });
    jar.store(url, res.headers.getSetCookie());
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).toString();
      init = { method: 'GET' };
      continue;
    }
    const body = await res.text();
    if (!res.ok) throw new Error(`login failed at ${new URL(url).pathname}: ${res.status} ${body.slice(0, 300)}`);
    if (url.startsWith(`${gatewayUrl}/auth/callback`)) return JSON.parse(body) as Tokens;
    const action = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(body)?.[1];
    if (!action) throw new Error(`login: unexpected page at ${url}: ${body.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, '&'), url).toString();
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, name }).toString(),
    };
  }
  throw new Error('login: too many redirects');
}

/** Cookies per origin (enough for a loopback login: names are unique per server, paths ignored). */
class CookieJar {
  private readonly byOrigin = new Map<string, Map<string, string>>();

  store(url: string, setCookies: string[]): void {
    const origin = new URL(url).origin;
    const jar = this.byOrigin.get(origin) ?? new Map<string, string>();
    for (const line of setCookies) {
      const [pair = '', ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      if (i <= 0) continue;
      const name = pair.slice(0, i).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || pair.slice(i + 1).trim() === '';
      if (expired) jar.delete(name);
      else jar.set(name, pair.slice(i + 1).trim());
    }
    this.byOrigin.set(origin, jar);
  }

  header(url: string): string {
    const jar = this.byOrigin.get(new URL(url).origin);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }
}
