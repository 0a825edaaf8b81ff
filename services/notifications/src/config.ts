import { baseEnv, databaseEnv, loadConfig } from '@ordersystem/platform';

/** Every setting of the notifications service, read once from the environment at start-up. */
export function loadNotificationsConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig({ ...baseEnv, ...databaseEnv }, env);
}

export type NotificationsConfig = ReturnType<typeof loadNotificationsConfig>;
