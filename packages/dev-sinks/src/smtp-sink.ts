import http from 'node:http';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { escapeHtml, listen, portOf, readBody, sendJson } from './http-util.js';

/** One mail the sink accepted, parsed. */
export interface ReceivedMail {
  id: number;
  messageId: string | null;
  from: string;
  /** Envelope recipients (RCPT TO), which is where the mail was really delivered. */
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  receivedAt: string;
}

export interface SmtpSink {
  smtpPort: number;
  webPort: number;
  webUrl: string;
  mails: ReceivedMail[];
  /** Every RCPT TO for `address` answers `code` (550 = permanent, 451 = temporary) until reset. */
  rejectRecipient(address: string, code: 550 | 551 | 553 | 450 | 451 | 452): void;
  /** The next `times` RCPT TO commands (any address) answer `code`. */
  failNext(code: number, times?: number): void;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server, no auth, no TLS) that parses what it receives with mailparser
 * and shows it over HTTP: `GET /` (HTML), `GET /mails` (JSON), `DELETE /mails`, and fault injection
 * with `POST /control/reject` `{"address","code"}` and `POST /control/failures` `{"code","times"}`.
 */
export async function startSmtpSink(
  options: { smtpPort?: number; webPort?: number; host?: string } = {},
): Promise<SmtpSink> {
  const host = options.host ?? '127.0.0.1';
  const mails: ReceivedMail[] = [];
  const rejected = new Map<string, number>();
  const failures: number[] = [];
  let nextId = 1;

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const code = failures.shift() ?? rejected.get(address.address.toLowerCase());
      if (code === undefined) return callback();
      const error = Object.assign(
        new Error(code >= 500 ? `<${address.address}>: Recipient address rejected` : 'Try again later'),
        { responseCode: code },
      );
      callback(error);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            id: nextId++,
            messageId: parsed.messageId ?? null,
            from: parsed.from?.text ?? '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : null,
            receivedAt: new Date().toISOString(),
          });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  smtp.on('error', () => undefined);

  const web = http.createServer((req, res) => {
    void handleWeb(req, res).catch((err: unknown) => sendJson(res, 500, { message: String(err) }));
  });

  async function handleWeb(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/mails' && req.method === 'GET') return sendJson(res, 200, mails);
    if (url.pathname === '/mails' && req.method === 'DELETE') return (reset(), sendJson(res, 204, {}));
    if (url.pathname === '/control/reject' && req.method === 'POST') {
      const body = JSON.parse(await readBody(req)) as { address: string; code: 550 | 451 };
      rejected.set(body.address.toLowerCase(), body.code);
      return sendJson(res, 204, {});
    }
    if (url.pathname === '/control/failures' && req.method === 'POST') {
      const body = JSON.parse(await readBody(req)) as { code: number; times?: number };
      failNext(body.code, body.times ?? 1);
      return sendJson(res, 204, {});
    }
    if (url.pathname === '/' && req.method === 'GET') return page(res);
    sendJson(res, 404, { message: 'not found' });
  }

  function page(res: http.ServerResponse): void {
    const items = mails
      .map(
        (m) =>
          `<article><h2>${escapeHtml(m.subject)}</h2><p>${escapeHtml(m.receivedAt)} · from ${escapeHtml(m.from)} · to ${escapeHtml(m.to.join(', '))}</p><pre>${escapeHtml(m.text)}</pre></article><hr>`,
      )
      .join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>Mail sink</title><h1>Mail received (${mails.length})</h1><p>JSON: <a href="/mails">/mails</a></p>${items}`,
    );
  }

  function failNext(code: number, times = 1): void {
    for (let i = 0; i < times; i++) failures.push(code);
  }

  function reset(): void {
    mails.length = 0;
    rejected.clear();
    failures.length = 0;
  }

  await listen(smtp.server, options.smtpPort ?? 0, host);
  await listen(web, options.webPort ?? 0, host);
  const webPort = portOf(web);
  return {
    smtpPort: portOf(smtp.server),
    webPort,
    webUrl: `http://127.0.0.1:${webPort}`,
    mails,
    rejectRecipient: (address, code) => void rejected.set(address.toLowerCase(), code),
    failNext,
    reset,
    close: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      web.closeAllConnections();
      await new Promise<void>((resolve) => web.close(() => resolve()));
    },
  };
}
