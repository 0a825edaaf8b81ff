import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DatabaseService, InfraEnv } from './infra-env';

export interface TestSchema {
  /** Connection URL of the service's own least-privileged role. */
  url: string;
  schema: string;
  drop(): Promise<void>;
}

/**
 * A fresh, uniquely named schema owned by the service's real role, so each test file runs its
 * migrations from zero and never sees another file's rows. The service role itself cannot create
 * schemas (least privilege); the admin connection does that and nothing else.
 */
export async function createTestSchema(infra: InfraEnv, service: DatabaseService): Promise<TestSchema> {
  const schema = `${service}_t${randomBytes(5).toString('hex')}`;
  await admin(infra, `CREATE SCHEMA ${schema} AUTHORIZATION ${service}_svc`);
  return {
    url: infra.serviceUrls[service],
    schema,
    drop: () => admin(infra, `DROP SCHEMA IF EXISTS ${schema} CASCADE`),
  };
}

/** Runs one statement as the database superuser (test set-up only). */
export async function admin(infra: InfraEnv, sql: string, params: unknown[] = []): Promise<void> {
  const client = new Client({ connectionString: infra.adminUrl });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}
