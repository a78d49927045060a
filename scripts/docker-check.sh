#!/usr/bin/env bash
# Reproduces the Dockerfile's build without a Docker engine: the build stage (npm ci, build,
# prune dev dependencies) and the runtime stage (only what the image copies) in a temp directory,
# then starts the server with the image's ENTRYPOINT and runs the image's HEALTHCHECK command.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "docker-check: the published package holds what the image and embedders need"
files=$(cd "$root" && npm pack --dry-run --json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].files.map(f=>f.path).join("\n")))')
for f in package.json dist/src/cli.js dist/src/index.js dist/src/index.d.ts dist/openapi/rocketchat.json openapi/rocketchat.yaml openapi/emulator.yaml fixtures/rocketchat.json fixtures/schema.json; do
  grep -qx "$f" <<<"$files" || { echo "docker-check: $f is missing from the package" >&2; exit 1; }
done

echo "docker-check: build stage (npm ci, build, prune)"
mkdir "$work/build"
cd "$work/build"
cp "$root/package.json" "$root/package-lock.json" "$root/tsconfig.json" "$root/tsconfig.build.json" .
cp -r "$root/src" "$root/scripts" "$root/openapi" .
# The image compiles better-sqlite3 in its build stage. Here the addon the project's own install already
# compiled (same Node, same platform) is reused, so CI does not spend a second minute compiling it.
npm ci --no-audit --no-fund --loglevel=error --ignore-scripts
if [ -d "$root/node_modules/better-sqlite3/build" ]; then
  cp -r "$root/node_modules/better-sqlite3/build" node_modules/better-sqlite3/
else
  npm rebuild better-sqlite3 --loglevel=error
fi
npm run build --silent
npm prune --omit=dev --no-audit --no-fund --loglevel=error
if [ -d node_modules/typescript ] || [ -d node_modules/tap ]; then
  echo "docker-check: dev dependencies survived the prune" >&2
  exit 1
fi

echo "docker-check: runtime stage (the image's COPY lines)"
mkdir "$work/app"
cp -r package.json node_modules dist "$work/app/"
cp -r "$root/openapi" "$root/fixtures" "$work/app/"
cd "$work/app"

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
healthcheck=$(sed -n 's/.*CMD \["node", "-e", "\(.*\)"\]$/\1/p' "$root/Dockerfile" | sed 's/\\"/"/g')
[ -n "$healthcheck" ] || { echo "docker-check: no HEALTHCHECK found in the Dockerfile" >&2; exit 1; }
healthcheck=${healthcheck//4010/$port}

entrypoint=$(sed -n 's/^ENTRYPOINT \(\[.*\]\)$/\1/p' "$root/Dockerfile")
[ -n "$entrypoint" ] || { echo "docker-check: no ENTRYPOINT found in the Dockerfile" >&2; exit 1; }
mapfile -t command < <(node -e 'for (const arg of JSON.parse(process.argv[1])) console.log(arg)' "$entrypoint")
start=$(node -p 'require(process.argv[1]).scripts.start' "$root/package.json")
[[ "$start" == *"&& ${command[*]}" ]] || { echo "docker-check: the ENTRYPOINT (${command[*]}) is not what npm start runs ($start)" >&2; exit 1; }

NODE_ENV=production VCONF_HOST=127.0.0.1 VCONF_PORT=$port "${command[@]}" --log-level warn &
pid=$!
for _ in $(seq 1 50); do
  if node -e "$healthcheck"; then
    echo "docker-check: HEALTHCHECK passed on port $port"
    exit 0
  fi
  sleep 0.2
done
echo "docker-check: the server never became healthy" >&2
exit 1
