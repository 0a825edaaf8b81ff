import { randomUUID } from 'node:crypto';
import type { Database } from '@ordersystem/platform';
import { type TestDatabase, openTestDatabase } from '@ordersystem/testing';
import { createCategoryRepository } from '../src/db/category-repository';
import { migrations } from '../src/db/migrations/index';
import { categoryRepositoryContract } from './contracts/category-repository.contract';

describe('CategoryRepository on PostgreSQL', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await openTestDatabase('catalog', migrations);
    db = testDb.db;
  });
  afterAll(async () => {
    await testDb?.close();
  });

  categoryRepositoryContract(async () => {
    await db.query('truncate reservation_lines, reservations, products, categories');
    return {
      repo: createCategoryRepository(db),
      addProduct: async (categoryId, priceMinor, active = true) => {
        await db.query(
          `
          insert into products (id, sku, name, price_minor, currency_code, category_id, tax_class, stock_on_hand, active)
          values ($1, $2, 'Product', $3, 'KES', $4, 'standard', 1, $5)`,
          [randomUUID(), `SKU-${randomUUID()}`, priceMinor.toString(), categoryId, active],
        );
      },
    };
  });
});
