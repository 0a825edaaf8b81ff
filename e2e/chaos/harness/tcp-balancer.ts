import net from 'node:net';

export interface TcpBalancer {
  port: number;
  url: string;
  /** Connections handed to each backend port so far (to show both replicas were used). */
  handedTo: Map<number, number>;
  close(): Promise<void>;
}

/**
 * A round-robin TCP proxy, the stand-in for a Kubernetes Service in front of a service's replicas:
 * each new client connection goes to the next backend in `backends()` (read on every connection,
 * so a restarted replica on a new port is picked up as soon as the cluster lists it). A backend
 * that refuses the connection is skipped for the next one, as kube-proxy's endpoints would no
 * longer list a stopped pod. It balances connections, not requests: an HTTP/2 client keeps its
 * one connection until the server sends GOAWAY, which is how gRPC behaves behind a Service too.
 */
export async function startTcpBalancer(backends: () => number[]): Promise<TcpBalancer> {
  let next = 0;
  const handedTo = new Map<number, number>();
  const sockets = new Set<net.Socket>();

  const connect = (client: net.Socket, tried: number): void => {
    const ports = backends();
    if (ports.length === 0 || tried >= ports.length) {
      client.destroy();
      return;
    }
    const port = ports[next++ % ports.length]!;
    const upstream = net.connect({ host: '127.0.0.1', port });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED' && !client.destroyed) return connect(client, tried + 1);
      client.destroy();
    });
    upstream.once('connect', () => {
      handedTo.set(port, (handedTo.get(port) ?? 0) + 1);
      upstream.removeAllListeners('error');
      // A reset on one side is passed on as a reset, so clients see what a real proxy would show.
      upstream.on('error', () => client.resetAndDestroy());
      client.on('error', () => upstream.resetAndDestroy());
      client.pipe(upstream).pipe(client);
    });
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    connect(client, 0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    handedTo,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
