# Shared prologue of the per-service ghz benchmarks: repo root, the project's Node, the
# infrastructure's connection settings and the pinned ghz
# (GOBIN=$PWD/.tools/bin go install github.com/bojand/ghz/cmd/ghz@v0.121.0).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$PATH"
# shellcheck disable=SC1091
source .infra/env
export PGOPTIONS="-c client_min_messages=warning"
GHZ="$ROOT/.tools/bin/ghz"
