import { baseEnv, databaseEnv, loadConfig } from '@ordersystem/platform';

/** Every setting of the orders service, read once from the environment at start-up. */
export function loadOrdersConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig({ ...baseEnv, ...databaseEnv }, env);
}

export type OrdersConfig = ReturnType<typeof loadOrdersConfig>;
