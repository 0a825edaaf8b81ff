import { base64Decode } from '@bufbuild/protobuf/wire';
import {
  Code,
  ConnectError,
  type ContextValues,
  type HandlerContext,
  type Interceptor,
  createContextKey,
} from '@connectrpc/connect';
import { invalidField, payloadTooLarge } from '../errors/app-error.js';
import { toConnectError } from '../errors/to-connect.js';
import { locateJsonError } from './json-paths.js';

/** The parts of a Node request (HTTP/1.1 or HTTP/2) that say how its message is encoded. */
export interface RequestLine {
  method?: string;
  url?: string;
  headers: Partial<Record<'content-type' | 'content-encoding', string | string[]>>;
}

/** What the platform's adapter knows about decoding one request message. */
export interface Decoding {
  /** Connect decoded the message and handed it to the interceptors: later failures are not decoding's. */
  decoded: boolean;
  /** The body was over readMaxBytes (the adapter answers HTTP 413). */
  tooLarge: boolean;
  /** The request message as the client sent it in JSON (parsed once, on demand); undefined for binary. */
  json(): unknown;
  /** Passes the request body through, keeping a reference to the chunks of a JSON body. */
  observe<B>(body: B): B;
}

const decodingKey = createContextKey<Decoding | undefined>(undefined);

/** Starts tracking one request; called by the adapter before Connect sees it. */
export function trackDecoding(values: ContextValues, req: RequestLine): Decoding {
  const chunks: Uint8Array[] = [];
  const capture =
    req.method === 'POST' &&
    /^application\/json(;|$)/i.test(String(req.headers['content-type'] ?? '')) &&
    !req.headers['content-encoding'];
  let parsed: { value: unknown } | undefined;
  const decoding: Decoding = {
    decoded: false,
    tooLarge: false,
    json() {
      // Parsed only when asked for (a failure to locate, or enum names to check), not per request.
      const text =
        req.method === 'GET'
          ? jsonFromQuery(req.url ?? '')
          : capture
            ? Buffer.concat(chunks).toString('utf8')
            : undefined;
      if (text === undefined) return undefined;
      parsed ??= { value: parseOrUndefined(text) };
      return parsed.value;
    },
    observe<B>(body: B): B {
      if (!capture || !isAsyncIterable(body)) return body;
      return (async function* keep() {
        for await (const chunk of body as AsyncIterable<Uint8Array>) {
          chunks.push(chunk);
          yield chunk;
        }
      })() as B;
    },
  };
  values.set(decodingKey, decoding);
  return decoding;
}

/** The JSON message a client sent, if it sent JSON (for checks that need what the lenient decoder dropped). */
export const requestJson = (values: ContextValues): unknown => values.get(decodingKey)?.json();

/**
 * The request gate (runs before the body is read): refuses a deadline that is not a positive
 * integer, and watches the call's abort. Connect-node decodes the message before any interceptor
 * runs and then aborts the call's context with the very error object it is about to send, so the
 * abort is the one place where a decoding failure can be corrected: protobuf it cannot parse is
 * the client's fault (not `internal`), a JSON value of the wrong type gets the field violation
 * every other bad field gets, and a body over the limit is "too large" (413), not "too many" (429).
 */
export function decodingGate(ctx: HandlerContext): void {
  refuseBadDeadline(ctx.requestHeader);
  const decoding = ctx.values.get(decodingKey);
  if (!decoding) return;
  ctx.signal.addEventListener('abort', () => {
    const reason: unknown = ctx.signal.reason;
    if (decoding.decoded || !(reason instanceof ConnectError)) return;
    const corrected = correctDecodingError(reason, decoding, ctx);
    if (corrected) rewrite(reason, corrected);
  });
}

/** Marks the message decoded; the outermost interceptor. (Streaming input is decoded lazily, so only unary.) */
export const markDecoded: Interceptor = (next) => (req) => {
  const decoding = req.contextValues.get(decodingKey);
  if (decoding && !req.stream) decoding.decoded = true;
  return next(req);
};

function correctDecodingError(err: ConnectError, decoding: Decoding, ctx: HandlerContext): ConnectError | undefined {
  if (err.code === Code.Internal && err.rawMessage.startsWith('parse binary: ')) {
    const why = err.rawMessage.slice('parse binary: '.length);
    return new ConnectError(
      `the request is not a valid ${ctx.method.input.typeName} message: ${why}`,
      Code.InvalidArgument,
    );
  }
  if (err.code === Code.InvalidArgument && err.details.length === 0 && err.cause instanceof Error) {
    const located = locateJsonError(ctx.method.input, decoding.json());
    return located && toConnectError(invalidField(located.field, located.description)).error;
  }
  const limit = /readMaxBytes (\d+)/.exec(err.rawMessage);
  if (err.code === Code.ResourceExhausted && limit) {
    decoding.tooLarge = true;
    return toConnectError(payloadTooLarge(Number(limit[1]))).error;
  }
  return undefined;
}

/** Connect writes the error object it aborted with, so the correction is made on that object. */
function rewrite(target: ConnectError, source: ConnectError): void {
  Object.assign(target, { code: source.code, rawMessage: source.rawMessage, message: source.message });
  target.details.splice(0, target.details.length, ...source.details);
}

/**
 * Connect takes "0" as a deadline already passed (504) and gRPC's "0m" likewise; both are a
 * client's mistake, as the protocols require a positive integer.
 */
function refuseBadDeadline(header: Headers): void {
  const connect = header.get('connect-timeout-ms');
  if (connect !== null && (!/^\d{1,10}$/.test(connect) || Number(connect) === 0)) {
    throw new ConnectError('Connect-Timeout-Ms must be a positive integer of at most 10 digits', Code.InvalidArgument);
  }
  const grpc = header.get('grpc-timeout');
  if (grpc !== null && /^0+[HMSmun]$/.test(grpc)) {
    throw new ConnectError('grpc-timeout must be positive', Code.InvalidArgument);
  }
}

function jsonFromQuery(url: string): string | undefined {
  const query = new URLSearchParams(url.split('?', 2)[1] ?? '');
  if (query.get('encoding') !== 'json' || query.has('compression')) return undefined;
  const message = query.get('message') ?? '';
  if (query.get('base64') !== '1') return message;
  try {
    return Buffer.from(base64Decode(message)).toString('utf8');
  } catch {
    return undefined;
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isAsyncIterable = (body: unknown): body is AsyncIterable<Uint8Array> =>
  typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
