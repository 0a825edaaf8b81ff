import type { Category, CategoryNode } from '../domain/category.js';
import type { CategoryStats } from '../domain/money.js';
import type { Product, ProductInput, ProductPatch } from '../domain/product.js';
import type { ProductQuery } from '../domain/product-query.js';
import type { Reservation, ReservedItem, SummedLine } from '../domain/reservation.js';

/** Persistence of the category tree. Every read is a single SQL statement. */
export interface CategoryRepository {
  create(input: {
    id: string;
    name: string;
    slug: string;
    parentId: string | null;
    sortOrder: number;
  }): Promise<Category>;
  update(id: string, patch: { name?: string; sortOrder?: number }): Promise<Category | undefined>;
  /** Re-parents `id` and its subtree; refuses cycles with failed_precondition on `new_parent_id`. */
  move(id: string, newParentId: string | null): Promise<Category>;
  /** Deletes a leaf without products; failed_precondition otherwise, not_found when absent. */
  delete(id: string): Promise<void>;
  get(id: string): Promise<Category | undefined>;
  /** The forest, or the subtree under `rootId` (root included), ordered by level; undefined when the root is unknown. */
  subtree(rootId: string | undefined, maxDepth: number | undefined): Promise<Category[] | undefined>;
  /** The node's path root-first, node included; undefined when unknown. */
  pathOf(id: string): Promise<Category[] | undefined>;
  /** Descendants of `id` (excluded) within `maxDepth` levels; undefined when unknown. */
  descendants(id: string, maxDepth: number | undefined): Promise<Category[] | undefined>;
  stats(id: string, currency: string): Promise<CategoryStats | undefined>;
}

/** Persistence of products. */
export interface ProductRepository {
  /** Which of `skus` are already taken and which of `categoryIds` exist (one statement). */
  findConflicts(
    skus: readonly string[],
    categoryIds: readonly string[],
  ): Promise<{ takenSkus: Set<string>; knownCategories: Set<string> }>;
  /** Inserts all rows in one statement (all or nothing); returns them in input order. */
  insert(rows: readonly (ProductInput & { id: string })[]): Promise<Product[]>;
  update(id: string, patch: ProductPatch): Promise<Product | undefined>;
  get(id: string): Promise<Product | undefined>;
  list(query: ProductQuery): Promise<{ products: Product[]; sortKeys: string[] }>;
}

/** Persistence of reservations and the stock counters they move. */
export interface InventoryRepository {
  /** Creates the reservation, or returns the existing one for the order (`created: false`). */
  reserve(
    orderId: string,
    lines: readonly SummedLine[],
    expiresAt: Date,
  ): Promise<{ reservation: Reservation; created: boolean }>;
  /**
   * Takes a released or expired reservation's lines again (all or nothing, like `reserve`) and makes
   * it reserved until `expiresAt`; `created: false` with the stored one when it is neither any more.
   */
  renew(
    orderId: string,
    lines: readonly SummedLine[],
    expiresAt: Date,
  ): Promise<{ reservation: Reservation; created: boolean }>;
  /** Moves a reservation from `from` to `to` and applies its stock effect; returns the status found (undefined: no reservation). */
  transition(
    orderId: string,
    from: 'reserved' | 'committed',
    to: 'committed' | 'released' | 'restocked',
  ): Promise<{ before?: string; items: ReservedItem[] }>;
  /** Expires overdue reservations and returns their stock; returns the product ids touched. */
  expireOverdue(limit: number): Promise<string[]>;
}

/** Which cached read a key belongs to; `id` narrows a family to one entity (product by id). */
export interface CacheScope {
  family: 'tree' | 'stats' | 'list' | 'product';
  id?: string;
}

/**
 * Read-through cache. `read` never fails because of the cache (it falls back to `load`);
 * `invalidate` must be called after the write committed, and makes every later `read` miss.
 */
export interface ReadCache {
  read<T>(scope: CacheScope, key: string, load: () => Promise<T>): Promise<T>;
  invalidate(scopes: readonly CacheScope[]): Promise<void>;
}

export type { CategoryNode };
