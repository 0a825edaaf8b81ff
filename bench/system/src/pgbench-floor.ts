import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { admin, type InfraEnv } from '@ordersystem/testing';
import { Pool } from 'pg';
import { createTables } from './floor.js';
import { type Figures, figuresOf } from './stats.js';

/**
 * The second floor: the same order transaction as floor.ts, run by PostgreSQL's own pgbench (C,
 * libpq, prepared statements), so the services also stand against what the database alone can do
 * on this machine. Each statement is one round trip, as in the Node floor; the ids come from
 * md5(client, transaction) on the server instead of from the client.
 */
const SCRIPT = `\\set p random(1, :products)
\\set r random(1, 1000000000000)
BEGIN;
INSERT INTO reservations (order_id, id, status, expires_at) VALUES (md5(:client_id::text || '-' || :r::text)::uuid, md5('r' || :client_id::text || '-' || :r::text)::uuid, 'reserved', now() + interval '15 minutes') ON CONFLICT (order_id) DO NOTHING;
UPDATE products SET reserved = reserved + 1, updated_at = now() WHERE id = md5(:p::text)::uuid AND active AND stock_on_hand - reserved >= 1 RETURNING sku, name, price_minor, tax_class \\gset
INSERT INTO reservation_lines (order_id, product_id, quantity, sku, name, unit_price_minor, currency_code, tax_class) VALUES (md5(:client_id::text || '-' || :r::text)::uuid, md5(:p::text)::uuid, 1, :sku, :name, :price_minor::bigint, 'KES', :tax_class);
INSERT INTO orders (id, customer_id, idempotency_key, request_hash, status, payment_method, currency, subtotal_minor, tax_minor, total_minor, delivery_address, note, contact_name, contact_email, contact_phone) VALUES (md5(:client_id::text || '-' || :r::text)::uuid, md5('c' || :client_id::text)::uuid, :r::text, 'hash', 'confirmed', 'pay_on_delivery', 'KES', :price_minor::bigint, :price_minor::bigint * 16 / 100, :price_minor::bigint + :price_minor::bigint * 16 / 100, '{"line1":"1 Bench Street","city":"Nairobi","countryCode":"KE"}', '', 'Bench', 'bench@bench.test', '+254720000000') ON CONFLICT DO NOTHING;
INSERT INTO order_lines (order_id, position, product_id, sku, name, tax_class, tax_rate_bp, quantity, unit_price_minor, line_subtotal_minor, line_tax_minor, line_total_minor) VALUES (md5(:client_id::text || '-' || :r::text)::uuid, 0, md5(:p::text)::uuid, :sku, :name, :tax_class, 1600, 1, :price_minor::bigint, :price_minor::bigint, :price_minor::bigint * 16 / 100, :price_minor::bigint + :price_minor::bigint * 16 / 100);
INSERT INTO order_status_history (order_id, from_status, to_status, actor_id, actor_role, reason) VALUES (md5(:client_id::text || '-' || :r::text)::uuid, null, 'pending', 'c', 'customer', 'order placed'), (md5(:client_id::text || '-' || :r::text)::uuid, 'pending', 'confirmed', '', 'system', 'payment settled');
INSERT INTO outbox (event_id, order_id, event_type, payload, headers) VALUES (md5('e1' || :client_id::text || '-' || :r::text)::uuid, md5(:client_id::text || '-' || :r::text)::uuid, 'placed', decode(repeat('07', 320), 'hex'), '{}'), (md5('e2' || :client_id::text || '-' || :r::text)::uuid, md5(:client_id::text || '-' || :r::text)::uuid, 'confirmed', decode(repeat('07', 320), 'hex'), '{}');
SELECT pg_notify('bench_outbox', '');
COMMIT;
`;

export async function runPgbenchFloor(
  infra: InfraEnv,
  o: { concurrency: number; seconds: number; products: number; workDir: string; pgbench?: string },
): Promise<Figures> {
  const schema = `bench_pgbench_${randomUUID().slice(0, 8)}`;
  await admin(infra, `create schema ${schema} authorization orders_svc`);
  const url = infra.serviceUrls.orders;
  const pool = new Pool({ connectionString: url, max: 1, options: `-c search_path=${schema}` });
  const dir = path.join(o.workDir, 'pgbench');
  mkdirSync(dir, { recursive: true });
  try {
    await createTables(pool, o.products);
    const script = path.join(dir, 'order.sql');
    writeFileSync(script, SCRIPT);
    const args = [
      '-n',
      '-M',
      'prepared',
      '-c',
      String(o.concurrency),
      '-j',
      '2',
      '-T',
      String(o.seconds),
      '-D',
      `products=${o.products}`,
      '-l',
      '--log-prefix',
      path.join(dir, 'tx'),
      '-f',
      script,
      url,
    ];
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const err: string[] = [];
      const child = spawn(o.pgbench ?? 'pgbench', args, {
        env: { ...process.env, PGOPTIONS: `-c search_path=${schema}` },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr.on('data', (c: Buffer) => err.push(c.toString()));
      child.once('exit', (c) => resolve({ code: c, stderr: err.join('') }));
    });
    if (code !== 0) throw new Error(`pgbench exited with ${code}: ${stderr.slice(-500)}`);
    // One line per transaction: client, number, latency (µs), script, epoch s, µs.
    const latencies: number[] = [];
    let failed = 0;
    for (const f of readdirSync(dir).filter((x) => x.startsWith('tx'))) {
      for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n')) {
        const cols = line.trim().split(/\s+/);
        if (cols.length < 3) continue;
        if (cols[2] === 'failed' || cols[2] === 'skipped') failed++;
        else latencies.push(Number(cols[2]) / 1000);
      }
    }
    return figuresOf('floor: order transaction by pgbench', latencies, failed, o.seconds);
  } finally {
    await pool.end();
    await admin(infra, `drop schema ${schema} cascade`);
  }
}
