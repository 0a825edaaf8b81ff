import type { ConnectRouter } from '@connectrpc/connect';

/** The public API; health is added by the platform server. */
export function routes() {
  return (_router: ConnectRouter): void => {};
}
