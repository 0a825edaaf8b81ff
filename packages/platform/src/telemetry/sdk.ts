import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace';

let sdk: NodeSDK | undefined;
const OPS_PATHS = /^\/(healthz|readyz|metrics)(\?|$)/;

/** Starts the OpenTelemetry SDK once per process; a no-op when OTEL_SDK_DISABLED=true. */
export function startTelemetry(): void {
  if (sdk || process.env.OTEL_SDK_DISABLED === 'true') return;
  // Without an endpoint there is nowhere to send spans, but trace ids must still exist (in logs
  // and propagated headers). The SDK registers a tracer provider only when it has a span
  // processor, so it gets one that drops every span instead of an exporter that cannot connect.
  const exporting = Boolean(
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT ||
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ||
    process.env.OTEL_TRACES_EXPORTER,
  );
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  sdk = new NodeSDK({
    ...(exporting ? {} : { spanProcessors: [new NoopSpanProcessor()] }),
    // HTTP/2 is not covered by the http instrumentation; the Connect interceptors in
    // server/interceptors.ts make the RPC spans. Probes and scrapes are noise, so ignored; other
    // incoming HTTP/1 must stay traced, because an ignored request also suppresses its outgoing calls.
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => OPS_PATHS.test(req.url ?? '') }),
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
      new IORedisInstrumentation(),
      new KafkaJsInstrumentation(),
    ],
  });
  sdk.start();
}

/** Flushes and stops the SDK; part of graceful shutdown. */
export async function shutdownTelemetry(): Promise<void> {
  const current = sdk;
  sdk = undefined;
  await current?.shutdown();
}
