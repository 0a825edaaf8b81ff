import type { Interceptor } from '@connectrpc/connect';
import { codeLabel, type Metrics, toConnectError } from '@ordersystem/platform';
import { requestInfoKey } from './context.js';

/**
 * Like the platform's serverObservation, but labelled by the public service (the gateway serves
 * several) and logging through the request's own logger, so failures carry request_id.
 */
export function gatewayObservation(metrics: Metrics): Interceptor {
  return (next) => async (req) => {
    const labels = { service: req.service.typeName, method: req.method.name };
    const stop = metrics.rpcDuration.startTimer(labels);
    try {
      const res = await next(req);
      metrics.rpcRequests.inc({ ...labels, code: 'ok' });
      stop({ code: 'ok' });
      return res;
    } catch (err) {
      const { error, unexpected } = toConnectError(err);
      const code = codeLabel(error.code);
      metrics.rpcRequests.inc({ ...labels, code });
      stop({ code });
      const log = req.contextValues.get(requestInfoKey)?.log;
      if (unexpected) log?.error({ err, rpc: `${labels.service}/${labels.method}` }, 'rpc failed unexpectedly');
      else log?.info({ rpc: `${labels.service}/${labels.method}`, code }, 'rpc rejected');
      throw error;
    }
  };
}
