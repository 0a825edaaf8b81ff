import { Code, ConnectError } from '@connectrpc/connect';
import { withRetry } from './retry';

const options = (maxAttempts: number) => ({ maxAttempts, baseDelayMs: 1, signal: new AbortController().signal });

describe('retry', () => {
  it('repeats a call failing with unavailable until it succeeds', async () => {
    const call = jest
      .fn()
      .mockRejectedValueOnce(new ConnectError('down', Code.Unavailable))
      .mockResolvedValueOnce('ok');
    await expect(withRetry(call, options(3))).resolves.toBe('ok');
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('gives up after the configured number of attempts', async () => {
    const call = jest.fn().mockRejectedValue(new ConnectError('down', Code.Unavailable));
    await expect(withRetry(call, options(3))).rejects.toMatchObject({ code: Code.Unavailable });
    expect(call).toHaveBeenCalledTimes(3);
  });

  it.each([Code.NotFound, Code.DeadlineExceeded, Code.Internal, Code.InvalidArgument])(
    'never repeats code %s',
    async (code) => {
      const call = jest.fn().mockRejectedValue(new ConnectError('no', code));
      await expect(withRetry(call, options(5))).rejects.toMatchObject({ code });
      expect(call).toHaveBeenCalledTimes(1);
    },
  );

  it('stops retrying once the caller has gone', async () => {
    const abort = new AbortController();
    const call = jest.fn().mockImplementation(async () => {
      abort.abort();
      throw new ConnectError('down', Code.Unavailable);
    });
    await expect(withRetry(call, { maxAttempts: 5, baseDelayMs: 1, signal: abort.signal })).rejects.toMatchObject({
      code: Code.Unavailable,
    });
    expect(call).toHaveBeenCalledTimes(1);
  });
});
