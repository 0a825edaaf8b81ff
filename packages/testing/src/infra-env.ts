import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The services that own a database schema, each with a login role `<service>_svc`. */
export const DATABASE_SERVICES = ['customers', 'catalog', 'orders', 'notifications'] as const;
export type DatabaseService = (typeof DATABASE_SERVICES)[number];

export interface InfraEnv {
  adminUrl: string;
  serviceUrls: Record<DatabaseService, string>;
  redisUrl: string;
  kafkaBrokers: string[];
}

const REPO_ROOT = path.resolve(__dirname, '../../..');
const ENV_FILE = path.join(REPO_ROOT, '.infra/env');

export const HOW_TO_START =
  'Start the real infrastructure with `scripts/infra up` (PostgreSQL, Redis and Kafka on loopback) ' +
  'or export DATABASE_ADMIN_URL, <SERVICE>_DATABASE_URL, REDIS_URL and KAFKA_BROKERS; ' +
  'with a Docker engine available the tests start containers themselves.';

/** Fills process.env from `.infra/env` (written by `scripts/infra up`) for variables not already set. */
export function loadInfraEnvFile(): void {
  if (!existsSync(ENV_FILE)) return;
  for (const line of readFileSync(ENV_FILE, 'utf8').split('\n')) {
    const match = /^(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && process.env[match[1]] === undefined) process.env[match[1]] = match[2];
  }
}

/** Reads the connection settings of the running infrastructure, or explains how to start it. */
export function infraEnv(env: NodeJS.ProcessEnv = process.env): InfraEnv {
  const missing: string[] = [];
  const get = (name: string): string => {
    const value = env[name];
    if (!value) missing.push(name);
    return value ?? '';
  };
  const result: InfraEnv = {
    adminUrl: get('DATABASE_ADMIN_URL'),
    serviceUrls: Object.fromEntries(
      DATABASE_SERVICES.map((s) => [s, get(`${s.toUpperCase()}_DATABASE_URL`)]),
    ) as Record<DatabaseService, string>,
    redisUrl: get('REDIS_URL'),
    kafkaBrokers: get('KAFKA_BROKERS').split(',').filter(Boolean),
  };
  if (missing.length > 0) throw new Error(`integration tests need ${missing.join(', ')}. ${HOW_TO_START}`);
  return result;
}
