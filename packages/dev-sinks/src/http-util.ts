import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Reads a request body as text (the sinks only ever receive small bodies). */
export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function listen(
  server: http.Server | { listen: (port: number, host: string, cb: () => void) => unknown },
  port: number,
  host: string,
): Promise<void> {
  return new Promise((resolve) => void server.listen(port, host, () => resolve()));
}

export function portOf(server: { address: () => string | AddressInfo | null }): number {
  return (server.address() as AddressInfo).port;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
