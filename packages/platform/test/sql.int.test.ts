import { Migration } from '@mikro-orm/migrations';
import {
  type Database,
  type MikroORM,
  createSql,
  migrate,
  openDatabase,
  pgCode,
  pgConstraint,
  toBigInt,
  toDate,
} from '@ordersystem/platform';
import { Registry } from 'prom-client';
import { registerPoolMetrics } from '../src/db/pool-metrics.js';
import { createTestSchema, infraEnv, type TestSchema } from '@ordersystem/testing';

class CreateLedger extends Migration {
  override up(): void {
    this
      .addSql(`create table ledger (id uuid primary key, amount_minor bigint not null, at timestamptz not null default now(),
      constraint ledger_amount_positive check (amount_minor > 0))`);
  }
}

const ids = [
  '0b1e8f5e-3f0c-4d43-9a57-1f0f6f6b0001',
  '0b1e8f5e-3f0c-4d43-9a57-1f0f6f6b0002',
  '0b1e8f5e-3f0c-4d43-9a57-1f0f6f6b0003',
];

describe('createSql: the one way services run SQL', () => {
  const infra = infraEnv();
  const seen: string[] = [];
  let schema: TestSchema;
  let orm: MikroORM;
  let db: Database;

  beforeAll(async () => {
    schema = await createTestSchema(infra, 'catalog');
    orm = await openDatabase({
      url: schema.url,
      schema: schema.schema,
      migrations: [{ name: 'Migration20260101000000_ledger', class: CreateLedger }],
    });
    await migrate(orm);
    db = createSql(orm, { onQuery: (text) => seen.push(text) });
  });
  afterAll(async () => {
    await orm.close();
    await schema.drop();
  });

  it('binds $n parameters, passes arrays as PostgreSQL arrays and converts rows', async () => {
    await db.query('insert into ledger (id, amount_minor) select unnest($1::uuid[]), $2', [ids, '9007199254740993']);
    const rows = await db.query<{ id: string; amount_minor: string; at: unknown }>(
      'select * from ledger where id = any($1::uuid[]) order by id',
      [ids.slice(0, 2)],
    );
    expect(rows.map((r) => r.id)).toEqual(ids.slice(0, 2));
    // Beyond 2^53: bigint money survives as text and converts exactly.
    expect(toBigInt(rows[0]!.amount_minor)).toBe(9007199254740993n);
    expect(toDate(rows[0]!.at)).toBeInstanceOf(Date);
    expect(Number.isNaN(toDate(rows[0]!.at).getTime())).toBe(false);
    expect(seen.some((t) => t.startsWith('insert into ledger'))).toBe(true);
  });

  it('treats a parameter as data, never as SQL', async () => {
    const rows = await db.query<{ n: string }>('select count(*) as n from ledger where id::text = $1', [
      "x' or '1'='1",
    ]);
    expect(rows[0]!.n).toBe('0');
  });

  it('commits a transaction as a whole and rolls it back as a whole', async () => {
    await db.transaction(async (tx) => {
      await tx.query('update ledger set amount_minor = amount_minor + 1 where id = $1', [ids[0]]);
    });
    const failed = await db
      .transaction(async (tx) => {
        await tx.query('update ledger set amount_minor = 5 where id = $1', [ids[1]]);
        await tx.query('update ledger set amount_minor = -1 where id = $1', [ids[2]]);
      })
      .catch((err: unknown) => err);
    expect([pgCode(failed), pgConstraint(failed)]).toEqual(['23514', 'ledger_amount_positive']);
    const rows = await db.query<{ id: string; amount_minor: string }>(
      'select id, amount_minor from ledger order by id',
    );
    expect(rows.map((r) => r.amount_minor)).toEqual(['9007199254740994', '9007199254740993', '9007199254740993']);
  });

  it('reports pool saturation at scrape time', async () => {
    const registry = new Registry();
    registerPoolMetrics(orm, registry);
    let release!: () => void;
    let began!: () => void;
    const inside = new Promise<void>((r) => (began = r));
    const held = db.transaction(async (tx) => {
      await tx.query('select 1');
      began();
      await new Promise<void>((r) => (release = r));
    });
    await inside;
    const text = await registry.metrics();
    release();
    await held;
    expect(text).toMatch(/db_pool_connections\{state="used"\} [1-9]/);
    expect(text).toMatch(/db_pool_max 10/);
  });
});
