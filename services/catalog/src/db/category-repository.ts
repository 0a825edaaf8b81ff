import {
  type Database,
  type Sql,
  alreadyExists,
  failedPrecondition,
  invalidField,
  notFound,
  pgCode,
  pgConstraint,
  toDate,
} from '@ordersystem/platform';
import { type Category, wouldCreateCycle } from '../domain/category.js';
import type { CategoryStats } from '../domain/money.js';
import type { CategoryRepository } from '../app/ports.js';

interface CategoryRow {
  id: string;
  name: string;
  slug: string;
  parent_id: string | null;
  level: number;
  sort_order: number;
  created_at: string;
  updated_at: string;
}

// The path is deliberately not selected: at depth 100 it is 100 uuids per row, and reads never need it.
const COLUMNS = 'c.id, c.name, c.slug, c.parent_id, c.level, c.sort_order, c.created_at, c.updated_at';
const ORDER = 'order by c.level, c.sort_order, c.name, c.id';
// Creates share the lock, moves and deletes take it exclusively: a move never races a new child
// under the subtree it rewrites, nor another move that would close a cycle.
const TREE_LOCK = "hashtext('catalog.category_tree')";

const toCategory = (r: CategoryRow): Category => ({
  id: r.id,
  name: r.name,
  slug: r.slug,
  parentId: r.parent_id,
  level: r.level,
  sortOrder: r.sort_order,
  createdAt: toDate(r.created_at),
  updatedAt: toDate(r.updated_at),
});

function slugTaken(err: unknown): boolean {
  return pgCode(err) === '23505' && pgConstraint(err) === 'categories_slug_key';
}

