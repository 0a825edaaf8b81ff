import { AppError } from '@ordersystem/platform/errors';
import { applyPayment, type ApplyPaymentDeps } from './apply-payment.js';

/**
 * One provider event, already verified by the gateway: parsed by the provider's adapter and
 * applied once per event id. Events that are not about a payment are acknowledged and ignored.
 */
export async function handleProviderEvent(
  deps: ApplyPaymentDeps,
  provider: string,
  payload: Uint8Array,
  traceHeaders: Record<string, string>,
): Promise<'applied' | 'duplicate' | 'ignored'> {
  if (provider !== deps.provider.provider) {
    throw new AppError('invalid_argument', `no payment provider named ${provider}`, [
      { field: 'provider', description: 'unknown provider' },
    ]);
  }
  const event = deps.provider.parseEvent(payload);
  if (!event.update) return 'ignored';
  const result = await applyPayment(deps, { eventId: event.eventId, provider }, event.update, traceHeaders);
  if (result.outcome === 'duplicate' || result.outcome === 'applied') return result.outcome;
  return 'ignored';
}
