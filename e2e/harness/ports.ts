import net from 'node:net';

/**
 * A port that was free a moment ago. Only for the few ports other processes must know before the
 * owner starts (the gateway's public URL is baked into the OIDC redirect URI and token issuer);
 * everything else listens on port 0 and reports what it got.
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
