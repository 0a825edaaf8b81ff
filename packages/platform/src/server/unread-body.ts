import http2 from 'node:http2';
import type { NodeRequest, NodeResponse } from './connect-handler.js';

/** How much of a body left unread is read and discarded before the connection is given up instead. */
const DISCARD_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Registered by a listener for every request. An answer may be sent before its request body was
 * read (a 413 for a chunked body over the limit is sent after reading up to the limit and no
 * further; a gRPC message that does not parse is answered without reading on), and the rest of
 * that body must not hang around once the answer is out: on HTTP/1.1 the next request on the
 * connection would never be parsed, on HTTP/2 the stream would stay half-open and a drain would
 * wait for it. The rest is read and discarded, up to a bound past which the connection (HTTP/1.1)
 * or the stream (HTTP/2, RST_STREAM NO_ERROR, RFC 9113 §8.1) is closed instead.
 */
export function closeUnreadBodyWhenAnswered(req: NodeRequest, res: NodeResponse): void {
  // An HTTP/2 response emits 'finish' only once its stream closes, i.e. after the unread body: too late.
  if ('stream' in res) res.stream.once('finish', () => discardUnread(req));
  else res.once('finish', () => discardUnread(req));
}

function discardUnread(req: NodeRequest): void {
  // Flowing: Node is already discarding a body nobody started to read (HTTP/1.1 does that itself).
  if (req.complete || req.destroyed || req.readableFlowing === true) return;
  const giveUp = () => ('stream' in req ? req.stream.close(http2.constants.NGHTTP2_NO_ERROR) : req.socket.destroy());
  let left = DISCARD_MAX_BYTES;
  // read() rather than resume(): a 'readable' listener left by a reader that stopped early would keep resume() from flowing.
  const drain = () => {
    for (let chunk = req.read() as Buffer | null; chunk !== null; chunk = req.read() as Buffer | null) {
      left -= chunk.length;
      if (left < 0) return giveUp();
    }
  };
  req.on('readable', drain);
  drain();
}
