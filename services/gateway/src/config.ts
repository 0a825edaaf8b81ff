import { baseEnv, loadConfig } from '@ordersystem/platform';

/** Every setting of the gateway, read once from the environment at start-up. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig({ ...baseEnv }, env);
}

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
