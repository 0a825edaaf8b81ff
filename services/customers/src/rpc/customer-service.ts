import type { ServiceImpl } from '@connectrpc/connect';
import type { CustomerService } from '@ordersystem/contracts/ordersystem/customers/v1/customers';
import { requireAdmin, requireIdentity } from '@ordersystem/platform';
import type { Profiles } from '../app/profiles.js';
import { fromRoleMessages, toCustomerMessage } from './mappers.js';

/**
 * Profiles. "Me" methods take the customer id from the gateway's identity headers only, so a
 * customer can never name someone else; admin methods check the role here too (defence in depth).
 */
export function customerService(profiles: Profiles): ServiceImpl<typeof CustomerService> {
  return {
    async getMe(_req, ctx) {
      const me = requireIdentity(ctx);
      return { customer: toCustomerMessage(await profiles.get(me.customerId)) };
    },

    async updateMe(req, ctx) {
      const me = requireIdentity(ctx);
      const changes = {
        ...(req.name !== undefined ? { name: req.name } : {}),
        ...(req.phoneNumber !== undefined ? { phoneNumber: req.phoneNumber } : {}),
      };
      return { customer: toCustomerMessage(await profiles.update(me.customerId, changes)) };
    },

    async listCustomers(req, ctx) {
      requireAdmin(ctx);
      const page = await profiles.list({ query: req.query, pageSize: req.pageSize, pageToken: req.pageToken });
      return { customers: page.customers.map(toCustomerMessage), nextPageToken: page.nextPageToken };
    },

    async getCustomer(req, ctx) {
      requireAdmin(ctx);
      return { customer: toCustomerMessage(await profiles.get(req.id)) };
    },

    async setCustomerRoles(req, ctx) {
      requireAdmin(ctx);
      return { customer: toCustomerMessage(await profiles.setRoles(req.id, fromRoleMessages(req.roles))) };
    },
  };
}
