import { type Context, context, propagation } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

/**
 * W3C trace context in Kafka message headers, so a consumer can link its span to the
 * request that produced the event (the outbox relay publishes long after that request ended).
 */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** The producer's context from a consumed message's headers. */
export function contextFromHeaders(headers: IHeaders | undefined): Context {
  const carrier: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) carrier[key] = first.toString();
  }
  return propagation.extract(context.active(), carrier);
}
