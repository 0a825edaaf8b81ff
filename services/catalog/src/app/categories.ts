import { randomUUID } from 'node:crypto';
import { Violations, invalidField, notFound } from '@ordersystem/platform';
import {
  type Category,
  type CategoryNode,
  buildForest,
  checkName,
  isUuid,
  validateNewCategory,
} from '../domain/category.js';
import type { CategoryStats } from '../domain/money.js';
import type { CacheScope, CategoryRepository, ReadCache } from './ports.js';

/** Writes to the tree change the tree itself, stats (subtree membership) and subtree listings. */
const TREE_WRITE: CacheScope[] = [{ family: 'tree' }, { family: 'stats' }, { family: 'list' }];

function requireId(field: string, id: string): void {
  if (!isUuid(id)) throw invalidField(field, 'must be a UUID');
}

/** Category use cases: validation, caching and invalidation around the repository. */
export function createCategoryUseCases(repo: CategoryRepository, cache: ReadCache, currency: string) {
  // While the cache hands back the same rows object (same generation), the nested forest is reused too.
  const forests = new WeakMap<Category[], CategoryNode[]>();
  return {
    async create(input: { name: string; slug: string; parentId: string; sortOrder: number }): Promise<Category> {
      validateNewCategory(input);
      const created = await repo.create({
        id: randomUUID(),
        name: input.name.trim(),
        slug: input.slug,
        parentId: input.parentId || null,
        sortOrder: input.sortOrder,
      });
      await cache.invalidate(TREE_WRITE);
      return created;
    },

    async update(id: string, patch: { name?: string; sortOrder?: number }): Promise<Category> {
      const v = new Violations();
      if (!isUuid(id)) v.add('id', 'must be a UUID');
      if (patch.name !== undefined) checkName(v, 'name', patch.name);
      v.throwIfAny();
      const updated = await repo.update(id, { ...patch, name: patch.name?.trim() });
      if (!updated) throw notFound('category');
      await cache.invalidate(TREE_WRITE);
      return updated;
    },

    async move(id: string, newParentId: string): Promise<Category> {
      const v = new Violations();
      if (!isUuid(id)) v.add('id', 'must be a UUID');
      if (newParentId !== '' && !isUuid(newParentId)) v.add('new_parent_id', 'must be a UUID');
      v.throwIfAny();
      const moved = await repo.move(id, newParentId || null);
      await cache.invalidate(TREE_WRITE);
      return moved;
    },

    async delete(id: string): Promise<void> {
      requireId('id', id);
      await repo.delete(id);
      await cache.invalidate(TREE_WRITE);
    },

    async get(id: string): Promise<Category> {
      requireId('id', id);
      return (await repo.get(id)) ?? Promise.reject(notFound('category'));
    },

    async tree(rootId: string, maxDepth: number | undefined): Promise<CategoryNode[]> {
      if (rootId) requireId('root_id', rootId);
      const rows = await cache.read({ family: 'tree' }, `tree:${rootId}:${maxDepth ?? ''}`, () =>
        repo.subtree(rootId || undefined, maxDepth),
      );
      if (!rows) throw notFound('category');
      let forest = forests.get(rows);
      if (!forest) forests.set(rows, (forest = buildForest(rows)));
      return forest;
    },

    async ancestors(id: string): Promise<Category[]> {
      requireId('id', id);
      const path = await cache.read({ family: 'tree' }, `path:${id}`, () => repo.pathOf(id));
      if (!path) throw notFound('category');
      return path.slice(0, -1);
    },

    async descendants(id: string, maxDepth: number | undefined): Promise<Category[]> {
      requireId('id', id);
      const rows = await cache.read({ family: 'tree' }, `desc:${id}:${maxDepth ?? ''}`, () =>
        repo.descendants(id, maxDepth),
      );
      if (!rows) throw notFound('category');
      return rows;
    },

    async stats(id: string): Promise<CategoryStats> {
      requireId('id', id);
      const stats = await cache.read({ family: 'stats' }, id, () => repo.stats(id, currency));
      if (!stats) throw notFound('category');
      return stats;
    },
  };
}

export type CategoryUseCases = ReturnType<typeof createCategoryUseCases>;
