import { randomUUID } from 'node:crypto';
import { type MikroORM, createSql, migrate, openDatabase } from '@ordersystem/platform';
import { type TestSchema, createTestSchema, infraEnv } from '@ordersystem/testing';
import { type CategoryUseCases, createCategoryUseCases } from '../src/app/categories';
import { noCache } from '../src/clients/redis-cache';
import { createCategoryRepository } from '../src/db/category-repository';
import { migrations } from '../src/db/migrations/index';

/**
 * 10,000 categories: a spine 120 levels deep plus wide fan-out below it, seeded with one bulk
 * INSERT. Every read is counted at the database port to prove it is a single SQL statement.
 */
describe('a 10,000-category tree with depth 120', () => {
  const DEPTH = 120;
  const TOTAL = 10_000;
  let schema: TestSchema;
  let orm: MikroORM;
  let categories: CategoryUseCases;
  let statements: string[] = [];
  const spine: string[] = [];

  beforeAll(async () => {
    schema = await createTestSchema(infraEnv(), 'catalog');
    orm = await openDatabase({ url: schema.url, schema: schema.schema, migrations });
    await migrate(orm);
    const db = createSql(orm, { onQuery: (text) => statements.push(text) });
    categories = createCategoryUseCases(createCategoryRepository(db), noCache, 'KES');
    // Spine: level i is the child of level i-1; the rest hang off spine nodes round-robin (one level below them).
    const ids: string[] = [];
    const parents: (string | null)[] = [];
    for (let i = 0; i < DEPTH; i++) {
      spine.push(randomUUID());
      ids.push(spine[i]!);
      parents.push(i === 0 ? null : spine[i - 1]!);
    }
    for (let i = DEPTH; i < TOTAL; i++) {
      ids.push(randomUUID());
      parents.push(spine[i % DEPTH]!);
    }
    await db.query(
      `
      with recursive input as (
        select * from unnest($1::uuid[], $2::uuid[]) with ordinality as t(id, parent_id, n)
      ), tree as (
        select id, parent_id, n, array[id] as path from input where parent_id is null
        union all
        select i.id, i.parent_id, i.n, t.path || i.id from input i join tree t on i.parent_id = t.id
      )
      insert into categories (id, name, slug, parent_id, path, level, sort_order)
      select id, 'c' || n, 'c-' || n, parent_id, path, cardinality(path) - 1, 0 from tree order by cardinality(path)`,
      [ids, parents],
    );
    const cat = spine[DEPTH - 1]!;
    await db.query(
      `
      insert into products (id, sku, name, price_minor, currency_code, category_id, tax_class, stock_on_hand)
      select gen_random_uuid(), 'SKU-' || g, 'p' || g, g, 'KES', $1, 'standard', 1 from generate_series(1, 5) g`,
      [cat],
    );
    const [count] = await db.query<{ n: string }>('select count(*)::text as n from categories');
    expect(Number(count!.n)).toBe(TOTAL);
  });
  afterAll(async () => {
    await orm?.close();
    await schema?.drop();
  });
  beforeEach(() => {
    statements = [];
  });

  it('reads the whole tree in one statement', async () => {
    const forest = await categories.tree('', undefined);
    expect(statements).toHaveLength(1);
    expect(forest).toHaveLength(1);
    let depth = 0;
    for (let node = forest[0]; node; node = node.children.find((c) => spine.includes(c.category.id)))
      depth = node.category.level;
    expect(depth).toBe(DEPTH - 1);
  });

  it('reads the breadcrumb of the deepest node (120 ancestors) in one statement', async () => {
    const deepestLeaf = (await categories.descendants(spine[DEPTH - 1]!, 1))[0]!;
    statements = [];
    const ancestors = await categories.ancestors(deepestLeaf.id);
    expect(statements).toHaveLength(1);
    expect(ancestors.map((a) => a.id)).toEqual(spine);
    expect(ancestors.map((a) => a.level)).toEqual(spine.map((_, i) => i));
  });

  it('reads all descendants of the root, and a depth-limited subtree, in one statement each', async () => {
    const all = await categories.descendants(spine[0]!, undefined);
    expect(statements).toHaveLength(1);
    expect(all).toHaveLength(TOTAL - 1);
    statements = [];
    const sub = await categories.tree(spine[DEPTH - 10]!, 2);
    expect(statements).toHaveLength(1);
    expect(sub[0]!.category.level).toBe(DEPTH - 10);
    expect(sub[0]!.children.every((c) => c.category.level === DEPTH - 9)).toBe(true);
  });

  it('computes subtree stats in one statement', async () => {
    const stats = await categories.stats(spine[0]!);
    expect(statements).toHaveLength(1);
    expect(stats).toMatchObject({
      activeProductCount: 5n,
      minPriceMinor: 1n,
      maxPriceMinor: 5n,
      averagePriceMinor: 3n,
    });
  });

  it('moves a 100-level-deep subtree in one UPDATE and keeps every level consistent with its path', async () => {
    const moved = await categories.move(spine[20]!, '');
    expect(moved.level).toBe(0);
    expect(statements.filter((s) => /^\s*update categories/i.test(s))).toHaveLength(1);
    const [bad] = await createSql(orm).query<{ n: string }>(`
      select count(*)::text as n from categories c left join categories p on p.id = c.parent_id
      where c.level <> coalesce(p.level + 1, 0) or c.path <> coalesce(p.path, '{}') || c.id`);
    expect(bad!.n).toBe('0');
    await categories.move(spine[20]!, spine[19]!);
  });
});
