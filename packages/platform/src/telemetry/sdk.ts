import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace';

let sdk: NodeSDK | undefined;

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
    // Outgoing HTTP only (Twilio, Stripe, JWKS...). The RPC spans come from the Connect interceptors
    // in server/interceptors.ts (HTTP/2 is not covered by the http instrumentation anyway), and the
    // gateway, the one HTTP/1 edge, opens its own request span (http-server-span.ts): the
    // instrumentation's incoming side cost ~15 % of the gateway's CPU per cached read.
    instrumentations: [
      new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
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
