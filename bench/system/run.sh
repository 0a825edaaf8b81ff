#!/usr/bin/env bash
# The system benchmark, one command: infrastructure up, build, pinned k6, then bench/system/src/main.ts
# compiled with the repo's tsc and run with the project's Node 24. Arguments go to main.ts, e.g.
#   bench/system/run.sh --seconds 20 --catalog-vus 64 --profile
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$PATH"
K6_VERSION=v1.8.1 # go.k6.io/k6 on the Go module proxy
export K6="$ROOT/.tools/bin/k6"

# Usage without starting anything: the commands and options as bench/README.md documents them.
for arg; do
  if [[ $arg == -h || $arg == --help ]]; then
    sed -n -e '/^bench\/system\/run.sh /p' -e '/^BENCH_SKIP_BUILD=1 /p' -e '/^node bench\/system\/compare.mjs/p' -e '/^Options: /,/^$/p' bench/README.md
    echo "Every scenario and figure: bench/README.md"
    exit 0
  fi
done

[[ $(node --version) == v24.* ]] || { echo "expected Node 24 from node_modules/.bin (run npm install)" >&2; exit 1; }
if [[ ! -x $K6 ]] || ! "$K6" version | grep -q "k6 $K6_VERSION "; then
  command -v go >/dev/null || { echo "k6 $K6_VERSION is needed: install Go, or put k6 at $K6" >&2; exit 1; }
  echo "[bench] installing k6 $K6_VERSION into .tools/bin" >&2
  GOBIN="$ROOT/.tools/bin" go install "go.k6.io/k6@$K6_VERSION"
fi
scripts/infra up >/dev/null
# BENCH_SKIP_BUILD=1 measures the dist/ already built (a shared tree may be mid-edit elsewhere).
[[ ${BENCH_SKIP_BUILD:-} == 1 ]] || npm run --silent build
tsc -p bench/system/tsconfig.json
exec node bench/system/dist/bench/system/src/main.js "$@"
