#!/usr/bin/env bash
# The soak, one command: the system benchmark's pieces (infrastructure up, build, pinned k6, the e2e
# harness) running a steady mixed load for a while and reporting each service's memory and open
# handles at the start and the end, so a leak shows as growth. Not part of CI. Arguments go to
# bench/soak/src/main.ts, e.g.
#   bench/soak/run.sh                      # 10 minutes
#   bench/soak/run.sh --minutes 60 --read-rate 40 --order-rate 4
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$PATH"
K6_VERSION=v1.8.1 # the system benchmark's pin (bench/system/run.sh)
export K6="$ROOT/.tools/bin/k6"

[[ $(node --version) == v24.* ]] || { echo "expected Node 24 from node_modules/.bin (run npm install)" >&2; exit 1; }
if [[ ! -x $K6 ]] || ! "$K6" version | grep -q "k6 $K6_VERSION "; then
  command -v go >/dev/null || { echo "k6 $K6_VERSION is needed: install Go, or put k6 at $K6" >&2; exit 1; }
  echo "[soak] installing k6 $K6_VERSION into .tools/bin" >&2
  GOBIN="$ROOT/.tools/bin" go install "go.k6.io/k6@$K6_VERSION"
fi
scripts/infra up >/dev/null
npm run --silent build
# Compiled into bench/system/dist beside the system benchmark: the e2e harness it shares finds the
# repository root from there (e2e/harness/dev-env.ts).
tsc -p bench/soak/tsconfig.json
exec node bench/system/dist/bench/soak/src/main.js "$@"
