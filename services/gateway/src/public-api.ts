import type { DescService } from '@bufbuild/protobuf';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { CustomerService } from '@ordersystem/contracts/ordersystem/customers/v1/customers';
import { NotificationAdminService } from '@ordersystem/contracts/ordersystem/notifications/v1/notifications';
import { OrderService } from '@ordersystem/contracts/ordersystem/orders/v1/orders';

/** Which upstream serves a public service. */
export type UpstreamName = 'customers' | 'catalog' | 'orders' | 'notifications';

/**
 * The whole public API: these services, and nothing else, are routed. Internal services
 * (InventoryService, IdentityService, ContactService) are absent by construction, so no path to
 * them exists on the public port. NotificationAdminService is here for the admin console; every
 * method of it is ACCESS_ADMIN in its proto.
 */
export const PUBLIC_API: ReadonlyArray<{ service: DescService; upstream: UpstreamName }> = [
  { service: CatalogService, upstream: 'catalog' },
  { service: CustomerService, upstream: 'customers' },
  { service: OrderService, upstream: 'orders' },
  { service: NotificationAdminService, upstream: 'notifications' },
];
