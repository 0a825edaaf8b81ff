import { AsyncLocalStorage } from 'node:async_hooks';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import type { Sender } from '../app/ports.js';
import { DeliveryFailure } from '../domain/notification.js';

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  from: string;
  /** Set → every API call goes to this origin instead of https://api.twilio.com (the local fake). */
  baseUrl?: string;
  timeoutMs: number;
}

/** The notification being sent, so the HTTP client can attach its idempotency token. */
const currentNotification = new AsyncLocalStorage<string>();

/**
 * twilio's RequestClient with three additions: an optional base-URL rewrite (local endpoint),
 * the notification id as `I-Twilio-Idempotency-Token` (honoured by the local fake; a hint only
 * for real Twilio), and 429s turned into a rate-limited failure that keeps Retry-After, which
 * twilio's RestException would drop.
 */
class NotificationsRequestClient extends twilio.RequestClient {
  constructor(
    private readonly baseUrl: string | undefined,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs, autoRetry: false });
  }

  override async request<T>(opts: RequestClient.RequestOptions<T>): Promise<Response<T>> {
    let uri = opts.uri;
    if (this.baseUrl) {
      const original = new URL(opts.uri);
      uri = new URL(original.pathname + original.search, this.baseUrl).toString();
    }
    const token = currentNotification.getStore();
    const headers = token ? { ...opts.headers, 'I-Twilio-Idempotency-Token': token } : opts.headers;
    const response = await super.request({ ...opts, uri, headers });
    if (response.statusCode === 429) {
      const seconds = Number((response.headers as Record<string, string>)['retry-after']);
      throw new DeliveryFailure(
        'rate-limited',
        'Twilio answered 429 Too Many Requests',
        Number.isFinite(seconds) ? seconds * 1000 : undefined,
      );
    }
    return response;
  }
}

/**
 * SMS through the twilio package. A 400 from Twilio is a problem with this message (21211
 * invalid number, 21614 not a mobile, 21610 unsubscribed…) and is permanent; 5xx, timeouts and
 * network errors are transient; 401/403/404 mean our configuration is wrong, which is fixable,
 * so they are transient too.
 */
export function createTwilioSender(settings: TwilioSettings): Sender {
  const client = twilio(settings.accountSid, settings.authToken, {
    httpClient: new NotificationsRequestClient(settings.baseUrl, settings.timeoutMs),
  });
  return {
    async send(n) {
      try {
        const message = await currentNotification.run(n.id, () =>
          client.messages.create({ to: n.recipient, from: settings.from, body: n.text }),
        );
        return { providerMessageId: message.sid };
      } catch (err) {
        if (err instanceof DeliveryFailure) throw err;
        const { status, code, message } = err as { status?: number; code?: number | string; message?: string };
        const detail = `Twilio ${status ?? 'network'}${code !== undefined ? ` code ${code}` : ''}: ${message ?? String(err)}`;
        throw new DeliveryFailure(status === 400 ? 'permanent' : 'transient', detail);
      }
    },
  };
}
