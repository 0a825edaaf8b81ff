import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOffSampler, NoopSpanProcessor } from '@opentelemetry/sdk-trace';

let sdk: NodeSDK | undefined;

/** Starts the OpenTelemetry SDK once per process; a no-op when OTEL_SDK_DISABLED=true. */
export function startTelemetry(): void {
  if (sdk || process.env.OTEL_SDK_DISABLED === 'true') return;
  // Without an exporter (no endpoint, or OTEL_TRACES_EXPORTER=none as the chart sets when otel is
  // off) there is nowhere to send spans, but trace ids must still exist (in logs and propagated
  // headers). The SDK registers a tracer provider only when it has a span processor, so it gets
  // one that drops every span, and a sampler that records none: ids are still made and passed on,
  // and no span is built only to be dropped.
  const exporter = process.env.OTEL_TRACES_EXPORTER;
  const exporting =
    exporter !== 'none' &&
    Boolean(exporter || process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  sdk = new NodeSDK({
    ...(exporting ? {} : { spanProcessors: [new NoopSpanProcessor()], sampler: new AlwaysOffSampler() }),
    // Outgoing HTTP only (Twilio, Stripe, JWKS...). The RPC spans come from the Connect interceptors
    // in server/interceptors.ts (HTTP/2 is not covered by the http instrumentation anyway), and the
    // gateway, the one HTTP/1 edge, opens its own request span (http/request-span.ts): the
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
