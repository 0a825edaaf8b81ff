import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, createRouterTransport, type Transport } from '@connectrpc/connect';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { BadRequestSchema } from '@ordersystem/contracts/ordersystem/common/v1/error_details';
import { CustomerService } from '@ordersystem/contracts/ordersystem/customers/v1/customers';
import type { UpstreamName } from '../../src/public-api';

/**
 * In-memory stand-ins for the upstream services, each a real Connect router (so their answers
 * reach the gateway exactly as a remote answer would), recording which methods were called.
 */
export function fakeUpstreams(orders: Transport): { transports: Record<UpstreamName, Transport>; called: string[] } {
  const called: string[] = [];
  const catalog = createRouterTransport((router) =>
    router.service(CatalogService, {
      async listProducts() {
        called.push('ListProducts');
        return { products: [{ id: 'p-1', name: 'Teapot' }] };
      },
      async getProduct() {
        called.push('GetProduct');
        const details = [
          {
            desc: BadRequestSchema,
            value: create(BadRequestSchema, { fieldViolations: [{ field: 'id', description: 'must be a UUID' }] }),
          },
        ];
        throw new ConnectError('id: must be a UUID', Code.InvalidArgument, undefined, details);
      },
    }),
  );
  const customers = createRouterTransport((router) =>
    router.service(CustomerService, {
      async getMe(_req, ctx) {
        called.push('GetMe');
        // Echoes the identity the gateway forwarded, so tests can see what reached the upstream.
        return { customer: { id: ctx.requestHeader.get('x-ordersystem-customer-id') ?? '' } };
      },
      async listCustomers() {
        called.push('ListCustomers');
        return {};
      },
    }),
  );
  // No notifications service behind this gateway: its admin methods answer unimplemented.
  const notifications = createRouterTransport(() => undefined);
  return { transports: { catalog, customers, orders, notifications }, called };
}

/** An upstream whose connection fails on every call with `error`, counting the attempts. */
export function brokenTransport(error: () => unknown): Transport & { attempts: number } {
  const transport = {
    attempts: 0,
    async unary() {
      transport.attempts++;
      throw error();
    },
    async stream() {
      transport.attempts++;
      throw error();
    },
  };
  return transport;
}
