import type { ProductQuery, ProductSortKey } from '../domain/product-query.js';
import { PRODUCT_COLUMNS } from './product-row.js';

interface SortSpec {
  expr: string;
  type: string;
  desc: boolean;
}

const sorts = (tsquery: () => string): Record<ProductSortKey, SortSpec> => ({
  name: { expr: 'p.name', type: 'text', desc: false },
  price_asc: { expr: 'p.price_minor', type: 'bigint', desc: false },
  price_desc: { expr: 'p.price_minor', type: 'bigint', desc: true },
  newest: { expr: 'p.created_at', type: 'timestamptz', desc: true },
  get relevance() {
    return { expr: `ts_rank(p.search, ${tsquery()})`, type: 'real', desc: true };
  },
});

/**
 * One keyset-paginated statement for a listing: filters, then `(sort key, id)` strictly after the
 * cursor, fetching one extra row to know whether another page exists.
 */
export function buildListQuery(q: ProductQuery): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  let tsq: string | undefined;
  // Bound once, on first use: PostgreSQL rejects parameters that no expression references.
  const tsquery = () => (tsq ??= `websearch_to_tsquery('english', ${bind(q.text)})`);
  const where = ['p.active'];
  if (q.categoryId !== undefined) {
    where.push(
      q.includeDescendants
        ? `p.category_id in (select c.id from categories c where c.path @> array[${bind(q.categoryId)}::uuid])`
        : `p.category_id = ${bind(q.categoryId)}::uuid`,
    );
  }
  if (q.minPriceMinor !== undefined) where.push(`p.price_minor >= ${bind(q.minPriceMinor.toString())}::bigint`);
  if (q.maxPriceMinor !== undefined) where.push(`p.price_minor <= ${bind(q.maxPriceMinor.toString())}::bigint`);
  if (q.inStockOnly) where.push('p.stock_on_hand - p.reserved > 0');
  if (q.text) where.push(`p.search @@ ${tsquery()}`);
  const sort = sorts(tsquery)[q.sort];
  if (q.after) {
    where.push(
      `(${sort.expr}, p.id) ${sort.desc ? '<' : '>'} (${bind(q.after.key)}::${sort.type}, ${bind(q.after.id)}::uuid)`,
    );
  }
  const dir = sort.desc ? 'desc' : 'asc';
  const text = `
    select ${PRODUCT_COLUMNS}, (${sort.expr})::text as sort_key
    from products p
    where ${where.join(' and ')}
    order by ${sort.expr} ${dir}, p.id ${dir}
    limit ${q.pageSize + 1}`;
  return { text, params };
}
