import { Violations } from '@ordersystem/platform/errors';
import { type ViolationSink, checkName, isUuid } from './category.js';

/** A sellable item. `stockAvailable` is derived: on hand minus reserved. */
export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceMinor: bigint;
  currencyCode: string;
  categoryId: string;
  taxClass: string;
  stockOnHand: bigint;
  stockAvailable: bigint;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** Caller-supplied fields of a new product. */
export interface ProductInput {
  sku: string;
  name: string;
  description: string;
  price?: { currencyCode: string; amountMinor: bigint };
  categoryId: string;
  taxClass: string;
  stockOnHand: bigint;
  active: boolean;
}

/** Changes to a product; undefined fields stay as they are. */
export interface ProductPatch {
  name?: string;
  description?: string;
  price?: { currencyCode: string; amountMinor: bigint };
  categoryId?: string;
  taxClass?: string;
  stockOnHand?: bigint;
  active?: boolean;
}

/** The catalog-wide rules a product must satisfy (single currency, known tax classes). */
export interface ProductRules {
  currency: string;
  taxClasses: readonly string[];
}

const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DESCRIPTION_MAX = 10_000;
/** Largest accepted stock: far above any real value, well inside int64. */
export const MAX_AMOUNT = 1_000_000_000_000_000n;
/**
 * Largest accepted price, in minor units (a billion in a two-decimal currency). Orders multiply
 * it: at most 10,000 units a line, at most 1,000 lines (the ceiling of orders' MAX_ORDER_LINES)
 * and at most 100% tax give 10^11 × 10^4 × 10^3 × 2 = 2×10^18, inside int64 (9.2×10^18), so no
 * order of accepted prices can overflow its totals.
 */
export const MAX_PRICE_MINOR = 100_000_000_000n;

/** Adds a violation per bad field of `input`, each prefixed with `prefix` (e.g. "products[3]."). */
export function checkProductInput(v: ViolationSink, prefix: string, input: ProductInput, rules: ProductRules): void {
  if (!SKU.test(input.sku)) v.add(`${prefix}sku`, 'must be 1-64 letters, digits, ".", "_" or "-"');
  checkName(v, `${prefix}name`, input.name);
  checkPatch(
    v,
    prefix,
    {
      description: input.description,
      price: input.price,
      taxClass: input.taxClass,
      stockOnHand: input.stockOnHand,
      categoryId: input.categoryId,
    },
    rules,
  );
  if (!input.price) v.add(`${prefix}price`, 'is required');
}

/** Adds a violation per bad set field of `patch`, each prefixed with `prefix`. */
export function checkPatch(v: ViolationSink, prefix: string, patch: ProductPatch, rules: ProductRules): void {
  if (patch.name !== undefined) checkName(v, `${prefix}name`, patch.name);
  if (patch.description !== undefined && patch.description.length > DESCRIPTION_MAX) {
    v.add(`${prefix}description`, `must be at most ${DESCRIPTION_MAX} characters`);
  }
  if (patch.price) {
    if (patch.price.currencyCode !== rules.currency) v.add(`${prefix}price.currency_code`, `must be ${rules.currency}`);
    if (patch.price.amountMinor <= 0n) v.add(`${prefix}price.amount_minor`, 'must be positive');
    else if (patch.price.amountMinor > MAX_PRICE_MINOR)
      v.add(`${prefix}price.amount_minor`, `must be at most ${MAX_PRICE_MINOR}`);
  }
  if (patch.categoryId !== undefined && !isUuid(patch.categoryId)) v.add(`${prefix}category_id`, 'must be a UUID');
  if (patch.taxClass !== undefined && !rules.taxClasses.includes(patch.taxClass)) {
    v.add(`${prefix}tax_class`, `must be one of ${rules.taxClasses.join(', ')}`);
  }
  if (patch.stockOnHand !== undefined) {
    if (patch.stockOnHand < 0n) v.add(`${prefix}stock_on_hand`, 'must not be negative');
    else if (patch.stockOnHand > MAX_AMOUNT) v.add(`${prefix}stock_on_hand`, 'is too large');
  }
}

/** Validates one new product; throws invalid_argument naming every bad field under `prefix`. */
export function validateProductInput(input: ProductInput, rules: ProductRules, prefix = 'product.'): void {
  const v = new Violations();
  checkProductInput(v, prefix, input, rules);
  v.throwIfAny();
}
