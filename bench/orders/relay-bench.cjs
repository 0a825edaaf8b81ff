// Outbox relay publish rate: fills the orders schema's outbox with N copies of a real event (distinct
// order ids, so keys spread over the partitions) and times the service's own OutboxRelay (from dist)
// draining them to Kafka with the idempotent producer. Prints JSON {events, seconds, eventsPerSecond}.
// Usage: node bench/orders/relay-bench.cjs <database-url> <schema> <brokers> <topic> <N> <batch-size>
const path = require('node:path');
const { Client } = require('pg');
const dist = path.resolve(__dirname, '../../services/orders/dist');
const { OutboxRelay } = require(`${dist}/events/outbox-relay.js`);
const { KafkaPublisher } = require(`${dist}/events/kafka-publisher.js`);

(async () => {
  const [url, schema, brokers, topic, n, batch] = process.argv.slice(2);
  const db = new Client({ connectionString: url });
  await db.connect();
  await db.query(`set search_path to "${schema}"`);
  await db.query(`update outbox set sent_at = now() where sent_at is null`);
  await db.query(
    `insert into outbox (event_id, order_id, event_type, payload, headers)
     select gen_random_uuid(), gen_random_uuid(), s.event_type, s.payload, s.headers
     from (select * from outbox order by id limit 1) s, generate_series(1, $1)`,
    [Number(n)],
  );
  const quiet = () => {};
  const logger = {
    debug: quiet,
    info: quiet,
    warn: (o, m) => process.stderr.write(`${m}\n`),
    error: (o, m) => process.stderr.write(`${m}\n`),
  };
  const publisher = new KafkaPublisher({
    brokers: brokers.split(','),
    clientId: 'orders-relay-bench',
    topic,
    partitions: 3,
    logger,
  });
  let published = 0;
  const relay = new OutboxRelay({
    databaseUrl: url,
    schema,
    publisher,
    logger,
    batchSize: Number(batch),
    onPublished: (count) => (published += count),
  });
  // Warm-up (topic creation, producer id, metadata) is excluded from the timing.
  await publisher.send([{ key: 'warm-up', value: Buffer.alloc(0) }]);
  const started = process.hrtime.bigint();
  // The service runs pass() from the platform worker; here passes run back to back until drained.
  while (published < Number(n)) await relay.pass();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await relay.close();
  await publisher.close();
  const { rows } = await db.query(`select count(*)::int as n from outbox where sent_at is null`);
  await db.end();
  process.stdout.write(
    JSON.stringify({
      events: published,
      seconds: +seconds.toFixed(3),
      eventsPerSecond: Math.round(published / seconds),
      unsentAfter: rows[0].n,
    }) + '\n',
  );
})().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
