import { createContextKey } from '@connectrpc/connect';
import type { Identity, Logger } from '@ordersystem/platform';

/** Per-request facts established by the HTTP layer before Connect sees the request. */
export interface RequestInfo {
  requestId: string;
  clientIp: string;
  /** Logger bound to request_id, so every line about this request can be found by it. */
  log: Logger;
}

export const requestInfoKey = createContextKey<RequestInfo | undefined>(undefined, {
  description: 'gateway request info',
});

/** The caller as proven by a verified access token; set only by the policy interceptor. */
export const verifiedIdentityKey = createContextKey<Identity | undefined>(undefined, {
  description: 'verified identity',
});
