import { alreadyExists, failedPrecondition, invalidField } from '@ordersystem/platform';
import type { ProductRepository } from '../../src/app/ports';
import type { ProductQuery } from '../../src/domain/product-query';
import { type MemoryCatalogStore, type StoredProduct, compare, toProduct } from './catalog-store';

/** Sort value and comparison per sort; `key` is what the cursor carries (PostgreSQL's text of the value). */
interface Sort {
  key: (p: StoredProduct) => string;
  cmp: (a: string, b: string) => number;
  desc: boolean;
}

const byBigInt = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
const byDate = (a: string, b: string) => Date.parse(a) - Date.parse(b);

/** A crude stand-in for ts_rank: how many of the query words the name, SKU (weight 1) and description (0.4) contain. */
function rank(p: StoredProduct, words: readonly string[]): number {
  const a = `${p.name} ${p.sku}`.toLowerCase();
  const b = p.description.toLowerCase();
  return words.reduce((sum, w) => sum + (a.includes(w) ? 1 : 0) + (b.includes(w) ? 0.4 : 0), 0);
}

function sortOf(q: ProductQuery, words: readonly string[]): Sort {
  switch (q.sort) {
    case 'name':
      return { key: (p) => p.name, cmp: compare, desc: false };
    case 'price_asc':
      return { key: (p) => p.priceMinor.toString(), cmp: byBigInt, desc: false };
    case 'price_desc':
      return { key: (p) => p.priceMinor.toString(), cmp: byBigInt, desc: true };
    case 'newest':
      return { key: (p) => p.createdAt.toISOString(), cmp: byDate, desc: true };
    case 'relevance':
      return { key: (p) => String(rank(p, words)), cmp: (a, b) => Number(a) - Number(b), desc: true };
  }
}

/** The product repository port over in-memory maps (for the fast routes tests). */
export function createMemoryProductRepository(store: MemoryCatalogStore): ProductRepository {
  const { categories, products } = store;

  const matches = (q: ProductQuery, words: readonly string[]) => (p: StoredProduct) => {
    if (!p.active) return false;
    if (q.categoryId !== undefined) {
      const category = q.categoryId.toLowerCase();
      if (q.includeDescendants ? !categories.get(p.categoryId)?.path.includes(category) : p.categoryId !== category)
        return false;
    }
    if (q.minPriceMinor !== undefined && p.priceMinor < q.minPriceMinor) return false;
    if (q.maxPriceMinor !== undefined && p.priceMinor > q.maxPriceMinor) return false;
    if (q.inStockOnly && p.stockOnHand - p.reserved <= 0n) return false;
    const text = `${p.name} ${p.sku} ${p.description}`.toLowerCase();
    return words.every((w) => text.includes(w));
  };

  return {
    async findConflicts(skus, categoryIds) {
      const taken = new Set([...products.values()].map((p) => p.sku));
      return {
        takenSkus: new Set(skus.filter((s) => taken.has(s))),
        knownCategories: new Set(categoryIds.map((id) => id.toLowerCase()).filter((id) => categories.has(id))),
      };
    },

    async insert(rows) {
      const prefix = rows.length === 1 ? 'product.' : 'products.';
      const skus = new Set([...products.values()].map((p) => p.sku));
      for (const r of rows) {
        if (skus.has(r.sku)) throw alreadyExists('sku is taken', `${prefix}sku`);
        skus.add(r.sku);
        if (!categories.has(r.categoryId.toLowerCase())) throw invalidField(`${prefix}category_id`, 'no such category');
      }
      const now = new Date();
      const stored = rows.map((r): StoredProduct => ({
        id: r.id,
        sku: r.sku,
        name: r.name,
        description: r.description,
        priceMinor: r.price!.amountMinor,
        currencyCode: r.price!.currencyCode,
        categoryId: r.categoryId.toLowerCase(),
        taxClass: r.taxClass,
        stockOnHand: r.stockOnHand,
        reserved: 0n,
        active: r.active,
        createdAt: now,
        updatedAt: now,
      }));
      for (const p of stored) products.set(p.id, p);
      return stored.map(toProduct);
    },

    async update(id, patch) {
      const p = products.get(id.toLowerCase());
      if (!p) return undefined;
      if (patch.categoryId !== undefined && !categories.has(patch.categoryId.toLowerCase()))
        throw invalidField('category_id', 'no such category');
      if (patch.stockOnHand !== undefined && patch.stockOnHand < p.reserved) {
        throw failedPrecondition('stock on hand cannot drop below the reserved units', 'stock_on_hand');
      }
      Object.assign(p, {
        name: patch.name ?? p.name,
        description: patch.description ?? p.description,
        priceMinor: patch.price?.amountMinor ?? p.priceMinor,
        categoryId: patch.categoryId?.toLowerCase() ?? p.categoryId,
        taxClass: patch.taxClass ?? p.taxClass,
        stockOnHand: patch.stockOnHand ?? p.stockOnHand,
        active: patch.active ?? p.active,
        updatedAt: new Date(),
      });
      return toProduct(p);
    },

    get: async (id) => {
      const p = products.get(id.toLowerCase());
      return p && toProduct(p);
    },

    async list(q) {
      const words = q.text.toLowerCase().split(/\s+/).filter(Boolean);
      const sort = sortOf(q, words);
      const dir = sort.desc ? -1 : 1;
      const order = (a: { key: string; id: string }, b: { key: string; id: string }) =>
        dir * (sort.cmp(a.key, b.key) || compare(a.id, b.id));
      const page = [...products.values()]
        .filter(matches(q, words))
        .map((p) => ({ p, key: sort.key(p), id: p.id }))
        .filter((row) => !q.after || order(row, q.after) > 0)
        .sort(order)
        .slice(0, q.pageSize + 1);
      return { products: page.map((row) => toProduct(row.p)), sortKeys: page.map((row) => row.key) };
    },
  };
}
