import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const HEALTH_PROTO = path.join(
  path.dirname(require.resolve('grpc-health-check/package.json')),
  'proto/health/v1/health.proto',
);

/**
 * grpc.health.v1.Health/Check through @grpc/grpc-js and the official proto: an independent
 * client, sharing no code with our Connect servers, as a Kubernetes probe would be.
 */
export async function grpcHealthCheck(
  address: string,
  options: { service?: string; metadata?: Record<string, string>; deadlineMs?: number } = {},
): Promise<string> {
  const definition = protoLoader.loadSync(HEALTH_PROTO, { enums: String });
  const proto = grpc.loadPackageDefinition(definition) as unknown as {
    grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
  };
  const client = new proto.grpc.health.v1.Health(
    address,
    grpc.credentials.createInsecure(),
  ) as unknown as grpc.Client & {
    check: (
      req: object,
      md: grpc.Metadata,
      opts: grpc.CallOptions,
      cb: (err: grpc.ServiceError | null, res?: { status: string }) => void,
    ) => void;
  };
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(options.metadata ?? {})) metadata.set(k, v);
  try {
    return await new Promise<string>((resolve, reject) => {
      client.check(
        { service: options.service ?? '' },
        metadata,
        { deadline: Date.now() + (options.deadlineMs ?? 5_000) },
        (err, res) => (err ? reject(err) : resolve(res!.status)),
      );
    });
  } finally {
    client.close();
  }
}
