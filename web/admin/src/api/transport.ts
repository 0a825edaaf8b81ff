import { type Interceptor } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-web';
import { accessToken } from './session.js';

/** Every call carries the current access token. */
const bearer: Interceptor = (next) => async (req) => {
  const token = await accessToken();
  if (token) req.header.set('authorization', `Bearer ${token.value}`);
  return next(req);
};

/**
 * The public Connect API on the same origin (the gateway serves the console and the API). Reads
 * go as GET, but always revalidated: public reads carry max-age for shoppers, and an admin must
 * see their own change at once; the ETag still spares the body when nothing changed.
 */
export const transport = createConnectTransport({
  baseUrl: window.location.origin,
  useHttpGet: true,
  fetch: (input, init) => fetch(input, { ...init, cache: 'no-cache' }),
  interceptors: [bearer],
});
