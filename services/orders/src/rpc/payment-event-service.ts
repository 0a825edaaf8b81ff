import type { ServiceImpl } from '@connectrpc/connect';
import type { PaymentEventService } from '@ordersystem/contracts/ordersystem/orders/v1/payments';
import { optionalIdentity, permissionDenied, traceHeaders } from '@ordersystem/platform';
import type { ApplyPaymentDeps } from '../app/apply-payment.js';
import { handleProviderEvent } from '../app/handle-provider-event.js';

/**
 * PaymentEventService, internal only: the gateway's webhook route calls it after verifying the
 * provider's signature, and that route calls without a user identity. The gateway puts an identity
 * on every call it forwards for a user, so a call that carries one did not come from the webhook
 * route and is refused (the gateway never routes this service; this is the second lock).
 */
export function paymentEventService(deps: ApplyPaymentDeps): ServiceImpl<typeof PaymentEventService> {
  return {
    async handleProviderEvent(req, ctx) {
      if (optionalIdentity(ctx)) throw permissionDenied('provider events are accepted from the webhook route only');
      return { outcome: await handleProviderEvent(deps, req.provider, req.payload, traceHeaders()) };
    },
  };
}
