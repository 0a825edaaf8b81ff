import type { ConnectRouter } from '@connectrpc/connect';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { InventoryService } from '@ordersystem/contracts/ordersystem/catalog/v1/inventory';
import { type CategoryUseCases, createCategoryUseCases } from './app/categories.js';
import { type InventoryUseCases, createInventoryUseCases } from './app/inventory.js';
import type { ReadCache } from './app/ports.js';
import { type ProductUseCases, createProductUseCases } from './app/products.js';
import { createCategoryRepository } from './db/category-repository.js';
import { createInventoryRepository } from './db/inventory-repository.js';
import { createProductRepository } from './db/product-repository.js';
import type { Database } from './db/sql.js';
import { catalogService } from './rpc/catalog-service.js';
import { inventoryService } from './rpc/inventory-service.js';

export interface CatalogDeps {
  categories: CategoryUseCases;
  products: ProductUseCases;
  inventory: InventoryUseCases;
}

/** Wires repositories and use cases; shared by main.ts and in-process tests. */
export function createDeps(
  db: Database,
  cache: ReadCache,
  settings: { currency: string; taxClasses: readonly string[]; reservationTtlSeconds: number },
): CatalogDeps {
  return {
    categories: createCategoryUseCases(createCategoryRepository(db), cache, settings.currency),
    products: createProductUseCases(createProductRepository(db), cache, { currency: settings.currency, taxClasses: settings.taxClasses }),
    inventory: createInventoryUseCases(createInventoryRepository(db), cache, { ttlSeconds: settings.reservationTtlSeconds }),
  };
}

/** The catalog service's RPC surface; health is added by the platform server. */
export function routes(deps: CatalogDeps) {
  return (router: ConnectRouter): void => {
    router.service(CatalogService, catalogService(deps.categories, deps.products));
    router.service(InventoryService, inventoryService(deps.inventory));
  };
}
