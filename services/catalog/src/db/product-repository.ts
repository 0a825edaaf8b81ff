import {
  type Database,
  alreadyExists,
  failedPrecondition,
  invalidField,
  pgCode,
  pgConstraint,
} from '@ordersystem/platform';
import type { ProductQuery } from '../domain/product-query.js';
import type { ProductRepository } from '../app/ports.js';
import { buildListQuery } from './product-list-sql.js';
import { PRODUCT_COLUMNS, type ProductRow, toProduct } from './product-row.js';

/** Maps constraint failures that validation cannot rule out (concurrent writers) to client errors. */
function mapWriteError(err: unknown, prefix: string): unknown {
  const code = pgCode(err);
  if (code === '23505' && pgConstraint(err) === 'products_sku_key')
    return alreadyExists('sku is taken', `${prefix}sku`);
  if (code === '23503') return invalidField(`${prefix}category_id`, 'no such category');
  if (code === '23514' && pgConstraint(err) === 'products_no_oversell') {
    return failedPrecondition('stock on hand cannot drop below the reserved units', `${prefix}stock_on_hand`);
  }
  return err;
}

/** Products on PostgreSQL. */
export function createProductRepository(db: Database): ProductRepository {
  return {
    async findConflicts(skus, categoryIds) {
      const [r] = await db.query<{ skus: string[]; categories: string[] }>(
        `
        select array(select sku from products where sku = any($1::text[])) as skus,
               array(select id::text from categories where id = any($2::uuid[])) as categories`,
        [skus, categoryIds],
      );
      return { takenSkus: new Set(r?.skus ?? []), knownCategories: new Set(r?.categories ?? []) };
    },

    async insert(rows) {
      const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
      try {
        const inserted = await db.query<ProductRow>(
          `
          insert into products as p (id, sku, name, description, price_minor, currency_code, category_id, tax_class, stock_on_hand, active)
          select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::uuid[], $8::text[], $9::bigint[], $10::bool[])
          returning ${PRODUCT_COLUMNS}`,
          [
            col('id'),
            col('sku'),
            col('name'),
            col('description'),
            rows.map((r) => r.price!.amountMinor.toString()),
            rows.map((r) => r.price!.currencyCode),
            col('categoryId'),
            col('taxClass'),
            rows.map((r) => r.stockOnHand.toString()),
            col('active'),
          ],
        );
        const byId = new Map(inserted.map((r) => [r.id, toProduct(r)]));
        return rows.map((r) => byId.get(r.id)!);
      } catch (err) {
        throw mapWriteError(err, rows.length === 1 ? 'product.' : 'products.');
      }
    },

    async update(id, patch) {
      try {
        const [row] = await db.query<ProductRow>(
          `
          update products p set name = coalesce($2, name), description = coalesce($3, description),
            price_minor = coalesce($4::bigint, price_minor), category_id = coalesce($5::uuid, category_id),
            tax_class = coalesce($6, tax_class), stock_on_hand = coalesce($7::bigint, stock_on_hand),
            active = coalesce($8::bool, active), updated_at = now()
          where id = $1 returning ${PRODUCT_COLUMNS}`,
          [
            id,
            patch.name ?? null,
            patch.description ?? null,
            patch.price?.amountMinor.toString() ?? null,
            patch.categoryId ?? null,
            patch.taxClass ?? null,
            patch.stockOnHand?.toString() ?? null,
            patch.active ?? null,
          ],
        );
        return row && toProduct(row);
      } catch (err) {
        throw mapWriteError(err, '');
      }
    },

    async get(id) {
      const [row] = await db.query<ProductRow>(`select ${PRODUCT_COLUMNS} from products p where id = $1`, [id]);
      return row && toProduct(row);
    },

    async list(query: ProductQuery) {
      const { text, params } = buildListQuery(query);
      const rows = await db.query<ProductRow & { sort_key: string }>(text, params);
      return { products: rows.map(toProduct), sortKeys: rows.map((r) => r.sort_key) };
    },
  };
}
