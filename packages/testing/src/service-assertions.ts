import net from 'node:net';
import { grpcHealthCheck } from './grpc-health';
import type { DatabaseService, InfraEnv } from './infra-env';
import { createTestSchema } from './schema';
import { type RunningService, startService } from './service-process';

/**
 * Starts a database-backed service as a real process on its own fresh schema with migrations
 * applied at start. `stop` ends the process (SIGTERM, expecting a clean exit) and drops the schema.
 */
export async function startServiceOnFreshSchema(
  infra: InfraEnv,
  service: DatabaseService,
  env: Record<string, string> = {},
): Promise<{ svc: RunningService; schema: string; stop: () => Promise<void> }> {
  const schema = await createTestSchema(infra, service);
  const svc = await startService(service, {
    DATABASE_URL: schema.url,
    DATABASE_SCHEMA: schema.schema,
    MIGRATE_ON_START: 'true',
    ...env,
  }).catch(async (err: unknown) => {
    await schema.drop();
    throw err;
  });
  return {
    svc,
    schema: schema.schema,
    stop: async () => {
      const code = await svc.stop('SIGTERM');
      await schema.drop();
      if (code !== 0) throw new Error(`${service} exited with ${code} on SIGTERM`);
    },
  };
}

/** The platform contract every service honours: gRPC health, /readyz, /healthz and RPC metrics. */
export async function expectHealthyService(svc: RunningService): Promise<void> {
  expect(await grpcHealthCheck(`127.0.0.1:${svc.port}`)).toBe('SERVING');
  expect(await grpcHealthCheck(`127.0.0.1:${svc.port}`, { service: 'liveness' })).toBe('SERVING');
  const ops = `http://127.0.0.1:${svc.opsPort}`;
  expect((await fetch(`${ops}/healthz`)).status).toBe(200);
  const ready = await fetch(`${ops}/readyz`);
  expect(ready.status).toBe(200);
  const metrics = await (await fetch(`${ops}/metrics`)).text();
  expect(metrics).toMatch(new RegExp(`rpc_server_requests_total\\{[^}]*method="Check"[^}]*code="ok"[^}]*\\} [1-9]`));
  expect(metrics).toMatch(/rpc_server_duration_seconds_bucket\{[^}]*method="Check"/);
}

/** A TCP server that accepts connections and never answers a byte: a dependency still coming up. */
export async function startSilentDependency(): Promise<{
  url(scheme: string): string;
  address: string;
  close(): void;
}> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined).once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    address,
    url: (scheme) => `${scheme}://u:p@${address}/ordersystem`,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/**
 * While a dependency does not answer, the service is alive (so a startup or liveness probe never
 * restarts it) and not ready (so it gets no traffic), for as long as `forMs`.
 */
export async function expectAliveNotReadyWhileStarting(
  service: string,
  env: Record<string, string>,
  forMs = 3_000,
): Promise<void> {
  const svc = await startService(service, env, { early: true });
  try {
    const ops = `http://127.0.0.1:${svc.opsPort}`;
    const until = Date.now() + forMs;
    do {
      expect((await fetch(`${ops}/healthz`)).status).toBe(200);
      expect((await fetch(`${ops}/readyz`)).status).toBe(503);
      expect(await grpcHealthCheck(`127.0.0.1:${svc.port}`, { service: 'liveness' })).toBe('SERVING');
      expect(await grpcHealthCheck(`127.0.0.1:${svc.port}`)).toBe('NOT_SERVING');
      await new Promise((r) => setTimeout(r, 250));
    } while (Date.now() < until);
    expect(svc.child.exitCode).toBeNull();
  } finally {
    // Its dependency never answers, so a graceful stop would wait out the connect timeout.
    await svc.stop('SIGKILL');
  }
}
