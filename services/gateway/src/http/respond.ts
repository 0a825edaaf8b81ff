import type http from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';
import { errorToJson } from '@connectrpc/connect/protocol-connect';
import {
  AppError,
  type MappedError,
  type NodeRequest,
  type NodeResponse,
  payloadTooLarge,
} from '@ordersystem/platform';

export type { NodeRequest, NodeResponse } from '@ordersystem/platform';

/**
 * Answers outside Connect (limits, /auth/*) in the same error shape Connect uses, so a client has
 * one error format to parse: {"code":"resource_exhausted","message":"…","details":[…]}. Status
 * and headers (Retry-After) come from the platform's mapping, as they do for Connect's answers.
 */
export function sendError(res: NodeResponse, { error, httpStatus }: MappedError): void {
  sendJson(res, httpStatus, errorToJson(error, undefined), Object.fromEntries(error.metadata));
}

export function sendJson(res: NodeResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  writeHead(res, status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  }).end(text);
}

/** writeHead for either protocol's response (their typings differ only in overloads). */
export function writeHead(res: NodeResponse, status: number, headers: OutgoingHttpHeaders = {}): NodeResponse {
  return (res as http.ServerResponse).writeHead(status, headers);
}

/** Reads a small JSON body (for /auth/*), refusing anything over `maxBytes`. */
export async function readJsonBody(req: NodeRequest, maxBytes: number): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw payloadTooLarge(maxBytes);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to the uniform error below
  }
  throw new AppError('invalid_argument', 'request body must be a JSON object');
}
