import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP pass-through in front of a provider fake. Every request reaches the fake as it is, but
 * the reply to the next accepted message (2xx) is held until `hold`'s callback has finished: the
 * provider has accepted, the service does not know it yet. Tests break things in that window.
 */
export async function startProviderGate(target: string) {
  let onAccepted: (() => Promise<void>) | undefined;

  const server = http.createServer((req, res) => {
    void relay(req, res).catch((err: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });

  async function relay(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)),
    ) as Record<string, string>;
    const upstream = await fetch(new URL(req.url ?? '/', target), {
      method: req.method,
      headers,
      body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
    });
    const body = await upstream.text();
    const held = upstream.ok ? onAccepted : undefined;
    if (held) {
      onAccepted = undefined;
      await held();
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** The next accepted message's reply waits for `work`; resolves once `work` is done. */
    hold(work: () => Promise<void>): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        onAccepted = async () => {
          try {
            await work();
            resolve();
          } catch (err) {
            reject(err as Error);
          }
        };
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
