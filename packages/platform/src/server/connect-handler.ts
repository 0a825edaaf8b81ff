import type http from 'node:http';
import type http2 from 'node:http2';
import {
  Code,
  ConnectError,
  type ConnectRouter,
  type ContextValues,
  type Interceptor,
  createConnectRouter,
  createContextValues,
} from '@connectrpc/connect';
import {
  compressionBrotli,
  compressionGzip,
  universalRequestFromNodeRequest,
  universalResponseToNodeResponse,
} from '@connectrpc/connect-node';
import type { Compression, UniversalHandler, UniversalServerResponse } from '@connectrpc/connect/protocol';
import { errorToJson } from '@connectrpc/connect/protocol-connect';
import type { Logger } from 'pino';
import { decodingGate, trackDecoding } from './request-decoding.js';

export type NodeRequest = http.IncomingMessage | http2.Http2ServerRequest;
export type NodeResponse = http.ServerResponse | http2.Http2ServerResponse;
/** The Connect adapter as a Node request listener. */
export type NodeHandler = (req: NodeRequest, res: NodeResponse) => void;

export interface ConnectHandlerOptions {
  routes: (router: ConnectRouter) => void;
  interceptors: Interceptor[];
  contextValues?: (req: NodeRequest) => ContextValues;
  shutdownSignal: AbortSignal;
  readMaxBytes: number;
  logger: Logger;
}

/**
 * connect-node's `connectNodeAdapter`, plus what a client must get from it and does not: every
 * refusal before a procedure runs answers in the protocol the client speaks. Connect-node answers
 * an unknown path, a wrong HTTP method and an unsupported content type with a bare status (a gRPC
 * client then sees "closed the stream without sending trailers"); it reports an undecodable
 * request as `internal`, a truncated compressed body as `internal`, and a body over
 * `readMaxBytes` as HTTP 429 (which tells a client to retry). See request-decoding.ts for the
 * message side; this file handles the transport side.
 */
export function createConnectHandler(o: ConnectHandlerOptions): NodeHandler {
  const router = createConnectRouter({
    interceptors: o.interceptors,
    shutdownSignal: o.shutdownSignal,
    readMaxBytes: o.readMaxBytes,
    acceptCompression: [compressionGzip, compressionBrotli].map(clientFaultOnDecompress),
    requestGate: decodingGate,
  });
  o.routes(router);
  const paths = new Map<string, UniversalHandler>(router.handlers.map((h) => [h.requestPath, h]));

  return (req, res) => {
    const path = (req.url ?? '').split('?', 1)[0] ?? '';
    const handler = paths.get(path);
    if (!handler) return answerUnknownPath(req, res, path);
    const values = o.contextValues?.(req) ?? createContextValues();
    const decoding = trackDecoding(values, req);
    let uReq;
    try {
      uReq = universalRequestFromNodeRequest(req, res, undefined, values);
    } catch {
      // Only an HTTP/1.0 request without Host gets here: there is no authority to build the URL from.
      return writeError(res, 400, new ConnectError('the Host header is required', Code.InvalidArgument));
    }
    // Connect stops reading a body over readMaxBytes, and connect-node's own body iterator then
    // destroys the request, which resets the connection under the error response: the client of a
    // kept-alive HTTP/1.1 connection loses the answer and its next request. This iterator leaves
    // the rest unread instead, for the listener to discard (or close the connection).
    const body = (req as http.IncomingMessage).iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>;
    handler({ ...uReq, body: decoding.observe(body) })
      .then((uRes) => {
        if (isBareRefusal(uRes)) return answerRefusal(res, uRes, handler);
        // A body over readMaxBytes is too large, not too frequent: 413, not Connect's 429.
        if (decoding.tooLarge && uRes.status === 429) uRes.status = 413;
        return universalResponseToNodeResponse(uRes, res);
      })
      .catch((reason: unknown) => {
        if (ConnectError.from(reason).code === Code.Aborted) return;
        o.logger.error(
          { err: reason, rpc: `${handler.service.typeName}/${handler.method.name}` },
          'writing the response failed',
        );
      });
  };
}

/**
 * Connect-node reports a compressed body that ends early (Z_BUF_ERROR) as `internal`; the client
 * sent it, so it is `invalid_argument` like any other corrupt compressed body.
 */
function clientFaultOnDecompress(compression: Compression): Compression {
  return {
    name: compression.name,
    compress: (bytes) => compression.compress(bytes),
    decompress: (bytes, readMaxBytes) =>
      compression.decompress(bytes, readMaxBytes).catch((err: unknown) => {
        if (err instanceof ConnectError && err.code === Code.Internal) {
          throw new ConnectError(err.rawMessage, Code.InvalidArgument, undefined, undefined, err.cause);
        }
        throw err;
      }),
  };
}

const isGrpc = (req: NodeRequest) => /^application\/grpc(-web)?([+;]|$)/i.test(req.headers['content-type'] ?? '');
const RPC_PATH = /^\/[A-Za-z_][\w.]*\/[A-Za-z_]\w*$/;

/**
 * gRPC clients get a trailers-only response with status 12, as gRPC servers answer an unknown
 * method; everyone else a 404 with a Connect error body.
 */
function answerUnknownPath(req: NodeRequest, res: NodeResponse, path: string): void {
  if (isGrpc(req)) {
    (res as http.ServerResponse)
      .writeHead(200, {
        'content-type': req.headers['content-type'],
        'grpc-status': String(Code.Unimplemented),
        'grpc-message': encodeURIComponent(`unknown method ${path}`),
      })
      .end();
    return;
  }
  const error = RPC_PATH.test(path)
    ? new ConnectError(`unknown procedure ${path}`, Code.Unimplemented)
    : new ConnectError(`nothing is served at ${path}`, Code.NotFound);
  writeError(res, 404, error);
}

/** Connect-node's 405 and 415 have no body at all. */
const isBareRefusal = (uRes: UniversalServerResponse) =>
  (uRes.status === 405 || uRes.status === 415) && uRes.body === undefined;

function answerRefusal(res: NodeResponse, uRes: UniversalServerResponse, handler: UniversalHandler): void {
  if (uRes.status === 405) {
    const allow = handler.allowedMethods.join(', ');
    writeError(res, 405, new ConnectError(`HTTP method not allowed; use ${allow}`, Code.Unimplemented), { allow });
    return;
  }
  const get = handler.allowedMethods.includes('GET') ? ', or GET with encoding=json|proto' : '';
  const supported = `application/json or application/proto (Connect), application/grpc[+proto|+json], application/grpc-web[+proto|+json]${get}`;
  writeError(res, 415, new ConnectError(`unsupported content type; use ${supported}`, Code.InvalidArgument));
}

/** A Connect JSON error body ({"code","message"}) with any status. */
export function writeError(
  res: NodeResponse,
  status: number,
  error: ConnectError,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(errorToJson(error, undefined));
  (res as http.ServerResponse)
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers })
    .end(body);
}
