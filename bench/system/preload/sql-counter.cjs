/**
 * Loaded into a service with NODE_OPTIONS=--require by the system benchmark (never in production):
 * counts what the service sends to PostgreSQL through `pg`, i.e. every round trip, and how many of
 * them commit (an explicit COMMIT, or a writing statement outside a transaction). Every second the
 * totals go to BENCH_SQL_COUNT_FILE, so the benchmark can take the difference over a load window.
 */
'use strict';
const fs = require('node:fs');
const file = process.env.BENCH_SQL_COUNT_FILE;
if (file) {
  const { Client } = require(require.resolve('pg', { paths: [process.cwd()] }));
  const totals = { roundTrips: 0, commits: 0, at: 0 };
  const inTx = new WeakMap();
  const WRITES = /\b(insert|update|delete)\b/i;
  const original = Client.prototype.query;
  Client.prototype.query = function countedQuery(config, ...rest) {
    const text = (typeof config === 'string' ? config : config && config.text) || '';
    const head = text.trimStart().slice(0, 12).toLowerCase();
    totals.roundTrips++;
    if (head.startsWith('begin') || head.startsWith('start')) inTx.set(this, true);
    else if (head.startsWith('commit')) {
      totals.commits++;
      inTx.set(this, false);
    } else if (head.startsWith('rollback')) inTx.set(this, false);
    else if (!inTx.get(this) && WRITES.test(text) && !head.startsWith('select')) totals.commits++;
    return original.call(this, config, ...rest);
  };
  const write = () => {
    totals.at = Date.now();
    try {
      fs.writeFileSync(file, JSON.stringify(totals));
    } catch {
      // The benchmark's directory may be gone at the very end; nothing to report then.
    }
  };
  setInterval(write, 1000).unref();
  process.on('exit', write);
  // The benchmark asks for the totals at the edges of a load window.
  process.on('SIGUSR2', write);
}
