import { toDate } from '@ordersystem/platform';
import type { Product } from '../domain/product.js';

/** A products row as selected by PRODUCT_COLUMNS (int8 as text, timestamps as text). */
export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  price_minor: string;
  currency_code: string;
  category_id: string;
  tax_class: string;
  stock_on_hand: string;
  stock_available: string;
  active: boolean;
  created_at: string;
  updated_at: string;
}

export const PRODUCT_COLUMNS = `p.id, p.sku, p.name, p.description, p.price_minor::text as price_minor, p.currency_code,
  p.category_id, p.tax_class, p.stock_on_hand::text as stock_on_hand,
  (p.stock_on_hand - p.reserved)::text as stock_available, p.active, p.created_at, p.updated_at`;

export const toProduct = (r: ProductRow): Product => ({
  id: r.id,
  sku: r.sku,
  name: r.name,
  description: r.description,
  priceMinor: BigInt(r.price_minor),
  currencyCode: r.currency_code,
  categoryId: r.category_id,
  taxClass: r.tax_class,
  stockOnHand: BigInt(r.stock_on_hand),
  stockAvailable: BigInt(r.stock_available),
  active: r.active,
  createdAt: toDate(r.created_at),
  updatedAt: toDate(r.updated_at),
});
