import { Client } from 'pg';
import { createTestSchema, infraEnv, type TestSchema } from '@ordersystem/testing';

/** Least privilege: a service's role owns its schema and nothing else. */
describe('schema isolation between service roles', () => {
  const infra = infraEnv();
  let orders: TestSchema;

  beforeAll(async () => {
    orders = await createTestSchema(infra, 'orders');
    await as(infra.serviceUrls.orders, `CREATE TABLE ${orders.schema}.secrets (id int primary key)`);
  });
  afterAll(() => orders.drop());

  it('lets the owning role use its own schema', async () => {
    await expect(as(infra.serviceUrls.orders, `SELECT count(*) FROM ${orders.schema}.secrets`)).resolves.toBeDefined();
  });

  it.each(['catalog', 'customers', 'notifications'] as const)(
    'refuses the %s role reading another service schema',
    async (svc) => {
      await expect(as(infra.serviceUrls[svc], `SELECT * FROM ${orders.schema}.secrets`)).rejects.toThrow(
        /permission denied/,
      );
    },
  );

  it('refuses another role creating tables in a schema it does not own', async () => {
    await expect(as(infra.serviceUrls.catalog, `CREATE TABLE ${orders.schema}.planted (id int)`)).rejects.toThrow(
      /permission denied/,
    );
  });

  it('refuses the real orders schema to the catalog role', async () => {
    await expect(as(infra.serviceUrls.catalog, 'CREATE TABLE orders.planted (id int)')).rejects.toThrow(
      /permission denied/,
    );
  });

  it('refuses service roles creating schemas or using public', async () => {
    await expect(as(infra.serviceUrls.catalog, 'CREATE SCHEMA rogue')).rejects.toThrow(/permission denied/);
    await expect(as(infra.serviceUrls.catalog, 'CREATE TABLE public.rogue (id int)')).rejects.toThrow(
      /permission denied/,
    );
  });
});

async function as(url: string, sql: string): Promise<unknown> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}
