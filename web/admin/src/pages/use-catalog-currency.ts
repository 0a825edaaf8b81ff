import { useQuery } from '@connectrpc/connect-query';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';

/**
 * The catalog's one currency, as the API reports it in subtree statistics (every category answers
 * it, even an empty one); undefined while loading or when there is no category yet.
 */
export function useCatalogCurrency(): string | undefined {
  const tree = useQuery(CatalogService.method.getCategoryTree, { maxDepth: 0 });
  const first = tree.data?.roots[0]?.category?.id;
  const stats = useQuery(CatalogService.method.getCategoryStats, { id: first ?? '' }, { enabled: Boolean(first) });
  return stats.data?.currencyCode || undefined;
}
