import { Violations, invalidField } from '@ordersystem/platform/errors';
import { isUuid } from './category.js';

export type ProductSortKey = 'relevance' | 'name' | 'price_asc' | 'price_desc' | 'newest';

/** The filters a listing request and its validated query have in common. */
export interface ProductFilters {
  categoryId?: string;
  includeDescendants: boolean;
  minPriceMinor?: bigint;
  maxPriceMinor?: bigint;
  inStockOnly: boolean;
  text: string;
}

/** Filters, order and page of a product listing, validated. */
export interface ProductQuery extends ProductFilters {
  sort: ProductSortKey;
  /** filterFingerprint of this query, carried by its cursors. */
  fingerprint: string;
  pageSize: number;
  after?: Cursor;
  fields?: ReadonlySet<ProductField>;
}

/** Position after the last row of a page: its sort key (as PostgreSQL text) and id, bound to the query's filters. */
export interface Cursor {
  sort: ProductSortKey;
  key: string;
  id: string;
  /** Fingerprint of the filters the cursor was minted for; a token reused with other filters is refused. */
  filters: string;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export const PRODUCT_FIELDS = [
  'id',
  'sku',
  'name',
  'description',
  'price',
  'category_id',
  'tax_class',
  'stock_on_hand',
  'stock_available',
  'active',
  'created_at',
  'updated_at',
] as const;
export type ProductField = (typeof PRODUCT_FIELDS)[number];

/** Encodes a cursor as opaque base64url JSON. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ s: cursor.sort, k: cursor.key, i: cursor.id, f: cursor.filters })).toString(
    'base64url',
  );
}

/** A short FNV-1a fingerprint of everything that selects rows (not the page size or field mask). */
export function filterFingerprint(
  q: Pick<
    ProductQuery,
    'categoryId' | 'includeDescendants' | 'minPriceMinor' | 'maxPriceMinor' | 'inStockOnly' | 'text'
  >,
): string {
  const text = JSON.stringify([
    q.categoryId?.toLowerCase() ?? null,
    q.includeDescendants,
    q.minPriceMinor?.toString() ?? null,
    q.maxPriceMinor?.toString() ?? null,
    q.inStockOnly,
    q.text,
  ]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/** Decodes a page token, or throws invalid_argument on `page_token` when it is malformed or minted for another query. */
export function decodeCursor(token: string, sort: ProductSortKey, filters: string): Cursor {
  const bad = () => invalidField('page_token', 'is not a valid page token for this query');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (typeof parsed !== 'object' || parsed === null) throw bad();
  const { s, k, i, f } = parsed as Record<string, unknown>;
  if (s !== sort || f !== filters || typeof k !== 'string' || typeof i !== 'string' || !isUuid(i) || k.length > 64)
    throw bad();
  if (!validKey(sort, k)) throw bad();
  return { sort, key: k, id: i, filters };
}

// The key is cast to a SQL type later; checking its shape here turns a bad token into invalid_argument, not internal.
function validKey(sort: ProductSortKey, key: string): boolean {
  if (sort === 'price_asc' || sort === 'price_desc') return /^\d{1,19}$/.test(key);
  if (sort === 'relevance') return /^[0-9.e+-]{1,32}$/i.test(key) && Number.isFinite(Number(key));
  if (sort === 'newest') return !Number.isNaN(Date.parse(key));
  return true;
}

/** Raw request fields before validation. */
export interface ProductQueryInput extends ProductFilters {
  sort: ProductSortKey | 'default';
  pageSize: number;
  pageToken: string;
  fieldMask?: readonly string[];
}

/** Validates a listing request; throws invalid_argument naming every bad field. */
export function parseProductQuery(input: ProductQueryInput): ProductQuery {
  const v = new Violations();
  if (input.categoryId !== undefined && !isUuid(input.categoryId)) v.add('category_id', 'must be a UUID');
  if (input.minPriceMinor !== undefined && input.minPriceMinor < 0n) v.add('min_price_minor', 'must not be negative');
  if (input.maxPriceMinor !== undefined && input.maxPriceMinor < 0n) v.add('max_price_minor', 'must not be negative');
  if (
    input.minPriceMinor !== undefined &&
    input.maxPriceMinor !== undefined &&
    input.minPriceMinor > input.maxPriceMinor
  ) {
    v.add('max_price_minor', 'must not be below min_price_minor');
  }
  if (input.pageSize > MAX_PAGE_SIZE) v.add('page_size', `must be at most ${MAX_PAGE_SIZE}`);
  if (input.text.length > 500) v.add('query', 'must be at most 500 characters');
  const unknown = (input.fieldMask ?? []).filter((p) => !(PRODUCT_FIELDS as readonly string[]).includes(p));
  if (unknown.length > 0) v.add('field_mask', `unknown paths: ${unknown.join(', ')}`);
  v.throwIfAny();
  const text = input.text.trim();
  const sort: ProductSortKey = input.sort === 'default' ? (text ? 'relevance' : 'name') : input.sort;
  const filters = {
    categoryId: input.categoryId,
    includeDescendants: input.includeDescendants,
    minPriceMinor: input.minPriceMinor,
    maxPriceMinor: input.maxPriceMinor,
    inStockOnly: input.inStockOnly,
    text,
  };
  const fingerprint = filterFingerprint(filters);
  return {
    ...filters,
    sort,
    fingerprint,
    pageSize: input.pageSize === 0 ? DEFAULT_PAGE_SIZE : input.pageSize,
    after: input.pageToken ? decodeCursor(input.pageToken, sort, fingerprint) : undefined,
    fields: input.fieldMask && input.fieldMask.length > 0 ? new Set(input.fieldMask as ProductField[]) : undefined,
  };
}
