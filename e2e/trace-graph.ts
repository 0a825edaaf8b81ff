import { type ReceivedSpan, SpanKind } from '@ordersystem/testing';

type KindName = keyof typeof SpanKind;

/** The first span matching every given criterion (`attribute`: any attribute value containing it). */
export function findSpan(
  spans: readonly ReceivedSpan[],
  where: { service?: string; name?: string; kind?: KindName; attribute?: string },
): ReceivedSpan | undefined {
  return spans.find(
    (s) =>
      (where.service === undefined || s.service === where.service) &&
      (where.name === undefined || s.name === where.name) &&
      (where.kind === undefined || s.kind === SpanKind[where.kind]) &&
      (where.attribute === undefined || Object.values(s.attributes).some((v) => String(v).includes(where.attribute!))),
  );
}

/**
 * The causal path from a span back to `target`: up through parents within a trace and, where a
 * trace starts with links (outbox relay batch, Kafka consumer, delivery worker), across any link to
 * the span that caused it. Undefined when `target` is not among the span's causes (or a hop was
 * never received).
 */
export function causalPath(
  spans: readonly ReceivedSpan[],
  from: ReceivedSpan,
  target: ReceivedSpan,
): ReceivedSpan[] | undefined {
  const byId = new Map(spans.map((s) => [`${s.traceId}/${s.spanId}`, s]));
  const seen = new Set<ReceivedSpan>();
  const search = (at: ReceivedSpan): ReceivedSpan[] | undefined => {
    if (at === target) return [at];
    if (seen.has(at)) return undefined;
    seen.add(at);
    const causes = [
      at.parentSpanId ? byId.get(`${at.traceId}/${at.parentSpanId}`) : undefined,
      ...at.links.map((l) => byId.get(`${l.traceId}/${l.spanId}`)),
    ];
    for (const cause of causes) {
      const rest = cause && search(cause);
      if (rest) return [at, ...rest];
    }
    return undefined;
  };
  return search(from);
}

/** "service KIND name" per hop, for readable assertions. */
export function hops(chain: readonly ReceivedSpan[]): string[] {
  const kinds = Object.fromEntries(Object.entries(SpanKind).map(([k, v]) => [v, k]));
  return chain.map((s) => `${s.service} ${kinds[s.kind] ?? s.kind} ${s.name}`);
}

/**
 * Every trace reachable from `traceId` through span links, in either direction: a span in one
 * trace that links to a span (or trace) in another joins them. This is how asynchronous hops
 * (outbox → Kafka → consumer → dispatcher) stay connected without one giant trace.
 */
export function connectedTraces(
  spans: readonly ReceivedSpan[],
  traceId: string,
): { traceIds: Set<string>; spans: ReceivedSpan[] } {
  const traceIds = new Set([traceId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of spans) {
      const linked = s.links.some((l) => traceIds.has(l.traceId));
      if (linked && !traceIds.has(s.traceId)) {
        traceIds.add(s.traceId);
        grew = true;
      }
      if (traceIds.has(s.traceId)) {
        for (const l of s.links) {
          if (!traceIds.has(l.traceId)) {
            traceIds.add(l.traceId);
            grew = true;
          }
        }
      }
    }
  }
  return { traceIds, spans: spans.filter((s) => traceIds.has(s.traceId)) };
}

/** A readable dump of spans grouped by trace, for failure messages. */
export function describeTrace(spans: readonly ReceivedSpan[]): string {
  const kinds = Object.fromEntries(Object.entries(SpanKind).map(([k, v]) => [v, k]));
  const byTrace = new Map<string, ReceivedSpan[]>();
  for (const s of spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
  return [...byTrace]
    .map(([id, list]) =>
      [
        `trace ${id}`,
        ...list.map(
          (s) =>
            `  ${s.service} ${kinds[s.kind] ?? s.kind} ${s.name} span=${s.spanId} parent=${s.parentSpanId || '-'}${s.links.length ? ` links=${s.links.map((l) => `${l.traceId}/${l.spanId}`).join(',')}` : ''}`,
        ),
      ].join('\n'),
    )
    .join('\n');
}
