import { createClient } from '@connectrpc/connect';
import { ContactService } from '@ordersystem/contracts/ordersystem/customers/v1/contacts';
import { createServiceTransport, failedPrecondition } from '@ordersystem/platform';
import type { ContactsPort } from '../app/ports.js';
import { upstreamError } from './upstream-errors.js';

/** ContactsPort over the customers service's internal ContactService. */
export function createCustomerContacts(options: { baseUrl: string; timeoutMs: number }): ContactsPort {
  const client = createClient(ContactService, createServiceTransport(options));
  return {
    async getContact(customerId) {
      let contact;
      try {
        contact = (await client.getContact({ customerId })).contact;
      } catch (err) {
        throw upstreamError('customers', err);
      }
      if (!contact) throw failedPrecondition('customer profile not found');
      return { customerId, name: contact.name, email: contact.email, phoneNumber: contact.phoneNumber };
    },
  };
}
