import type { ServiceImpl } from '@connectrpc/connect';
import { requireAdmin } from '@ordersystem/platform';
import {
  type CatalogService,
  type CategoryNode as CategoryNodeMessage,
} from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import type { CategoryNode } from '../domain/category.js';
import type { CategoryUseCases } from '../app/categories.js';
import type { ProductUseCases } from '../app/products.js';
import { fromProductInput, money, toCategoryMessage, toNodeMessage, toProductMessage, toSortKey } from './mappers.js';

/** CatalogService over the use cases. Admin methods check the role here too (defence in depth behind the gateway). */
export function catalogService(
  categories: CategoryUseCases,
  products: ProductUseCases,
): ServiceImpl<typeof CatalogService> {
  // A cached forest is mapped to messages once; a thousand-node tree is costly to rebuild per call.
  const trees = new WeakMap<CategoryNode[], CategoryNodeMessage[]>();
  return {
    async getCategoryTree(req) {
      const forest = await categories.tree(req.rootId, req.maxDepth);
      let roots = trees.get(forest);
      if (!roots) trees.set(forest, (roots = forest.map(toNodeMessage)));
      return { roots };
    },
    getCategory: async (req) => ({ category: toCategoryMessage(await categories.get(req.id)) }),
    listAncestors: async (req) => ({ categories: (await categories.ancestors(req.id)).map(toCategoryMessage) }),
    listDescendants: async (req) => ({
      categories: (await categories.descendants(req.id, req.maxDepth)).map(toCategoryMessage),
    }),
    async getCategoryStats(req) {
      const s = await categories.stats(req.id);
      const m = (v: bigint | undefined) => (v === undefined ? undefined : money(s.currencyCode, v));
      return {
        categoryId: s.categoryId,
        activeProductCount: s.activeProductCount,
        currencyCode: s.currencyCode,
        minPrice: m(s.minPriceMinor),
        maxPrice: m(s.maxPriceMinor),
        averagePrice: m(s.averagePriceMinor),
      };
    },
    async createCategory(req, ctx) {
      requireAdmin(ctx);
      const category = await categories.create({
        name: req.name,
        slug: req.slug,
        parentId: req.parentId,
        sortOrder: req.sortOrder,
      });
      return { category: toCategoryMessage(category) };
    },
    async updateCategory(req, ctx) {
      requireAdmin(ctx);
      return {
        category: toCategoryMessage(await categories.update(req.id, { name: req.name, sortOrder: req.sortOrder })),
      };
    },
    async moveCategory(req, ctx) {
      requireAdmin(ctx);
      return { category: toCategoryMessage(await categories.move(req.id, req.newParentId)) };
    },
    async deleteCategory(req, ctx) {
      requireAdmin(ctx);
      await categories.delete(req.id);
      return {};
    },
    getProduct: async (req) => ({ product: toProductMessage(await products.get(req.id)) }),
    async listProducts(req) {
      const fieldMask = req.fieldMask?.paths;
      const page = await products.list({
        categoryId: req.categoryId,
        includeDescendants: req.includeDescendants,
        minPriceMinor: req.minPriceMinor,
        maxPriceMinor: req.maxPriceMinor,
        inStockOnly: req.inStockOnly,
        text: req.query,
        sort: toSortKey(req.sort),
        pageSize: req.pageSize,
        pageToken: req.pageToken,
        fieldMask,
      });
      const fields = fieldMask && fieldMask.length > 0 ? new Set(fieldMask) : undefined;
      return {
        products: page.products.map((p) => toProductMessage(p, fields as never)),
        nextPageToken: page.nextPageToken,
      };
    },
    async createProduct(req, ctx) {
      requireAdmin(ctx);
      return { product: toProductMessage(await products.create(fromProductInput(req.product))) };
    },
    async updateProduct(req, ctx) {
      requireAdmin(ctx);
      const updated = await products.update(req.id, {
        name: req.name,
        description: req.description,
        categoryId: req.categoryId,
        taxClass: req.taxClass,
        stockOnHand: req.stockOnHand,
        active: req.active,
        price: req.price ? { currencyCode: req.price.currencyCode, amountMinor: req.price.amountMinor } : undefined,
      });
      return { product: toProductMessage(updated) };
    },
    async deactivateProduct(req, ctx) {
      requireAdmin(ctx);
      return { product: toProductMessage(await products.deactivate(req.id)) };
    },
    async bulkUploadProducts(req, ctx) {
      requireAdmin(ctx);
      const created = await products.bulkCreate(req.products.map(fromProductInput));
      return { created: created.map((p) => toProductMessage(p)) };
    },
  };
}
