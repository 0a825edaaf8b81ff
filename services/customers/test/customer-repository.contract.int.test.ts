import { type Database, type MikroORM, createSql, migrate, openDatabase } from '@ordersystem/platform';
import { type TestSchema, createTestSchema, infraEnv } from '@ordersystem/testing';
import { createCustomerRepository } from '../src/db/customer-repository';
import { migrations } from '../src/db/migrations/index';
import { customerRepositoryContract } from './contracts/customer-repository.contract';

// The same suite runs against the in-memory fake in src/app/customer-repository-fake.contract.test.ts.
describe('CustomerRepository on PostgreSQL', () => {
  let schema: TestSchema;
  let orm: MikroORM;
  let db: Database;

  beforeAll(async () => {
    schema = await createTestSchema(infraEnv(), 'customers');
    orm = await openDatabase({ url: schema.url, schema: schema.schema, migrations });
    await migrate(orm);
    db = createSql(orm);
  });
  afterAll(async () => {
    await orm?.close();
    await schema?.drop();
  });

  customerRepositoryContract(async () => {
    await db.query('truncate customers cascade');
    return createCustomerRepository(db);
  });
});
