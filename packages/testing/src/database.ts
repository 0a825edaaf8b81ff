import {
  type Database,
  type MigrationObject,
  type MikroORM,
  createSql,
  migrate,
  openDatabase,
} from '@ordersystem/platform';
import type { DatabaseService } from './infra-env';
import { infraEnv } from './infra-env';
import { createTestSchema, type TestSchema } from './schema';

export interface TestDatabase {
  db: Database;
  orm: MikroORM;
  schema: TestSchema;
  close(): Promise<void>;
}

/**
 * A fresh schema owned by the service's real role, migrated with the service's own migrations and
 * reached through the same SQL door the service uses: what repository contract tests run against.
 */
export async function openTestDatabase(service: DatabaseService, migrations: MigrationObject[]): Promise<TestDatabase> {
  const schema = await createTestSchema(infraEnv(), service);
  const orm = await openDatabase({ url: schema.url, schema: schema.schema, migrations });
  await migrate(orm);
  return {
    db: createSql(orm),
    orm,
    schema,
    close: async () => {
      await orm.close();
      await schema.drop();
    },
  };
}
