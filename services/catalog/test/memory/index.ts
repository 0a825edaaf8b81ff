import { createCategoryUseCases } from '../../src/app/categories';
import { createInventoryUseCases } from '../../src/app/inventory';
import { createProductUseCases } from '../../src/app/products';
import { noCache } from '../../src/clients/redis-cache';
import type { CatalogDeps } from '../../src/routes';
import { type MemoryCatalogStore, createMemoryCatalogStore } from './catalog-store';
import { createMemoryCategoryRepository } from './category-repository';
import { createMemoryInventoryRepository } from './inventory-repository';
import { createMemoryProductRepository } from './product-repository';

export * from './catalog-store';
export { createMemoryCategoryRepository, createMemoryInventoryRepository, createMemoryProductRepository };

/** The catalog's use cases over in-memory repositories and no cache, with the store to seed and inspect. */
export function memoryCatalog(
  settings = { currency: 'KES', taxClasses: ['standard', 'reduced', 'zero'], reservationTtlSeconds: 900 },
): {
  deps: CatalogDeps;
  store: MemoryCatalogStore;
} {
  const store = createMemoryCatalogStore();
  const deps = {
    categories: createCategoryUseCases(createMemoryCategoryRepository(store), noCache, settings.currency),
    products: createProductUseCases(createMemoryProductRepository(store), noCache, {
      currency: settings.currency,
      taxClasses: settings.taxClasses,
    }),
    inventory: createInventoryUseCases(createMemoryInventoryRepository(store), noCache, {
      ttlSeconds: settings.reservationTtlSeconds,
    }),
  };
  return { deps, store };
}
