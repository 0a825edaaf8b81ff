#!/usr/bin/env bash
# Catalog gRPC benchmark: starts its own catalog process on a fresh schema with seeded data, runs ghz
# against GetCategoryTree, ListProducts (cached and uncached) and ReserveStock, prints a table and
# writes JSON to bench/results/. Needs `scripts/infra up`, a build (`npx tsc -b services/catalog`) and
# ghz in .tools/bin (GOBIN=$PWD/.tools/bin go install github.com/bojand/ghz/cmd/ghz@v0.121.0).
# Usage: bench/catalog/run.sh [duration-per-method (10s)] [concurrency (20)]
set -euo pipefail
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
DURATION="${1:-10s}"
C="${2:-20}"
RUN="catalog_bench_$(date +%s)"
OUT="$ROOT/bench/results"
mkdir -p "$OUT"
LOG="$OUT/$RUN.log"

psql -q "$DATABASE_ADMIN_URL" -c "create schema $RUN authorization catalog_svc"
PORT="$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")"
OPS="$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")"
(cd services/catalog && exec env DATABASE_URL="$CATALOG_DATABASE_URL" DATABASE_SCHEMA="$RUN" MIGRATE_ON_START=true \
  REDIS_URL="$REDIS_URL" CACHE_PREFIX="$RUN" PORT="$PORT" OPS_PORT="$OPS" LOG_LEVEL=warn DATABASE_POOL_MAX=20 \
  RESERVATION_TTL_SECONDS=3600 node dist/main.js >"$LOG" 2>&1) &
SVC=$!
cleanup() {
  kill "$SVC" 2>/dev/null && wait "$SVC" 2>/dev/null || true
  psql -q "$DATABASE_ADMIN_URL" -c "drop schema if exists $RUN cascade" || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$OPS/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$OPS/readyz" >/dev/null || { echo "catalog did not become ready"; cat "$LOG"; exit 1; }
psql -q "${CATALOG_DATABASE_URL}" -v ON_ERROR_STOP=1 -c "set search_path to $RUN" -f bench/catalog/seed.sql

PROTO=(--proto proto/ordersystem/catalog/v1/catalog.proto --import-paths proto)
bench() { # name call data [proto...]
  local name=$1 call=$2 data=$3; shift 3
  "$GHZ" --insecure "$@" --call "$call" -d "$data" -z "$DURATION" --duration-stop wait -c "$C" --connections 2 \
    --name "$name" -O json -o "$OUT/$RUN-$name.json" "127.0.0.1:$PORT" >/dev/null
}
# Cached reads: only the first call of each misses.
bench GetCategoryTree ordersystem.catalog.v1.CatalogService.GetCategoryTree '{}' "${PROTO[@]}"
bench GetCategoryTree-subtree ordersystem.catalog.v1.CatalogService.GetCategoryTree \
  '{"root_id":"00000000-0000-4000-8000-00000000c001"}' "${PROTO[@]}"
bench ListProducts-cached ordersystem.catalog.v1.CatalogService.ListProducts \
  '{"query":"kettle","page_size":20}' "${PROTO[@]}"
# A distinct min_price per request gives every call its own cache key: every call reads PostgreSQL.
bench ListProducts-uncached ordersystem.catalog.v1.CatalogService.ListProducts \
  '{"query":"kettle","page_size":20,"min_price_minor":"{{.RequestNumber}}"}' "${PROTO[@]}"
# Every reservation hits the same product row: the worst case for row-lock contention.
bench ReserveStock ordersystem.catalog.v1.InventoryService.ReserveStock \
  '{"order_id":"{{newUUID}}","lines":[{"product_id":"00000000-0000-4000-8000-00000000b001","quantity":"1"}]}' \
  --proto proto/ordersystem/catalog/v1/inventory.proto --import-paths proto

node - "$OUT" "$RUN" "$DURATION" "$C" <<'JS'
const fs = require('node:fs');
const [out, run, duration, c] = process.argv.slice(2);
const names = ['GetCategoryTree', 'GetCategoryTree-subtree', 'ListProducts-cached', 'ListProducts-uncached', 'ReserveStock'];
const ms = (ns) => (ns / 1e6).toFixed(2);
const rows = names.map((name) => {
  const r = JSON.parse(fs.readFileSync(`${out}/${run}-${name}.json`, 'utf8'));
  const pct = (p) => r.latencyDistribution?.find((d) => d.percentage === p)?.latency ?? NaN;
  const errors = Object.entries(r.statusCodeDistribution ?? {}).filter(([k]) => k !== 'OK').reduce((a, [, v]) => a + v, 0);
  return { method: name, requests: r.count, rps: Math.round(r.rps), p50_ms: +ms(pct(50)), p99_ms: +ms(pct(99)), errors };
});
const os = require('node:os');
console.log(`catalog gRPC bench: ${duration} per method, concurrency ${c}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} (shared machine)`);
console.table(rows);
fs.writeFileSync(`${out}/catalog-${run}.json`, JSON.stringify({ run, duration, concurrency: Number(c), at: new Date().toISOString(), rows }, null, 2));
console.log(`wrote ${out}/catalog-${run}.json`);
JS
