import type { Category } from '../../src/domain/category';
import type { Product } from '../../src/domain/product';
import type { Reservation } from '../../src/domain/reservation';

/** A category as the table holds it: with its materialized path (ancestor ids root first, self last). */
export type StoredCategory = Category & { path: string[] };

/** A product row: `reserved` is the column that `stockAvailable` is derived from. */
export type StoredProduct = Omit<Product, 'stockAvailable'> & { reserved: bigint };

/**
 * The tables of the catalog schema as plain maps, shared by the in-memory repositories so that,
 * like the real ones, categories see their products and reservations move product stock.
 */
export interface MemoryCatalogStore {
  categories: Map<string, StoredCategory>;
  products: Map<string, StoredProduct>;
  reservations: Map<string, Reservation>;
}

export const createMemoryCatalogStore = (): MemoryCatalogStore => ({
  categories: new Map(),
  products: new Map(),
  reservations: new Map(),
});

/** Code-point order, which is PostgreSQL's for uuids and for the ASCII names tests use. */
export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function toProduct(p: StoredProduct): Product {
  const { reserved, ...rest } = p;
  return { ...rest, stockAvailable: p.stockOnHand - reserved };
}

/** A copy, so callers can never change the store through a returned object (the database hands out fresh rows too). */
export function toCategory(c: StoredCategory): Category {
  const { path: _path, ...category } = c;
  return { ...category };
}
