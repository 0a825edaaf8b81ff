import { type MessageInitShape, create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  type CategoryNode as CategoryNodeMessage,
  CategoryNodeSchema,
  CategorySchema,
  type Category as CategoryMessage,
  type Product as ProductMessage,
  type ProductInput as ProductInputMessage,
  ProductSchema,
  ProductSort,
} from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import {
  type ReservedItem as ReservedItemMessage,
  ReservedItemSchema,
} from '@ordersystem/contracts/ordersystem/catalog/v1/inventory';
import { type Money, MoneySchema } from '@ordersystem/contracts/ordersystem/common/v1/money';
import { invalidField } from '@ordersystem/platform/errors';
import type { Category, CategoryNode } from '../domain/category.js';
import type { Product, ProductInput } from '../domain/product.js';
import type { ProductField, ProductSortKey } from '../domain/product-query.js';
import type { ReservedItem } from '../domain/reservation.js';

export const money = (currencyCode: string, amountMinor: bigint): Money =>
  create(MoneySchema, { currencyCode, amountMinor });

export function toCategoryMessage(c: Category): CategoryMessage {
  return create(CategorySchema, {
    id: c.id,
    name: c.name,
    slug: c.slug,
    parentId: c.parentId ?? '',
    level: c.level,
    sortOrder: c.sortOrder,
    createdAt: timestampFromDate(c.createdAt),
    updatedAt: timestampFromDate(c.updatedAt),
  });
}

export function toNodeMessage(node: CategoryNode): CategoryNodeMessage {
  return create(CategoryNodeSchema, {
    category: toCategoryMessage(node.category),
    children: node.children.map(toNodeMessage),
  });
}

type ProductInit = MessageInitShape<typeof ProductSchema>;

const PRODUCT_FIELD_SETTERS: Record<ProductField, (p: Product) => ProductInit> = {
  id: (p) => ({ id: p.id }),
  sku: (p) => ({ sku: p.sku }),
  name: (p) => ({ name: p.name }),
  description: (p) => ({ description: p.description }),
  price: (p) => ({ price: money(p.currencyCode, p.priceMinor) }),
  category_id: (p) => ({ categoryId: p.categoryId }),
  tax_class: (p) => ({ taxClass: p.taxClass }),
  stock_on_hand: (p) => ({ stockOnHand: p.stockOnHand }),
  stock_available: (p) => ({ stockAvailable: p.stockAvailable }),
  active: (p) => ({ active: p.active }),
  created_at: (p) => ({ createdAt: timestampFromDate(p.createdAt) }),
  updated_at: (p) => ({ updatedAt: timestampFromDate(p.updatedAt) }),
};

/** A product message with only the `fields` populated (all when undefined): the field mask at work. */
export function toProductMessage(p: Product, fields?: ReadonlySet<ProductField>): ProductMessage {
  const names = fields ?? (Object.keys(PRODUCT_FIELD_SETTERS) as ProductField[]);
  return create(ProductSchema, Object.assign({}, ...[...names].map((f) => PRODUCT_FIELD_SETTERS[f](p))) as ProductInit);
}

export function fromProductInput(m: ProductInputMessage | undefined): ProductInput {
  return {
    sku: m?.sku ?? '',
    name: m?.name ?? '',
    description: m?.description ?? '',
    price: m?.price ? { currencyCode: m.price.currencyCode, amountMinor: m.price.amountMinor } : undefined,
    categoryId: m?.categoryId ?? '',
    taxClass: m?.taxClass ?? '',
    stockOnHand: m?.stockOnHand ?? 0n,
    active: m?.active ?? false,
  };
}

/** The listing order asked for; a number the enum does not define is refused, never read as the default. */
export function toSortKey(sort: ProductSort): ProductSortKey | 'default' {
  switch (sort) {
    case ProductSort.UNSPECIFIED:
      return 'default';
    case ProductSort.NAME:
      return 'name';
    case ProductSort.PRICE_ASC:
      return 'price_asc';
    case ProductSort.PRICE_DESC:
      return 'price_desc';
    case ProductSort.NEWEST:
      return 'newest';
    default:
      throw invalidField('sort', `unknown value ${String(sort)}`);
  }
}

export function toReservedItemMessage(i: ReservedItem): ReservedItemMessage {
  return create(ReservedItemSchema, {
    productId: i.productId,
    sku: i.sku,
    name: i.name,
    unitPrice: money(i.currencyCode, i.unitPriceMinor),
    taxClass: i.taxClass,
    quantity: i.quantity,
  });
}
