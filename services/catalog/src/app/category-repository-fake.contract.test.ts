import { randomUUID } from 'node:crypto';
import { categoryRepositoryContract } from '../../test/contracts/category-repository.contract';
import { createMemoryCatalogStore, createMemoryCategoryRepository } from '../../test/memory';

// The same suite runs against PostgreSQL in test/category-repository.contract.int.test.ts.
describe('CategoryRepository in memory (the fake behind the fast routes tests)', () => {
  categoryRepositoryContract(async () => {
    const store = createMemoryCatalogStore();
    return {
      repo: createMemoryCategoryRepository(store),
      addProduct: async (categoryId, priceMinor, active = true) => {
        const id = randomUUID();
        const now = new Date();
        store.products.set(id, {
          id,
          sku: `SKU-${id}`,
          name: 'Product',
          description: '',
          priceMinor,
          currencyCode: 'KES',
          categoryId,
          taxClass: 'standard',
          stockOnHand: 1n,
          reserved: 0n,
          active,
          createdAt: now,
          updatedAt: now,
        });
      },
    };
  });
});
