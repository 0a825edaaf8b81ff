import { readFile } from 'node:fs/promises';
import type { OutgoingHttpHeaders } from 'node:http';
import { type NodeRequest, type NodeResponse, writeHead } from './respond.js';

/**
 * Routes beside the Connect API on the public port (/auth, /docs, /admin, webhooks): each handles
 * the request, or answers undefined when the path is not its own, so they compose with firstOf.
 */
export type PlainRoutes = (req: NodeRequest, res: NodeResponse, url: URL) => Promise<void> | undefined;

/** Tries each set of plain routes in turn; undefined when none of them owns the path. */
export function firstOf(...routes: PlainRoutes[]): PlainRoutes {
  return (req, res, url) => {
    for (const route of routes) {
      const handled = route(req, res, url);
      if (handled) return handled;
    }
    return undefined;
  };
}

/**
 * Reads static files once and keeps them in memory (they are build output, fixed for the life of
 * the process). A file that cannot be read is read again next time: it may be built after start-up.
 */
export function cachedFiles(): (file: string) => Promise<Buffer> {
  const cache = new Map<string, Promise<Buffer>>();
  return (file) => {
    let body = cache.get(file);
    if (!body) {
      body = readFile(file);
      body.catch(() => cache.delete(file));
      cache.set(file, body);
    }
    return body;
  };
}

/** 200 with the body and its length (Node sends no body for HEAD). */
export function sendBody(res: NodeResponse, body: string | Buffer, headers: OutgoingHttpHeaders): void {
  writeHead(res, 200, { ...headers, 'content-length': Buffer.byteLength(body) }).end(body);
}
