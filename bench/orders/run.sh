#!/usr/bin/env bash
# Orders benchmark. Starts real catalog, customers and orders processes on fresh bench schemas, then:
#   1. PlaceOrder straight against the orders service over gRPC with ghz (unique idempotency key per call,
#      identity headers as the gateway would set them) — throughput, p50/p99, errors;
#   2. the outbox relay's publish rate: N outbox rows drained to Kafka by the service's own OutboxRelay.
# Prints a table and writes JSON to bench/results/. Needs `scripts/infra up`, a build (`npx tsc -b`) and ghz
# (GOBIN=$PWD/.tools/bin go install github.com/bojand/ghz/cmd/ghz@v0.121.0).
# Usage: bench/orders/run.sh [duration (15s)] [concurrency (20)] [relay events (20000)]
set -euo pipefail
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
DURATION="${1:-15s}"
C="${2:-20}"
EVENTS="${3:-20000}"
RUN="orders_bench_$(date +%s)"
OUT="$ROOT/bench/results"
mkdir -p "$OUT"
LOG="$OUT/$RUN.log"
TOPIC="$RUN.events"
free_port() { node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})"; }

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  for svc in catalog customers orders; do psql -q "$DATABASE_ADMIN_URL" -c "drop schema if exists ${RUN}_$svc cascade" || true; done
}
trap cleanup EXIT

start() { # svc port ops env...
  local svc=$1 port=$2 ops=$3 url; shift 3
  url="$(eval echo "\$${svc^^}_DATABASE_URL")"
  psql -q "$DATABASE_ADMIN_URL" -c "create schema ${RUN}_$svc authorization ${svc}_svc"
  (cd "services/$svc" && exec env DATABASE_URL="$url" DATABASE_SCHEMA="${RUN}_$svc" MIGRATE_ON_START=true \
    PORT="$port" OPS_PORT="$ops" LOG_LEVEL=warn "$@" node dist/main.js >>"$LOG" 2>&1) &
  PIDS+=($!)
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$ops/readyz" >/dev/null && return; sleep 0.2; done
  echo "$svc did not become ready"; tail -n 30 "$LOG"; exit 1
}
CAT=$(free_port) CUS=$(free_port) ORD=$(free_port)
start catalog "$CAT" "$(free_port)" REDIS_URL="$REDIS_URL" CACHE_PREFIX="$RUN" RESERVATION_TTL_SECONDS=3600 DATABASE_POOL_MAX=20
start customers "$CUS" "$(free_port)"
start orders "$ORD" "$(free_port)" CATALOG_URL="http://127.0.0.1:$CAT" CUSTOMERS_URL="http://127.0.0.1:$CUS" \
  KAFKA_BROKERS="$KAFKA_BROKERS" ORDER_EVENTS_TOPIC="$TOPIC" UPSTREAM_TIMEOUT_MS=10000

PRODUCT="$(node bench/orders/seed.cjs "$CAT" 1000000000)"
CUSTOMER=00000000-0000-4000-8000-00000000b0b0
# The customers service creates profiles only on an OIDC login, so the bench inserts one into its own bench schema.
psql -q "$DATABASE_ADMIN_URL" -c "insert into ${RUN}_customers.customers (id, issuer, subject, email, name, phone_number)
  values ('$CUSTOMER', 'bench', 'bench', 'bench@example.test', 'Bench Customer', '+254712345678')"

"$GHZ" --insecure --proto proto/ordersystem/orders/v1/orders.proto --import-paths proto \
  --call ordersystem.orders.v1.OrderService.PlaceOrder \
  -m "{\"x-ordersystem-customer-id\":\"$CUSTOMER\",\"x-ordersystem-email\":\"bench@example.test\",\"x-ordersystem-roles\":\"customer\"}" \
  -d "{\"idempotency_key\":\"{{newUUID}}\",\"lines\":[{\"product_id\":\"$PRODUCT\",\"quantity\":\"1\"}],
       \"delivery_address\":{\"recipient_name\":\"Bench\",\"line1\":\"Moi Avenue 1\",\"city\":\"Nairobi\",\"postal_code\":\"00100\",\"country_code\":\"KE\"},\"payment_method\":\"PAYMENT_METHOD_PAY_ON_DELIVERY\"}" \
  -z "$DURATION" --duration-stop wait -c "$C" --connections 2 --name PlaceOrder -O json -o "$OUT/$RUN-PlaceOrder.json" \
  "127.0.0.1:$ORD" >/dev/null

# Stop the orders process (its relay would compete) before timing the relay alone.
kill "${PIDS[2]}" && wait "${PIDS[2]}" 2>/dev/null || true
node bench/orders/relay-bench.cjs "$ORDERS_DATABASE_URL" "${RUN}_orders" "$KAFKA_BROKERS" "$TOPIC.relay" "$EVENTS" 200 >"$OUT/$RUN-relay.json"

node - "$OUT" "$RUN" "$DURATION" "$C" <<'JS'
const fs = require('node:fs');
const os = require('node:os');
const [out, run, duration, c] = process.argv.slice(2);
const r = JSON.parse(fs.readFileSync(`${out}/${run}-PlaceOrder.json`, 'utf8'));
const relay = JSON.parse(fs.readFileSync(`${out}/${run}-relay.json`, 'utf8'));
const pct = (p) => +((r.latencyDistribution?.find((d) => d.percentage === p)?.latency ?? NaN) / 1e6).toFixed(2);
const errors = Object.entries(r.statusCodeDistribution ?? {}).filter(([k]) => k !== 'OK').reduce((a, [, v]) => a + v, 0);
const placeOrder = { requests: r.count, rps: Math.round(r.rps), p50_ms: pct(50), p99_ms: pct(99), errors, statusCodes: r.statusCodeDistribution };
console.log(`orders bench: PlaceOrder for ${duration} at concurrency ${c}; ${os.cpus().length} cores shared with other work, load average ${os.loadavg()[0].toFixed(1)}`);
console.table([{ what: 'PlaceOrder (gRPC)', requests: placeOrder.requests, 'rps': placeOrder.rps, 'p50 ms': placeOrder.p50_ms, 'p99 ms': placeOrder.p99_ms, errors }]);
console.table([{ what: 'outbox relay → Kafka', events: relay.events, seconds: relay.seconds, 'events/s': relay.eventsPerSecond, 'unsent after': relay.unsentAfter }]);
fs.writeFileSync(`${out}/orders-${run}.json`, JSON.stringify({ run, duration, concurrency: Number(c), at: new Date().toISOString(), cores: os.cpus().length, placeOrder, relay }, null, 2));
console.log(`wrote ${out}/orders-${run}.json`);
JS
