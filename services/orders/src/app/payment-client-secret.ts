import type { Order } from '../domain/order.js';
import type { PaymentProvider } from './ports.js';

/**
 * What the customer needs to pay a card order (the PaymentIntent's client secret), asked from the
 * provider rather than stored: empty once nothing is left to pay, or for pay on delivery.
 */
export async function paymentClientSecret(provider: PaymentProvider | undefined, order: Order): Promise<string> {
  const { state, reference } = order.payment;
  if (!provider || !reference || (state !== 'requires_payment' && state !== 'failed')) return '';
  return provider.clientSecret(reference);
}
