import { createLifecycle, type Lifecycle } from './lifecycle.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import type { Server } from './server/create-server.js';
import { Readiness } from './server/readiness.js';
import { shutdownTelemetry } from './telemetry/sdk.js';

/** What every service's composition root starts from. */
export interface Runtime {
  service: string;
  logger: Logger;
  metrics: Metrics;
  readiness: Readiness;
  lifecycle: Lifecycle;
}

export function createRuntime(service: string, config: { LOG_LEVEL: string; SHUTDOWN_GRACE_MS: number }): Runtime {
  const logger = createLogger({ service, level: config.LOG_LEVEL });
  const lifecycle = createLifecycle(logger, config.SHUTDOWN_GRACE_MS);
  // Registered first so it closes last: spans from the shutdown itself still get exported.
  lifecycle.onStop('telemetry', shutdownTelemetry);
  return { service, logger, metrics: createMetrics(service), readiness: new Readiness(), lifecycle };
}

/** Starts listening, registers the graceful stop, and logs where the service can be reached. */
export async function serve(
  runtime: Runtime,
  server: Server,
  config: { HOST: string; PORT: number; OPS_PORT: number; SHUTDOWN_GRACE_MS: number },
): Promise<{ port: number; opsPort: number }> {
  const addresses = await server.listen(config.HOST, config.PORT, config.OPS_PORT);
  runtime.lifecycle.onStop('server', () => server.close(config.SHUTDOWN_GRACE_MS));
  runtime.logger.info({ host: config.HOST, ...addresses }, `${runtime.service} listening`);
  return addresses;
}
