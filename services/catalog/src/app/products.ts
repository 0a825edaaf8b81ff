import { createHash, randomUUID } from 'node:crypto';
import {
  type FieldViolation,
  Violations,
  alreadyExists,
  invalidArgument,
  invalidField,
  notFound,
} from '@ordersystem/platform';
import { isUuid } from '../domain/category.js';
import {
  type Product,
  type ProductInput,
  type ProductPatch,
  type ProductRules,
  checkPatch,
  checkProductInput,
} from '../domain/product.js';
import { type ProductQueryInput, encodeCursor, parseProductQuery } from '../domain/product-query.js';
import type { CacheScope, ProductRepository, ReadCache } from './ports.js';

export const MAX_BULK = 1000;

const writeScopes = (ids: readonly string[]): CacheScope[] => [
  { family: 'stats' },
  { family: 'list' },
  ...ids.map((id) => ({ family: 'product' as const, id })),
];

/** Product use cases: validation, caching and invalidation around the repository. */
export function createProductUseCases(repo: ProductRepository, cache: ReadCache, rules: ProductRules) {
  /** Validates every row, then checks SKUs and categories against the database, collecting all violations. */
  async function checkRows(inputs: readonly ProductInput[], prefix: (i: number) => string): Promise<FieldViolation[]> {
    const list: FieldViolation[] = [];
    const v = { add: (field: string, description: string) => list.push({ field, description }) };
    inputs.forEach((input, i) => checkProductInput(v, prefix(i), input, rules));
    const firstIndex = new Map<string, number>();
    inputs.forEach((input, i) => {
      const first = firstIndex.get(input.sku);
      if (first === undefined) firstIndex.set(input.sku, i);
      else v.add(`${prefix(i)}sku`, `duplicates ${prefix(first)}sku in this request`);
    });
    const validIds = [...new Set(inputs.map((p) => p.categoryId).filter(isUuid))];
    const { takenSkus, knownCategories } = await repo.findConflicts(
      inputs.map((p) => p.sku),
      validIds,
    );
    inputs.forEach((input, i) => {
      if (takenSkus.has(input.sku)) v.add(`${prefix(i)}sku`, 'is already taken');
      if (isUuid(input.categoryId) && !knownCategories.has(input.categoryId.toLowerCase()))
        v.add(`${prefix(i)}category_id`, 'no such category');
    });
    return list;
  }

  return {
    async create(input: ProductInput): Promise<Product> {
      const list = await checkRows([input], () => 'product.');
      // A taken SKU alone is a conflict, not bad input.
      if (list.length === 1 && list[0]!.description === 'is already taken')
        throw alreadyExists(`sku ${input.sku} is taken`, 'product.sku');
      if (list.length > 0) throw invalidArgument(list);
      const [created] = await repo.insert([{ ...input, id: randomUUID(), name: input.name.trim() }]);
      await cache.invalidate(writeScopes([created!.id]));
      return created!;
    },

    async bulkCreate(inputs: readonly ProductInput[]): Promise<Product[]> {
      if (inputs.length === 0) throw invalidField('products', 'must not be empty');
      if (inputs.length > MAX_BULK) throw invalidField('products', `must have at most ${MAX_BULK} entries`);
      const list = await checkRows(inputs, (i) => `products[${i}].`);
      if (list.length > 0) throw invalidArgument(list);
      const created = await repo.insert(inputs.map((p) => ({ ...p, id: randomUUID(), name: p.name.trim() })));
      await cache.invalidate(writeScopes(created.map((p) => p.id)));
      return created;
    },

    async update(id: string, patch: ProductPatch): Promise<Product> {
      const v = new Violations();
      if (!isUuid(id)) v.add('id', 'must be a UUID');
      checkPatch(v, '', patch, rules);
      v.throwIfAny();
      const updated = await repo.update(id, { ...patch, name: patch.name?.trim() });
      if (!updated) throw notFound('product');
      await cache.invalidate(writeScopes([id]));
      return updated;
    },

    deactivate(id: string): Promise<Product> {
      return this.update(id, { active: false });
    },

    async get(id: string): Promise<Product> {
      if (!isUuid(id)) throw invalidField('id', 'must be a UUID');
      const product = await cache.read({ family: 'product', id }, id, () => repo.get(id));
      if (!product) throw notFound('product');
      return product;
    },

    async list(input: ProductQueryInput): Promise<{ products: Product[]; nextPageToken: string }> {
      const query = parseProductQuery(input);
      const key = createHash('sha256')
        .update(JSON.stringify(input, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)))
        .digest('base64url');
      const page = await cache.read({ family: 'list' }, key, () => repo.list(query));
      const more = page.products.length > query.pageSize;
      const products = page.products.slice(0, query.pageSize);
      const last = products.length - 1;
      const nextPageToken = more
        ? encodeCursor({
            sort: query.sort,
            key: page.sortKeys[last]!,
            id: products[last]!.id,
            filters: query.fingerprint,
          })
        : '';
      return { products, nextPageToken };
    },
  };
}

export type ProductUseCases = ReturnType<typeof createProductUseCases>;
