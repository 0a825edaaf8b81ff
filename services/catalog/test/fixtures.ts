import { randomBytes, randomUUID } from 'node:crypto';
import { type Client, Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { InventoryService } from '@ordersystem/contracts/ordersystem/catalog/v1/inventory';
import { BadRequestSchema } from '@ordersystem/contracts/ordersystem/common/v1/error_details';
import { identityHeaders } from '@ordersystem/platform';
import { infraEnv, startServiceOnFreshSchema } from '@ordersystem/testing';
import { Client as PgClient } from 'pg';
import type { ProductPatch } from '../src/domain/product';

export const ADMIN = {
  headers: identityHeaders({ customerId: randomUUID(), email: 'admin@example.com', roles: ['admin'] }),
};
export const CUSTOMER = {
  headers: identityHeaders({ customerId: randomUUID(), email: 'c@example.com', roles: ['customer'] }),
};

export interface Catalog {
  catalog: Client<typeof CatalogService>;
  inventory: Client<typeof InventoryService>;
  /** Base URL of the RPC (h2c) port, for calls the generated clients cannot make. */
  url: string;
  schema: string;
  cachePrefix: string;
  /** Runs SQL as the database superuser against the service's schema (assertions only). */
  sql<T>(text: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/** Starts the catalog process on a fresh schema and a unique cache prefix. */
export async function startCatalog(env: Record<string, string> = {}): Promise<Catalog> {
  const infra = infraEnv();
  const cachePrefix = `catalog-test-${randomBytes(4).toString('hex')}`;
  const running = await startServiceOnFreshSchema(infra, 'catalog', {
    REDIS_URL: infra.redisUrl,
    CACHE_PREFIX: cachePrefix,
    ...env,
  });
  const transport = createGrpcTransport({ baseUrl: `http://127.0.0.1:${running.svc.port}` });
  const pg = new PgClient({ connectionString: infra.adminUrl });
  await pg.connect();
  await pg.query(`set search_path to "${running.schema}"`);
  return {
    catalog: createClient(CatalogService, transport),
    inventory: createClient(InventoryService, transport),
    url: `http://127.0.0.1:${running.svc.port}`,
    schema: running.schema,
    cachePrefix,
    sql: async <T>(text: string, params: unknown[] = []) => (await pg.query(text, params)).rows as T[],
    stop: async () => {
      await pg.end();
      await running.stop();
    },
  };
}

export const uniq = (p = 'x') => `${p}-${randomBytes(5).toString('hex')}`;

/** A product input for tests: any field of a patch, plus the SKU. */
export type ProductInit = ProductPatch & { sku?: string };

/** A valid ProductInput for `categoryId`, overridable per test. */
export function aProduct(categoryId: string, overrides: ProductInit = {}): ProductInit {
  return {
    sku: uniq('SKU').toUpperCase(),
    name: 'Test product',
    description: 'A product made for tests',
    price: { currencyCode: 'KES', amountMinor: 1000n },
    categoryId,
    taxClass: 'standard',
    stockOnHand: 10n,
    active: true,
    ...overrides,
  };
}

export async function aCategory(c: Catalog, parentId = '', name = 'Category'): Promise<string> {
  const res = await c.catalog.createCategory({ name, slug: uniq('cat'), parentId }, ADMIN);
  return res.category!.id;
}

/** Awaits a failing call and checks its code and, when given, the first violated field. */
export async function expectRpcError(call: Promise<unknown>, code: Code, field?: string): Promise<ConnectError> {
  const err = await call.then(
    () => {
      throw new Error(`expected ${Code[code]}, but the call succeeded`);
    },
    (e: unknown) => ConnectError.from(e),
  );
  expect(Code[err.code]).toBe(Code[code]);
  if (field !== undefined) expect(violatedFields(err)).toContain(field);
  return err;
}

export function violatedFields(err: ConnectError): string[] {
  return err.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations.map((v) => v.field));
}
