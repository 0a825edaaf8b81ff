import { Migration } from '@mikro-orm/migrations';
import { migrate, openDatabase, type MikroORM } from '@ordersystem/platform';
import { createTestSchema, infraEnv, type TestSchema } from '@ordersystem/testing';

class CreateWidgets extends Migration {
  override up(): void {
    this.addSql('create table widgets (id int primary key, name text not null)');
  }
}

describe('migrations', () => {
  const infra = infraEnv();
  let schema: TestSchema;
  let orm: MikroORM;

  beforeAll(async () => {
    schema = await createTestSchema(infra, 'catalog');
    orm = await openDatabase({
      url: schema.url,
      schema: schema.schema,
      migrations: [{ name: 'Migration20260101000000_widgets', class: CreateWidgets }],
    });
  });
  afterAll(async () => {
    await orm.close();
    await schema.drop();
  });

  it('applies pending migrations once, inside the service schema only', async () => {
    expect(await migrate(orm)).toEqual(['Migration20260101000000_widgets']);
    expect(await migrate(orm)).toEqual([]);
    const rows = await orm.em
      .fork()
      .getConnection()
      .execute<{ table_schema: string }[]>(
        `select table_schema from information_schema.tables where table_name = 'widgets'`,
      );
    expect(rows.map((r) => r.table_schema)).toEqual([schema.schema]);
  });
});
