import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpSink {
  /** For OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces). */
  url: string;
  /** Export requests and bytes received so far. */
  counts(): { requests: number; bytes: number };
  close(): Promise<void>;
}

/**
 * Stands in for the collector of values-production.yaml: accepts OTLP/HTTP exports (protobuf or
 * JSON) and only counts them, so the services pay what exporting costs them and the bench pays
 * nothing for decoding.
 */
export async function startOtlpSink(): Promise<OtlpSink> {
  let requests = 0;
  let bytes = 0;
  const server = http.createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') return void res.writeHead(404).end();
      requests += 1;
      // An empty ExportTraceServiceResponse: zero bytes in protobuf, {} in JSON.
      const json = String(req.headers['content-type'] ?? '').includes('json');
      res
        .writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' })
        .end(json ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts: () => ({ requests, bytes }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
