import { createHash } from 'node:crypto';
import { invalidField } from '@ordersystem/platform/errors';

const queryTag = (query: string) => createHash('sha256').update(query).digest('base64url').slice(0, 8);

/** An opaque cursor: the last row's position plus a tag of the query, so a token cannot be replayed against another search. */
export function encodePageToken(seq: string, query: string): string {
  return Buffer.from(`v1:${seq}:${queryTag(query)}`).toString('base64url');
}

/** The position after which the next page starts; anything not issued by encodePageToken for this query is invalid_argument. */
export function decodePageToken(token: string, query: string): string {
  const match = /^v1:(\d{1,19}):([\w-]{8})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match?.[1] || match[2] !== queryTag(query))
    throw invalidField('page_token', 'is not a valid page token for this query');
  return match[1];
}
