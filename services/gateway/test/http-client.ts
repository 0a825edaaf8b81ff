import { ADMIN_EMAIL, CALLBACK_URL } from './stack';

/** What an external client sees of one call: status, headers and the parsed JSON body. */
export interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  /** Connect error code, or "ok". */
  code: string;
}

const json = async (res: Response): Promise<Record<string, unknown>> => {
  const text = await res.text();
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return { text };
  }
};

async function reply(res: Response): Promise<Reply> {
  const body = await json(res);
  return { status: res.status, headers: res.headers, body, code: res.ok ? 'ok' : String(body.code ?? res.status) };
}

export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
}

const authHeaders = (o: CallOptions) => ({ ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...o.headers });

/** A Connect unary call the way curl or fetch makes it: POST, JSON body, no generated client. */
export async function post(base: string, path: string, message: unknown = {}, o: CallOptions = {}): Promise<Reply> {
  const res = await fetch(`${base}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(o) },
    body: JSON.stringify(message),
  });
  return reply(res);
}

/** The Connect GET form of a side-effect-free call (what HTTP caches see). */
export async function get(base: string, path: string, message: unknown = {}, o: CallOptions = {}): Promise<Reply> {
  const query = new URLSearchParams({ connect: 'v1', encoding: 'json', message: JSON.stringify(message) });
  return reply(await fetch(`${base}/${path}?${query}`, { headers: authHeaders(o) }));
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

/**
 * A headless browser login through the gateway and customers' development OpenID provider:
 * /auth/login → provider → login form → provider redirect to the callback URL, whose query is
 * handed to the gateway's /auth/callback together with the gateway's login cookie.
 */
export async function login(base: string, email: string, name?: string): Promise<Tokens>;
/** Browser mode: returns the gateway's callback response (a redirect carrying the refresh cookie). */
export async function login(base: string, email: string, name: string, mode: 'cookie'): Promise<Response>;
export async function login(
  base: string,
  email: string,
  name = 'Test User',
  mode?: 'cookie',
): Promise<Tokens | Response> {
  const start = await fetch(`${base}/auth/login${mode ? '?mode=cookie' : ''}`, { redirect: 'manual' });
  if (start.status !== 302) throw new Error(`/auth/login answered ${start.status}`);
  const gatewayCookie = start.headers.getSetCookie()[0]!.split(';')[0]!;
  const jar = new Map<string, string>();
  let url = start.headers.get('location')!;
  let form: URLSearchParams | undefined;
  for (let hop = 0; hop < 12 && !url.startsWith(CALLBACK_URL); hop++) {
    const res = await fetch(url, {
      redirect: 'manual',
      method: form ? 'POST' : 'GET',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    form = undefined;
    const html = await res.text();
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
    } else {
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (res.status !== 200 || !action) throw new Error(`login stuck at ${url}: ${res.status} ${html.slice(0, 200)}`);
      url = new URL(action.replace(/&amp;/g, '&'), url).href;
      form = new URLSearchParams({ email, name });
    }
  }
  const callback = new URL(url);
  const res = await fetch(`${base}/auth/callback${callback.search}`, {
    headers: { cookie: gatewayCookie },
    redirect: 'manual',
  });
  if (mode) return res;
  if (res.status !== 200) throw new Error(`/auth/callback answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Tokens;
}

export const loginAdmin = (base: string) => login(base, ADMIN_EMAIL, 'Admin');
