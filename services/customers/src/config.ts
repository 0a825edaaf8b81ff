import { baseEnv, databaseEnv, loadConfig } from '@ordersystem/platform';

/** Every setting of the customers service, read once from the environment at start-up. */
export function loadCustomersConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig({ ...baseEnv, ...databaseEnv }, env);
}

export type CustomersConfig = ReturnType<typeof loadCustomersConfig>;
