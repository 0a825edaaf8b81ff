/**
 * Loaded with `node --require @ordersystem/platform/telemetry` so instrumentation patches pg,
 * ioredis, kafkajs and http before any application module is required. Everything is configured
 * by the standard OTEL_* variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_TRACES_EXPORTER=none to turn export off, ...).
 */
import { startTelemetry } from './sdk.js';

startTelemetry();
