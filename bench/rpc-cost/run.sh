#!/usr/bin/env bash
# What one unary RPC costs the server's CPU, back to back and at sparse fixed rates: a bare node:http2
# answer, @grpc/grpc-js, connect-node's own adapter and the platform's Connect server with every
# service's interceptors (servers.mjs), all driven by ghz with the same GetContact call. Explains why every service on the order path spends several times its
# back-to-back cost per order (bench/README.md, "Why the targets are still missed (session 8)").
# Needs a build (npm run build) and ghz in .tools/bin (installed here if missing). No infrastructure.
# Usage: bench/rpc-cost/run.sh [seconds per load (10)] [loads ("closed 300 100 30")]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$PATH"
SECONDS_EACH="${1:-10}"
read -r -a LOADS <<<"${2:-closed 300 100 30}"
GHZ="$ROOT/.tools/bin/ghz"
[[ -x $GHZ ]] || GOBIN="$ROOT/.tools/bin" go install github.com/bojand/ghz/cmd/ghz@v0.121.0
OUT="$ROOT/bench/results"
mkdir -p "$OUT"
RESULT="$OUT/rpc-cost-$(date -u +%Y-%m-%dT%H-%M-%SZ).json"
free_port() { node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})"; }
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }

SERVER=""
stop_server() { [[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true; SERVER=""; }
trap stop_server EXIT

echo '[]' >"$RESULT"
printf '%-14s %-8s %8s %10s %18s\n' server load calls 'calls/s' 'server CPU ms/call'
for kind in bare grpcjs connect-plain platform; do
  port=$(free_port)
  preload=()
  # The services run with the telemetry preload; so does the platform server measured here.
  [[ $kind == platform ]] && preload=(--require @ordersystem/platform/telemetry)
  OTEL_SERVICE_NAME=rpc-cost node "${preload[@]}" bench/rpc-cost/servers.mjs "$kind" "$port" >"$OUT/rpc-cost-$kind.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do grep -q ready "$OUT/rpc-cost-$kind.log" && break; sleep 0.1; done
  call=(--insecure --proto proto/ordersystem/customers/v1/contacts.proto --import-paths proto
    --call ordersystem.customers.v1.ContactService.GetContact -d '{"customer_id":"25f992f0-c59d-452c-99de-9eb9718ac9b8"}'
    --connections 1)
  "$GHZ" "${call[@]}" -n 2000 -c 4 "127.0.0.1:$port" >/dev/null # warm-up: JIT, the connection
  for load in "${LOADS[@]}"; do
    rate=()
    [[ $load == closed ]] && rate=(-c 1) || rate=(-c 4 --rps "$load")
    before=$(cpu_ms "$SERVER")
    report=$("$GHZ" "${call[@]}" "${rate[@]}" -z "${SECONDS_EACH}s" --duration-stop wait -O json "127.0.0.1:$port")
    after=$(cpu_ms "$SERVER")
    node -e '
      const [kind, load, cpu, file] = process.argv.slice(1);
      const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
      const ok = r.statusCodeDistribution?.OK ?? 0;
      const row = { server: kind, load, calls: ok, errors: r.count - ok, callsPerSecond: +r.rps.toFixed(1),
        serverCpuMsPerCall: +(Number(cpu) / Math.max(ok, 1)).toFixed(3) };
      const all = JSON.parse(require("fs").readFileSync(file, "utf8"));
      all.push(row);
      require("fs").writeFileSync(file, JSON.stringify(all, null, 2));
      console.log(`${kind.padEnd(14)} ${load.padEnd(8)} ${String(ok).padStart(8)} ${row.callsPerSecond.toFixed(0).padStart(10)} ${row.serverCpuMsPerCall.toFixed(3).padStart(18)}${row.errors ? `  (${row.errors} errors)` : ""}`);
    ' "$kind" "$load" "$((after - before))" "$RESULT" <<<"$report"
  done
  stop_server
done
echo "JSON: ${RESULT#"$ROOT"/}"
