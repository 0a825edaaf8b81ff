import { randomUUID } from 'node:crypto';
import { CATALOG, CUSTOMERS, PublicApi } from '../../../e2e/harness/http-api.js';
import { login } from '../../../e2e/harness/login.js';

export interface Seeded {
  rootId: string;
  productIds: string[];
  currency: string;
}

export interface BenchCustomer {
  token: string;
  phone: string;
}

/**
 * Through the public API as the admin: a 3-level tree (1 root, 4 children, 4 leaves each) and
 * `products` products spread over it, each with more stock than any run can order.
 */
export async function seedCatalog(api: PublicApi, products: number, currency: string): Promise<Seeded> {
  const create = async (name: string, parentId = '') =>
    (
      await api.post<{ category: { id: string } }>(CATALOG, 'CreateCategory', {
        name,
        slug: `${name.toLowerCase().replace(/\W+/g, '-')}-${randomUUID().slice(0, 8)}`,
        parentId,
      })
    ).category.id;
  const rootId = await create('Bench root');
  const leaves: string[] = [rootId];
  for (let c = 0; c < 4; c++) {
    const child = await create(`Bench child ${c}`, rootId);
    leaves.push(child);
    for (let l = 0; l < 4; l++) leaves.push(await create(`Bench leaf ${c}.${l}`, child));
  }
  const inputs = Array.from({ length: products }, (_, i) => ({
    sku: `BENCH-${randomUUID().slice(0, 12).toUpperCase()}`,
    name: `Bench product ${i}`,
    description: 'benchmark product',
    price: { currencyCode: currency, amountMinor: String(1_000 + i * 37) },
    categoryId: leaves[i % leaves.length],
    taxClass: 'standard',
    stockOnHand: '1000000000',
    active: true,
  }));
  const { created } = await api.post<{ created: Array<{ id: string }> }>(CATALOG, 'BulkUploadProducts', {
    products: inputs,
  });
  return { rootId, productIds: created.map((p) => p.id), currency };
}

/** `count` customers logged in through the real OIDC flow, each with a phone number (so orders text them). */
export async function createCustomers(gatewayUrl: string, count: number, runId: string): Promise<BenchCustomer[]> {
  const out: BenchCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const tokens = await login(gatewayUrl, `bench-${runId}-${i}@bench.test`, `Bench customer ${i}`);
    const phone = `+25472${String(i).padStart(7, '0')}`;
    await new PublicApi(gatewayUrl, tokens.access_token).post(CUSTOMERS, 'UpdateMe', { phoneNumber: phone });
    out.push({ token: tokens.access_token, phone });
  }
  return out;
}
