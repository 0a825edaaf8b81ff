import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { shutdownTelemetry, startTelemetry } from './sdk.js';

describe('telemetry without an exporter', () => {
  const saved = { ...process.env };
  afterEach(async () => {
    await shutdownTelemetry();
    process.env = { ...saved };
  });

  it.each([
    ['OTEL_TRACES_EXPORTER=none (the chart with otel off)', { OTEL_TRACES_EXPORTER: 'none' }],
    ['no exporter settings at all (development)', {}],
  ])('%s: spans carry ids for logs and headers but record nothing', async (_, env) => {
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_TRACES_EXPORTER;
    delete process.env.OTEL_SDK_DISABLED;
    Object.assign(process.env, env);
    startTelemetry();
    const tracer = trace.getTracer('test');
    const root = tracer.startSpan('root');
    const child = tracer.startSpan('child', {}, trace.setSpan(context.active(), root));
    expect(isSpanContextValid(root.spanContext())).toBe(true);
    expect(root.isRecording()).toBe(false);
    expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
    expect(child.spanContext().spanId).not.toBe(root.spanContext().spanId);
  });
});
