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
