#!/usr/bin/env bash
# Whether buildApp's warmTickQueue (src/app.ts) still pays on each Node line (default 20, 22 and 24): for
# each, the build as it is and a copy with the call taken out, served by that line's binary in fresh
# processes, in turns (bench/tick-queue.ts). Other lines' binaries and better-sqlite3 builds come from
# scripts/node-lines.sh's cache (its -O0 SQLite build: the measured route reads only the in-memory cache).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- 20 22 24
rounds=${ROUNDS:-8}
cache=${VCONF_NODE_CACHE:-${TMPDIR:-/tmp}/vconf-emulator-node-lines}
current=$(node -p 'process.versions.node.split(".")[0]')
npm run build --silent
others=()
for line in "$@"; do [ "$line" = "$current" ] || others+=("$line"); done
[ ${#others[@]} -eq 0 ] || bash scripts/node-lines.sh --prepare "${others[@]}" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for line in "$@"; do
  if [ "$line" = "$current" ]; then
    nodebin=$(command -v node)
    sqlite=node_modules/better-sqlite3
  else
    nodedir=$(ls -d "$cache/node-$line".* | sort -V | tail -1)
    nodebin=$nodedir/bin/node
    sqlite=$(ls -d "$cache/better-sqlite3-"*"-node-${nodedir##*/node-}-O0" | tail -1)
  fi
  copy=$work/$line
  mkdir -p "$copy"
  cp -a package.json openapi fixtures dist "$copy/"
  cp -al node_modules "$copy/node_modules"
  rm -rf "$copy/node_modules/better-sqlite3"
  cp -a "$sqlite" "$copy/node_modules/better-sqlite3"
  cp -a "$copy/dist" "$copy/dist-cold"
  sed -i -E 's/^( *)await warmTickQueue\(\);/\1\/\/ not warmed/' "$copy/dist-cold/src/app.js"
  if grep -q 'await warmTickQueue();' "$copy/dist-cold/src/app.js"; then echo "could not take warmTickQueue out of the copy" >&2; exit 1; fi
  TS_NODE_TRANSPILE_ONLY=1 node --import @tapjs/typescript/import bench/tick-queue.ts "$nodebin" "$copy" "$rounds"
done
