import { randomBytes } from 'node:crypto';
import { getUrl, type Json } from '../../harness/http-api.js';

/** What a call ended with, after any retries. */
export interface Outcome<T = Json> {
  ok: boolean;
  status: number;
  /** Connect code of a failure ("unavailable"), or "network" when no HTTP answer came. */
  code: string;
  message: string;
  body: T;
  attempts: number;
}

export interface CallOptions {
  /**
   * Retry what a replica going away looks like (no answer, `unavailable`, `deadline_exceeded`), as
   * a client may for an idempotent call (PlaceOrder: with the same idempotency key).
   */
  retry?: boolean;
  /** X-Forwarded-For (the gateway trusts it in the chaos run): the client address the per-IP limit counts. */
  clientIp?: string;
}

/** Running totals across every call a client made, for the reports. */
export interface CallStats {
  calls: number;
  retries: number;
  failed: number;
  failures: string[];
}

const RETRY_LIMIT = 40;
const RETRY_DELAY_MS = 150;

/**
 * The public API as an outside client sees it (Connect over HTTP/JSON with fetch), plus what a
 * well-behaved client does when a replica goes away: retry a call that got no answer or an
 * `unavailable`, up to a bound, and count it. Each call looks like a different client address
 * unless one is given, so the per-IP limit only bites where an experiment means it to.
 */
export class ChaosClient {
  readonly stats: CallStats = { calls: 0, retries: 0, failed: 0, failures: [] };

  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  as(token: string): ChaosClient {
    return new ChaosClient(this.baseUrl, token);
  }

  at(baseUrl: string): ChaosClient {
    return new ChaosClient(baseUrl, this.token);
  }

  /** POST (every method); throws on failure, with the code in the message. */
  async post<T = Json>(service: string, method: string, message: Json = {}, options: CallOptions = {}): Promise<T> {
    return must(await this.call<T>('POST', service, method, message, options));
  }

  /** GET (`NO_SIDE_EFFECTS` methods); throws on failure. */
  async get<T = Json>(service: string, method: string, message: Json = {}, options: CallOptions = {}): Promise<T> {
    return must(await this.call<T>('GET', service, method, message, options));
  }

  async call<T = Json>(
    verb: 'GET' | 'POST',
    service: string,
    method: string,
    message: Json,
    options: CallOptions = {},
  ): Promise<Outcome<T>> {
    this.stats.calls++;
    let outcome: Outcome<T>;
    let attempts = 0;
    for (;;) {
      attempts++;
      outcome = await this.once<T>(verb, service, method, message, options.clientIp ?? aClientIp());
      outcome.attempts = attempts;
      const retriable = ['network', 'unavailable', 'deadline_exceeded'].includes(outcome.code);
      if (outcome.ok || !options.retry || !retriable || attempts >= RETRY_LIMIT) break;
      this.stats.retries++;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
    if (!outcome.ok) {
      this.stats.failed++;
      this.stats.failures.push(`${method}: ${outcome.code}: ${outcome.message}`);
    }
    return outcome;
  }

  private async once<T>(
    verb: 'GET' | 'POST',
    service: string,
    method: string,
    message: Json,
    clientIp: string,
  ): Promise<Outcome<T>> {
    const headers: Record<string, string> = {
      'x-forwarded-for': clientIp,
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
    };
    try {
      const res =
        verb === 'GET'
          ? await fetch(getUrl(this.baseUrl, service, method, message), { headers })
          : await fetch(`${this.baseUrl}/${service}/${method}`, {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json', 'connect-protocol-version': '1' },
              body: JSON.stringify(message),
            });
      const text = await res.text();
      const body = (text ? JSON.parse(text) : {}) as Json;
      if (res.ok) return { ok: true, status: res.status, code: 'ok', message: '', body: body as T, attempts: 1 };
      return {
        ok: false,
        status: res.status,
        code: String(body.code ?? res.status),
        message: String(body.message ?? text),
        body: body as T,
        attempts: 1,
      };
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      return {
        ok: false,
        status: 0,
        code: 'network',
        message: cause?.code ?? cause?.message ?? String(err),
        body: {} as T,
        attempts: 1,
      };
    }
  }
}

function must<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`${outcome.code}: ${outcome.message}`);
  return outcome.body;
}

/** A client address from the IPv6 documentation prefix: only ever a header value, never dialled. */
export function aClientIp(): string {
  return `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;
}
