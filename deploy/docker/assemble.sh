#!/usr/bin/env bash
# Used by the Dockerfile's prune stage (and exercised by scripts/check-deploy): after
# `npm ci --omit=dev --workspace WS` in the build tree, copy into OUT exactly what WS runs with —
# the production node_modules, WS itself and the workspaces it links (@ordersystem/*), each as
# package.json + dist (+ a nested node_modules when npm had to place one there). No sources,
# no tests, no build info.
set -euo pipefail
ws=${1:?workspace path, e.g. services/orders} out=${2:?output dir}
[[ -f $ws/package.json && -d $ws/dist ]] || { echo "assemble: $ws has no package.json or dist/" >&2; exit 1; }
mkdir -p "$out"
cp -a package.json node_modules "$out/"

workspaces=("$ws")
for link in node_modules/@ordersystem/*; do
  [[ -L $link ]] && workspaces+=("$(realpath --relative-to=. "$link")")
done
mapfile -t workspaces < <(printf '%s\n' "${workspaces[@]}" | sort -u)
for w in "${workspaces[@]}"; do
  [[ -d $w/dist ]] || { echo "assemble: $w is linked but not built" >&2; exit 1; }
  mkdir -p "$out/$w"
  # What a workspace ships is what its package.json "files" says (npm's own rule), dist/ by default.
  mapfile -t shipped < <(node -e 'for (const f of require(process.argv[1]).files ?? ["dist"]) console.log(f)' "$PWD/$w/package.json")
  (cd "$w" && cp -a package.json "${shipped[@]}" "$out/$w/")
  if [[ -d $w/node_modules ]]; then cp -a "$w/node_modules" "$out/$w/"; fi
done
# Type declarations and build info are for compilers, not for node.
find "$out" -path '*/node_modules' -prune -o -type f \( -name '*.d.ts' -o -name '*.d.ts.map' -o -name '*.tsbuildinfo' \) -print0 | xargs -0 rm -f
echo "assemble: $ws -> $out ($(du -sh "$out" | cut -f1); workspaces: ${workspaces[*]})"
