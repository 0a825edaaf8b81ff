import type { ServiceImpl } from '@connectrpc/connect';
import type { ContactService } from '@ordersystem/contracts/ordersystem/customers/v1/contacts';
import type { Profiles } from '../app/profiles.js';

/** Internal: how to reach a customer (never routed by the gateway). */
export function contactService(profiles: Profiles): ServiceImpl<typeof ContactService> {
  return {
    async getContact(req) {
      const customer = await profiles.get(req.customerId);
      return {
        contact: {
          customerId: customer.id,
          name: customer.name,
          email: customer.email,
          phoneNumber: customer.phoneNumber,
        },
      };
    },
  };
}
