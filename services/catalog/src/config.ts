import { baseEnv, databaseEnv, loadConfig } from '@ordersystem/platform';

/** Every setting of the catalog service, read once from the environment at start-up. */
export function loadCatalogConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig({ ...baseEnv, ...databaseEnv }, env);
}

export type CatalogConfig = ReturnType<typeof loadCatalogConfig>;
