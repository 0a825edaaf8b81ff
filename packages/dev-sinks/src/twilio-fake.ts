import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { escapeHtml, listen, portOf, readBody, sendJson } from './http-util.js';

/** What the next requests to the Messages API should suffer instead of succeeding. */
export type TwilioFailure =
  | { kind: 'status'; status: 500 | 502 | 503 }
  | { kind: 'hang' }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  /** Twilio's permanent errors, e.g. 21211 (invalid 'To') or 21614 (not a mobile number). */
  | { kind: 'permanent'; code: number };

/** One message the fake accepted, as Twilio would describe it. */
export interface TwilioMessage {
  sid: string;
  account_sid: string;
  to: string;
  from: string;
  body: string;
  status: 'queued';
  date_created: string;
  num_segments: string;
  /** The `I-Twilio-Idempotency-Token` request header, when the client sent one. */
  idempotency_token: string | null;
}

export interface TwilioFake {
  port: number;
  url: string;
  messages: TwilioMessage[];
  /** Requests that reached the Messages API, including the failed ones. */
  requestCount: () => number;
  /** The next `times` Messages API requests fail as described. */
  failNext(failure: TwilioFailure, times?: number): void;
  /** Drops the failures not yet used up (the provider is back). */
  clearFailures(): void;
  reset(): void;
  close(): Promise<void>;
}

const PERMANENT_MESSAGES: Record<number, string> = {
  21211: "The 'To' number is not a valid phone number.",
  21614: "'To' number is not a valid mobile number",
  21610: 'Attempt to send to unsubscribed recipient',
};

/**
 * An HTTP server speaking the subset of Twilio's REST API the notifications service uses:
 * `POST /2010-04-01/Accounts/{sid}/Messages.json` (form-encoded, Basic auth), answered like
 * Twilio. Also `GET /messages` (JSON), `GET /` (HTML), `DELETE /messages`, and
 * `POST /control/failures` `{"failure": TwilioFailure, "times": n}` for fault injection
 * (`DELETE /control/failures` clears them). Requests carrying an `I-Twilio-Idempotency-Token`
 * already seen are answered with the original message and not recorded again.
 */
export async function startTwilioFake(options: { port?: number; host?: string } = {}): Promise<TwilioFake> {
  const messages: TwilioMessage[] = [];
  const failures: TwilioFailure[] = [];
  const hanging = new Set<http.ServerResponse>();
  let requests = 0;

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => sendJson(res, 500, { message: String(err) }));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const api = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
    if (api && req.method === 'POST') return createMessage(api[1]!, req, res);
    if (url.pathname === '/messages' && req.method === 'GET') return sendJson(res, 200, messages);
    if (url.pathname === '/messages' && req.method === 'DELETE') return (reset(), sendJson(res, 204, {}));
    if (url.pathname === '/control/failures' && req.method === 'DELETE')
      return ((failures.length = 0), sendJson(res, 204, {}));
    if (url.pathname === '/control/failures' && req.method === 'POST') {
      const { failure, times } = JSON.parse(await readBody(req)) as { failure: TwilioFailure; times?: number };
      failNext(failure, times ?? 1);
      return sendJson(res, 204, {});
    }
    if (url.pathname === '/' && req.method === 'GET') return html(res);
    sendJson(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
  }

  async function createMessage(accountSid: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    requests += 1;
    const form = new URLSearchParams(await readBody(req));
    const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
    if (!auth.startsWith(`${accountSid}:`)) {
      return sendJson(res, 401, {
        code: 20003,
        message: 'Authenticate',
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      });
    }
    const failure = failures.shift();
    if (failure) return fail(failure, res);
    const to = form.get('To') ?? '';
    const body = form.get('Body') ?? '';
    if (!to || !body) return sendJson(res, 400, twilioError(21604, "A 'To' phone number is required."));
    const token = (req.headers['i-twilio-idempotency-token'] as string | undefined) ?? null;
    // A retried request with a known token gets the original message back and sends nothing.
    const original = token ? messages.find((m) => m.idempotency_token === token) : undefined;
    if (original) return sendJson(res, 201, original);
    const message: TwilioMessage = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      account_sid: accountSid,
      to,
      from: form.get('From') ?? '',
      body,
      status: 'queued',
      date_created: new Date().toUTCString(),
      num_segments: '1',
      idempotency_token: token,
    };
    messages.push(message);
    sendJson(res, 201, {
      ...message,
      api_version: '2010-04-01',
      direction: 'outbound-api',
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}.json`,
    });
  }

  function fail(failure: TwilioFailure, res: http.ServerResponse): void {
    switch (failure.kind) {
      case 'status':
        return sendJson(res, failure.status, twilioError(20500, 'Internal Server Error', failure.status));
      case 'hang':
        hanging.add(res);
        return;
      case 'rate-limit':
        return sendJson(res, 429, twilioError(20429, 'Too Many Requests', 429), {
          'retry-after': String(failure.retryAfterSeconds),
        });
      case 'permanent':
        return sendJson(res, 400, twilioError(failure.code, PERMANENT_MESSAGES[failure.code] ?? 'Permanent error'));
    }
  }

  function failNext(failure: TwilioFailure, times = 1): void {
    for (let i = 0; i < times; i++) failures.push(failure);
  }

  function reset(): void {
    messages.length = 0;
    failures.length = 0;
    requests = 0;
  }

  function html(res: http.ServerResponse): void {
    const rows = messages
      .map(
        (m) =>
          `<tr><td>${escapeHtml(m.date_created)}</td><td>${escapeHtml(m.to)}</td><td>${escapeHtml(m.sid)}</td><td><pre>${escapeHtml(m.body)}</pre></td></tr>`,
      )
      .join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>SMS sink</title><h1>SMS received (${messages.length})</h1><p>JSON: <a href="/messages">/messages</a></p><table border="1"><tr><th>When</th><th>To</th><th>SID</th><th>Body</th></tr>${rows}</table>`,
    );
  }

  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const port = portOf(server);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    messages,
    requestCount: () => requests,
    failNext,
    clearFailures: () => void (failures.length = 0),
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function twilioError(code: number, message: string, status = 400) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}
