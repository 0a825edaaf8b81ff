import { Code, ConnectError, type UnaryRequest, type UnaryResponse } from '@connectrpc/connect';
import { retryRefusedStreams, wasRefusedStream } from './refused-stream-retry';

/** What connect-node throws when HTTP/2 refused the call's stream: `internal`, the reason only in the Node error. */
function refused(): ConnectError {
  const nodeError = Object.assign(new Error('Stream closed with error code NGHTTP2_REFUSED_STREAM'), {
    code: 'ERR_HTTP2_STREAM_ERROR',
  });
  const err = ConnectError.from(nodeError, Code.Internal);
  err.cause = nodeError;
  return err;
}

const ok = { message: { answered: true } } as unknown as UnaryResponse;

function call(failures: unknown[], request: { stream?: boolean; signal?: AbortSignal } = {}) {
  let attempts = 0;
  const next = async () => {
    const failure = failures[attempts++];
    if (failure) throw failure;
    return ok;
  };
  const req = { stream: false, signal: new AbortController().signal, ...request } as unknown as UnaryRequest;
  const result = retryRefusedStreams()(next as never)(req);
  return { result, attempts: () => attempts };
}

describe('retryRefusedStreams', () => {
  it('repeats a call whose stream was refused and returns the answer', async () => {
    const c = call([refused(), refused()]);
    await expect(c.result).resolves.toBe(ok);
    expect(c.attempts()).toBe(3);
  });

  it('gives up after three refusals with the refusal', async () => {
    const c = call([refused(), refused(), refused(), refused()]);
    await expect(c.result).rejects.toThrow('NGHTTP2_REFUSED_STREAM');
    expect(c.attempts()).toBe(3);
  });

  it('does not repeat any other failure, even unavailable: the callee may have acted on it', async () => {
    const c = call([new ConnectError('upstream went away', Code.Unavailable)]);
    await expect(c.result).rejects.toThrow('upstream went away');
    expect(c.attempts()).toBe(1);
  });

  it('does not repeat once the caller has given up', async () => {
    const gone = new AbortController();
    gone.abort();
    const c = call([refused()], { signal: gone.signal });
    await expect(c.result).rejects.toThrow('NGHTTP2_REFUSED_STREAM');
    expect(c.attempts()).toBe(1);
  });

  it('does not repeat a streaming call, whose messages are already consumed', async () => {
    const c = call([refused()], { stream: true });
    await expect(c.result).rejects.toThrow('NGHTTP2_REFUSED_STREAM');
    expect(c.attempts()).toBe(1);
  });
});

describe('wasRefusedStream', () => {
  it('tells a refused stream from other HTTP/2 stream errors and from a looping cause chain', () => {
    const cancelled = Object.assign(new Error('Stream closed with error code NGHTTP2_CANCEL'), {
      code: 'ERR_HTTP2_STREAM_ERROR',
    });
    const looping = new Error('loop') as Error & { cause: unknown };
    looping.cause = looping;
    expect(wasRefusedStream(refused())).toBe(true);
    expect(wasRefusedStream(cancelled)).toBe(false);
    expect(wasRefusedStream(looping)).toBe(false);
    expect(wasRefusedStream(undefined)).toBe(false);
  });
});
