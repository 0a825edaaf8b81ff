import type { ConnectRouter } from '@connectrpc/connect';

/** The notifications service's RPC surface; health is added by the platform server. */
export function routes() {
  return (_router: ConnectRouter): void => {};
}
