import type { ConnectRouter } from '@connectrpc/connect';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { InventoryService } from '@ordersystem/contracts/ordersystem/catalog/v1/inventory';
import type { CategoryUseCases } from './app/categories.js';
import type { InventoryUseCases } from './app/inventory.js';
import type { ProductUseCases } from './app/products.js';
import { catalogService } from './rpc/catalog-service.js';
import { inventoryService } from './rpc/inventory-service.js';

/** The use cases the RPC surface calls; main.ts builds them (tests build them over in-memory fakes). */
export interface CatalogDeps {
  categories: CategoryUseCases;
  products: ProductUseCases;
  inventory: InventoryUseCases;
}

/** The catalog service's RPC surface; health is added by the platform server. */
export function routes(deps: CatalogDeps) {
  return (router: ConnectRouter): void => {
    router.service(CatalogService, catalogService(deps.categories, deps.products));
    router.service(InventoryService, inventoryService(deps.inventory));
  };
}
