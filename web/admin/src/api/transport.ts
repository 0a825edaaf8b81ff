import { type Interceptor } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-web';
import { accessToken } from './session.js';

/** Every call carries the current access token; reads go as GET so the gateway's ETags work. */
const bearer: Interceptor = (next) => async (req) => {
  const token = await accessToken();
  if (token) req.header.set('authorization', `Bearer ${token.value}`);
  return next(req);
};

/** The public Connect API on the same origin (the gateway serves the console and the API). */
export const transport = createConnectTransport({
  baseUrl: window.location.origin,
  useHttpGet: true,
  interceptors: [bearer],
});
