import { createLifecycle, type Lifecycle } from './lifecycle.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createServer, type Server } from './server/create-server.js';
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
  logProcessWarnings(logger);
  const lifecycle = createLifecycle(logger, config.SHUTDOWN_GRACE_MS);
  // Registered first so it closes last: spans from the shutdown itself still get exported.
  lifecycle.onStop('telemetry', shutdownTelemetry);
  return { service, logger, metrics: createMetrics(service), readiness: new Readiness(), lifecycle };
}

/**
 * Process warnings as structured log lines (Node prints them as plain text on stderr, which log
 * pipelines split into unparsed lines). kafkajs 2.2.4 schedules its request-queue check with a
 * negative delay while it has never been throttled (throttledUntil starts at -1); Node runs it
 * after 1 ms as kafkajs intends, so that one warning is dropped.
 */
function logProcessWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'TimeoutNegativeWarning' && warning.stack?.includes('kafkajs')) return;
    logger.warn({ err: warning }, `process warning: ${warning.name}`);
  });
}

type ListenConfig = { HOST: string; PORT: number; OPS_PORT: number };

/** The placeholder of listenEarly, closed by serve. */
export interface EarlyListener {
  port: number;
  opsPort: number;
  close(): Promise<void>;
}

/**
 * Listens on the service's ports before its dependencies answer: alive (gRPC `liveness`,
 * /healthz) but not ready (gRPC health "", /readyz), with no RPCs. A service that connects to
 * PostgreSQL and Kafka before listening looks dead to a startup probe while a broker is slow, and
 * gets restarted in a loop; this one is only kept out of the endpoints. serve() hands the ports
 * over to the real server.
 */
export async function listenEarly(runtime: Runtime, config: ListenConfig): Promise<EarlyListener> {
  const starting = new Readiness([
    {
      name: 'startup',
      check: () => Promise.reject(new Error('connecting to dependencies')),
    },
  ]);
  const server = createServer({
    service: runtime.service,
    logger: runtime.logger,
    metrics: runtime.metrics,
    readiness: starting,
    routes: () => undefined,
  });
  const addresses = await server.listen(config.HOST, config.PORT, config.OPS_PORT);
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= server.close(1_000));
  // A SIGTERM during start-up still finds the ports released.
  runtime.lifecycle.onStop('early-listener', close);
  // Not `port`/`opsPort` at the top level: whoever waits for "listening" (tests, scripts) waits for the real server.
  runtime.logger.info({ host: config.HOST, early: addresses }, `${runtime.service} answering probes, not ready yet`);
  return { ...addresses, close };
}

/** Starts listening, registers the graceful stop, and logs where the service can be reached. */
export async function serve(
  runtime: Runtime,
  server: Server,
  config: ListenConfig & { SHUTDOWN_GRACE_MS: number },
  /** Its ports are taken over (closed just before the real server listens). */
  early?: EarlyListener,
): Promise<{ port: number; opsPort: number }> {
  await early?.close();
  // The early listener's ports, which are config's unless those were 0 (any free port).
  const addresses = await server.listen(config.HOST, early?.port ?? config.PORT, early?.opsPort ?? config.OPS_PORT);
  runtime.lifecycle.onStop('server', () => server.close(config.SHUTDOWN_GRACE_MS));
  runtime.logger.info({ host: config.HOST, ...addresses }, `${runtime.service} listening`);
  return addresses;
}
