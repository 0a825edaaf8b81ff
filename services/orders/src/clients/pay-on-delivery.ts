import type { PaymentMethod } from '../app/ports.js';
import { ON_DELIVERY } from '../domain/payment.js';

/**
 * Pay on delivery: nothing to charge up front, so the order is settled (confirmed) the moment
 * it is placed. With `confirmAtPlacement: false` the shop instead reviews each order and an
 * admin confirms it (ConfirmOrder).
 */
export function payOnDelivery(options: { confirmAtPlacement: boolean }): PaymentMethod {
  return {
    name: 'pay_on_delivery',
    begin: () =>
      Promise.resolve(
        options.confirmAtPlacement
          ? { settled: true, note: 'payment settled: pay on delivery', payment: ON_DELIVERY }
          : { settled: false, note: 'pay on delivery: awaiting confirmation by the shop', payment: ON_DELIVERY },
      ),
  };
}
