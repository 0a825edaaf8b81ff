import { alreadyExists, failedPrecondition, invalidField, notFound } from '@ordersystem/platform';
import type { CategoryRepository } from '../../src/app/ports';
import { type Category, wouldCreateCycle } from '../../src/domain/category';
import { averageMinor } from '../../src/domain/money';
import { type MemoryCatalogStore, type StoredCategory, compare, toCategory } from './catalog-store';

/** Level first, then sort order, name and id: the repository's ORDER BY. */
const treeOrder = (a: Category, b: Category) =>
  a.level - b.level || a.sortOrder - b.sortOrder || compare(a.name, b.name) || compare(a.id, b.id);

/** The category repository port over in-memory maps; checked by the same contract suite as the PostgreSQL one. */
export function createMemoryCategoryRepository(store: MemoryCatalogStore): CategoryRepository {
  const { categories, products } = store;
  const subtreeOf = (root: StoredCategory, maxDepth: number | undefined) =>
    [...categories.values()]
      .filter((c) => c.path.includes(root.id) && (maxDepth === undefined || c.level <= root.level + maxDepth))
      .sort(treeOrder);

  return {
    async create(input) {
      const parent = input.parentId === null ? undefined : categories.get(input.parentId.toLowerCase());
      if (input.parentId !== null && !parent) throw invalidField('parent_id', 'no such category');
      if ([...categories.values()].some((c) => c.slug === input.slug))
        throw alreadyExists(`slug ${input.slug} is taken`, 'slug');
      const now = new Date();
      const id = input.id.toLowerCase();
      const row: StoredCategory = {
        id,
        name: input.name,
        slug: input.slug,
        parentId: parent?.id ?? null,
        level: parent ? parent.level + 1 : 0,
        sortOrder: input.sortOrder,
        createdAt: now,
        updatedAt: now,
        path: [...(parent?.path ?? []), id],
      };
      categories.set(id, row);
      return toCategory(row);
    },

    async update(id, patch) {
      const row = categories.get(id.toLowerCase());
      if (!row) return undefined;
      Object.assign(row, {
        name: patch.name ?? row.name,
        sortOrder: patch.sortOrder ?? row.sortOrder,
        updatedAt: new Date(),
      });
      return toCategory(row);
    },

    async move(id, newParentId) {
      const node = categories.get(id.toLowerCase());
      if (!node) throw notFound('category');
      const parent = newParentId === null ? undefined : categories.get(newParentId.toLowerCase());
      if (newParentId !== null && !parent) throw invalidField('new_parent_id', 'no such category');
      const parentPath = parent?.path ?? [];
      if (parent?.id === node.id || wouldCreateCycle(node.id, parentPath)) {
        throw failedPrecondition('a category cannot move under itself or its own descendants', 'new_parent_id');
      }
      const oldLevel = node.level;
      for (const c of subtreeOf(node, undefined)) {
        c.path = [...parentPath, ...c.path.slice(oldLevel)];
        c.level = c.path.length - 1;
      }
      Object.assign(node, { parentId: parent?.id ?? null, updatedAt: new Date() });
      return toCategory(node);
    },

    async delete(id) {
      const key = id.toLowerCase();
      if (!categories.has(key)) throw notFound('category');
      if ([...categories.values()].some((c) => c.parentId === key))
        throw failedPrecondition('category still has child categories', 'id');
      if ([...products.values()].some((p) => p.categoryId === key))
        throw failedPrecondition('category still has products', 'id');
      categories.delete(key);
    },

    get: async (id) => {
      const row = categories.get(id.toLowerCase());
      return row && toCategory(row);
    },

    async subtree(rootId, maxDepth) {
      if (rootId === undefined) {
        return [...categories.values()]
          .filter((c) => maxDepth === undefined || c.level <= maxDepth)
          .sort(treeOrder)
          .map(toCategory);
      }
      const root = categories.get(rootId.toLowerCase());
      return root && subtreeOf(root, maxDepth).map(toCategory);
    },

    async pathOf(id) {
      const row = categories.get(id.toLowerCase());
      return row?.path.map((ancestor) => toCategory(categories.get(ancestor)!));
    },

    async descendants(id, maxDepth) {
      const root = categories.get(id.toLowerCase());
      return (
        root &&
        subtreeOf(root, maxDepth)
          .filter((c) => c.id !== root.id)
          .map(toCategory)
      );
    },

    async stats(id, currency) {
      const root = categories.get(id.toLowerCase());
      if (!root) return undefined;
      const prices = [...products.values()]
        .filter((p) => p.active && categories.get(p.categoryId)?.path.includes(root.id))
        .map((p) => p.priceMinor);
      const sorted = [...prices].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return {
        categoryId: id,
        activeProductCount: BigInt(prices.length),
        currencyCode: currency,
        minPriceMinor: sorted[0],
        maxPriceMinor: sorted.at(-1),
        averagePriceMinor: averageMinor(prices),
      };
    },
  };
}
