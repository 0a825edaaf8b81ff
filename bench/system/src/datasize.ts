import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { CATALOG, type PublicApi } from '../../../e2e/harness/http-api.js';
import { type Figures, figuresOf } from './stats.js';

export interface DataSize {
  categories: number;
  products: number;
}

/**
 * Catalog read cost against data size: a tree of about `categories` categories (one new root,
 * 10 children, the rest spread evenly two levels below) and `products` products over its leaves,
 * written straight into the catalog's schema (seeding 200k products through the API would take
 * longer than the whole benchmark). Then each read is timed once per distinct subtree, from a
 * single client with a bearer token, so neither the gateway's micro-cache nor the catalog's Redis
 * cache answers it: every figure is the cost of computing one page from the database.
 */
export async function measureDataSize(
  catalogDb: { url: string; schema: string },
  api: PublicApi,
  size: DataSize,
  samples: number,
): Promise<{ size: DataSize; totals: Record<string, number>; reads: Figures[] }> {
  const pool = new Pool({ connectionString: catalogDb.url, max: 2, options: `-c search_path=${catalogDb.schema}` });
  try {
    const { level2, rootId } = await seed(pool, size);
    const [totals] = (
      await pool.query<{ categories: string; products: string }>(
        'select (select count(*) from categories) as categories, (select count(*) from products) as products',
      )
    ).rows;
    const picks = Array.from({ length: samples }, (_, i) => level2[(i * 7919) % level2.length]!);
    const reads: Figures[] = [];
    const timeEach = async (name: string, messages: object[], method: string) => {
      const latencies: number[] = [];
      let errors = 0;
      const started = Date.now();
      for (const message of messages) {
        const t0 = performance.now();
        try {
          await api.get(CATALOG, method, message as never);
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
      reads.push(figuresOf(name, latencies, errors, (Date.now() - started) / 1000));
    };
    await timeEach(
      'ListProducts (subtree page of 20)',
      picks.map((id) => ({ categoryId: id, includeDescendants: true, pageSize: 20 })),
      'ListProducts',
    );
    await timeEach(
      'GetCategoryTree (subtree)',
      picks.map((id) => ({ rootId: id })),
      'GetCategoryTree',
    );
    await timeEach(
      'GetCategoryStats (subtree)',
      picks.map((id) => ({ id })),
      'GetCategoryStats',
    );
    await timeEach(
      'ListProducts (whole tree, page of 20)',
      [{ categoryId: rootId, includeDescendants: true, pageSize: 20 }],
      'ListProducts',
    );
    return { size, totals: { categories: Number(totals!.categories), products: Number(totals!.products) }, reads };
  } finally {
    await pool.end();
  }
}

async function seed(pool: Pool, size: DataSize): Promise<{ rootId: string; level2: string[] }> {
  const tag = randomUUID().slice(0, 8);
  const rootId = randomUUID();
  const perLevel1 = Math.max(1, Math.round(Math.sqrt((size.categories - 11) / 10)));
  const perLevel2 = Math.max(1, Math.round((size.categories - 11) / (10 * perLevel1) - 1));
  const c = await pool.connect();
  try {
    await c.query('begin');
    await c.query(
      `insert into categories (id, name, slug, parent_id, path, level) values ($1, 'Size root', 'size-' || $2, null, array[$1::uuid], 0)`,
      [rootId, tag],
    );
    // Level 1, 2 and 3: ids md5(tag, position) so each level can name its parent without a lookup.
    await c.query(
      `insert into categories (id, name, slug, parent_id, path, level)
       select md5($2 || '-1-' || a)::uuid, 'L1 ' || a, 'size-' || $2 || '-1-' || a, $1, array[$1::uuid, md5($2 || '-1-' || a)::uuid], 1
       from generate_series(1, 10) a`,
      [rootId, tag],
    );
    await c.query(
      `insert into categories (id, name, slug, parent_id, path, level)
       select md5($2 || '-2-' || a || '-' || b)::uuid, 'L2 ' || a || '.' || b, 'size-' || $2 || '-2-' || a || '-' || b,
         md5($2 || '-1-' || a)::uuid, array[$1::uuid, md5($2 || '-1-' || a)::uuid, md5($2 || '-2-' || a || '-' || b)::uuid], 2
       from generate_series(1, 10) a, generate_series(1, $3::int) b`,
      [rootId, tag, perLevel1],
    );
    await c.query(
      `insert into categories (id, name, slug, parent_id, path, level)
       select md5($2 || '-3-' || a || '-' || b || '-' || d)::uuid, 'L3 ' || a || '.' || b || '.' || d, 'size-' || $2 || '-3-' || a || '-' || b || '-' || d,
         md5($2 || '-2-' || a || '-' || b)::uuid,
         array[$1::uuid, md5($2 || '-1-' || a)::uuid, md5($2 || '-2-' || a || '-' || b)::uuid, md5($2 || '-3-' || a || '-' || b || '-' || d)::uuid], 3
       from generate_series(1, 10) a, generate_series(1, $3::int) b, generate_series(1, $4::int) d`,
      [rootId, tag, perLevel1, perLevel2],
    );
    const leaves = (
      await c.query<{ id: string }>(`select id from categories where level = 3 and path[1] = $1 order by id`, [rootId])
    ).rows.map((r) => r.id);
    await c.query(
      `insert into products (id, sku, name, description, price_minor, currency_code, category_id, tax_class, stock_on_hand)
       select gen_random_uuid(), 'SIZE-' || $2 || '-' || n, 'Size product ' || n, 'data size benchmark product', 1000 + n % 5000, 'KES',
         ($1::uuid[])[1 + n % cardinality($1::uuid[])], 'standard', 1000
       from generate_series(1, $3::int) n`,
      [leaves, tag, size.products],
    );
    await c.query('commit');
    await c.query('analyze categories');
    await c.query('analyze products');
    const level2 = (
      await c.query<{ id: string }>(`select id from categories where level = 2 and path[1] = $1`, [rootId])
    ).rows.map((r) => r.id);
    return { rootId, level2 };
  } catch (err) {
    await c.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}
