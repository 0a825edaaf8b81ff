import type { ConnectRouter } from '@connectrpc/connect';

/** The customers service's RPC surface; health is added by the platform server. */
export function routes() {
  return (_router: ConnectRouter): void => {};
}
