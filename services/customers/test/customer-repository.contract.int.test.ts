import type { Database } from '@ordersystem/platform';
import { type TestDatabase, openTestDatabase } from '@ordersystem/testing';
import { createCustomerRepository } from '../src/db/customer-repository';
import { migrations } from '../src/db/migrations/index';
import { customerRepositoryContract } from './contracts/customer-repository.contract';

// The same suite runs against the in-memory fake in src/app/customer-repository-fake.contract.test.ts.
describe('CustomerRepository on PostgreSQL', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await openTestDatabase('customers', migrations);
    db = testDb.db;
  });
  afterAll(async () => {
    await testDb?.close();
  });

  customerRepositoryContract(async () => {
    await db.query('truncate customers cascade');
    return createCustomerRepository(db);
  });
});
