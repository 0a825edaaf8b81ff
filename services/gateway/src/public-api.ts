import type { DescService } from '@bufbuild/protobuf';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { CustomerService } from '@ordersystem/contracts/ordersystem/customers/v1/customers';
import { OrderService } from '@ordersystem/contracts/ordersystem/orders/v1/orders';

/** Which upstream serves a public service. */
export type UpstreamName = 'customers' | 'catalog' | 'orders';

/**
 * The whole public API: these services, and nothing else, are routed. Internal services
 * (InventoryService, IdentityService, ContactService, NotificationAdminService) are absent by
 * construction, so no path to them exists on the public port.
 */
export const PUBLIC_API: ReadonlyArray<{ service: DescService; upstream: UpstreamName }> = [
  { service: CatalogService, upstream: 'catalog' },
  { service: CustomerService, upstream: 'customers' },
  { service: OrderService, upstream: 'orders' },
];