/** The category tree on PostgreSQL, as an adjacency list plus a materialized uuid[] path. */
export function createCategoryRepository(db: Database): CategoryRepository {
  const one = async (q: Sql, sql: string, params: unknown[]) => (await q.query<CategoryRow>(sql, params))[0];

  return {
    async create(input) {
      try {
        return await db.transaction(async (tx) => {
          await tx.query(`select pg_advisory_xact_lock_shared(${TREE_LOCK})`);
          // One insert computes path and level from the parent row; no row means the parent is unknown.
          const row = await one(
            tx,
            `
            insert into categories as c (id, name, slug, parent_id, path, level, sort_order)
            select $1, $2, $3, p.id, coalesce(p.path, '{}') || $1::uuid, coalesce(p.level + 1, 0), $5
            from (select 1) one left join categories p on p.id = $4::uuid
            where $4::uuid is null or p.id is not null
            returning ${COLUMNS}`,
            [input.id, input.name, input.slug, input.parentId, input.sortOrder],
          );
          if (!row) throw invalidField('parent_id', 'no such category');
          return toCategory(row);
        });
      } catch (err) {
        if (slugTaken(err)) throw alreadyExists(`slug ${input.slug} is taken`, 'slug');
        throw err;
      }
    },

    async update(id, patch) {
      const row = await one(
        db,
        `
        update categories c set name = coalesce($2, name), sort_order = coalesce($3, sort_order), updated_at = now()
        where id = $1 returning ${COLUMNS}`,
        [id, patch.name ?? null, patch.sortOrder ?? null],
      );
      return row && toCategory(row);
    },

    move: (id, newParentId) => db.transaction(async (tx) => moveSubtree(tx, id, newParentId)),

    async delete(id) {
      try {
        await db.transaction(async (tx) => {
          await tx.query(`select pg_advisory_xact_lock(${TREE_LOCK})`);
          const [r] = await tx.query<{ found: boolean; children: boolean; products: boolean }>(
            `
            select exists (select 1 from categories where id = $1) as found,
                   exists (select 1 from categories where parent_id = $1) as children,
                   exists (select 1 from products where category_id = $1) as products`,
            [id],
          );
          if (!r?.found) throw notFound('category');
          if (r.children) throw failedPrecondition('category still has child categories', 'id');
          if (r.products) throw failedPrecondition('category still has products', 'id');
          await tx.query('delete from categories where id = $1', [id]);
        });
      } catch (err) {
        // A product or child added concurrently still blocks the delete through the foreign key.
        if (pgCode(err) === '23503') throw failedPrecondition('category still has children or products', 'id');
        throw err;
      }
    },

    get: async (id) => {
      const row = await one(db, `select ${COLUMNS} from categories c where id = $1`, [id]);
      return row && toCategory(row);
    },

    async subtree(rootId, maxDepth) {
      if (rootId === undefined) {
        const rows = await db.query<CategoryRow>(
          `select ${COLUMNS} from categories c where $1::int is null or c.level <= $1 ${ORDER}`,
          [maxDepth ?? null],
        );
        return rows.map(toCategory);
      }
      const rows = await db.query<CategoryRow>(
        `
        select ${COLUMNS} from categories r join categories c on c.path @> array[r.id]
        where r.id = $1 and ($2::int is null or c.level <= r.level + $2) ${ORDER}`,
        [rootId, maxDepth ?? null],
      );
      return rows.length === 0 ? undefined : rows.map(toCategory);
    },

    async pathOf(id) {
      const rows = await db.query<CategoryRow>(
        `
        select ${COLUMNS} from categories c
        where c.id = any((select path from categories where id = $1::uuid)::uuid[]) order by c.level`,
        [id],
      );
      return rows.length === 0 ? undefined : rows.map(toCategory);
    },

    async descendants(id, maxDepth) {
      // The node itself comes back too (level-ordered first) so that "unknown" and "leaf" differ in one statement.
      const rows = await db.query<CategoryRow>(
        `
        select ${COLUMNS} from categories r join categories c on c.path @> array[r.id]
        where r.id = $1 and ($2::int is null or c.level <= r.level + $2) ${ORDER}`,
        [id, maxDepth ?? null],
      );
      return rows.length === 0 ? undefined : rows.map(toCategory).filter((c) => c.id !== id);
    },

    async stats(id, currency) {
      const [r] = await db.query<{ n: string; min: string | null; max: string | null; avg: string | null }>(
        `
        select s.n::text, s.min::text, s.max::text, s.avg::text
        from categories r cross join lateral (
          select count(*) as n, min(p.price_minor) as min, max(p.price_minor) as max,
                 round(avg(p.price_minor::numeric)) as avg
          from categories c join products p on p.category_id = c.id and p.active
          where c.path @> array[r.id]) s
        where r.id = $1`,
        [id],
      );
      if (!r) return undefined;
      const big = (v: string | null) => (v === null ? undefined : BigInt(v));
      const stats: CategoryStats = {
        categoryId: id,
        activeProductCount: BigInt(r.n),
        currencyCode: currency,
        minPriceMinor: big(r.min),
        maxPriceMinor: big(r.max),
        averagePriceMinor: big(r.avg),
      };
      return stats;
    },
  };
}

async function moveSubtree(tx: Sql, id: string, newParentId: string | null): Promise<Category> {
  await tx.query(`select pg_advisory_xact_lock(${TREE_LOCK})`);
  const [node] = await tx.query<{ level: number }>('select level from categories where id = $1 for update', [id]);
  if (!node) throw notFound('category');
  let parentPath: string[] = [];
  if (newParentId !== null) {
    const [parent] = await tx.query<{ path: string[] }>(
      'select path::text[] as path from categories where id = $1 for share',
      [newParentId],
    );
    if (!parent) throw invalidField('new_parent_id', 'no such category');
    parentPath = parent.path;
  }
  if (newParentId === id || wouldCreateCycle(id, parentPath)) {
    throw failedPrecondition('a category cannot move under itself or its own descendants', 'new_parent_id');
  }
  // One statement rewrites the path prefix and level of the whole subtree; path[level+1] is the moved node.
  const rows = await tx.query<CategoryRow>(
    `
    update categories c set
      path = $2::uuid[] || c.path[$3::int + 1:],
      level = c.level + ($4::int - $3::int),
      parent_id = case when c.id = $1 then $5::uuid else c.parent_id end,
      updated_at = case when c.id = $1 then now() else c.updated_at end
    where c.path @> array[$1::uuid]
    returning ${COLUMNS}`,
    [id, parentPath, node.level, parentPath.length, newParentId],
  );
  return toCategory(rows.find((r) => r.id === id)!);
}
