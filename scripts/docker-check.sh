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
files=$(cd "$root" && npm pack --dry-run --json --ignore-scripts 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].files.map(f=>f.path).join("\n")))')
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
# The probe reads the port from VCONF_PORT, as the server does: a container on another port stays healthy.
[[ "$healthcheck" == *process.env.VCONF_PORT* && "$healthcheck" != *4010* ]] || { echo "docker-check: the HEALTHCHECK does not follow VCONF_PORT: $healthcheck" >&2; exit 1; }

entrypoint=$(sed -n 's/^ENTRYPOINT \(\[.*\]\)$/\1/p' "$root/Dockerfile")
[ -n "$entrypoint" ] || { echo "docker-check: no ENTRYPOINT found in the Dockerfile" >&2; exit 1; }
mapfile -t command < <(node -e 'for (const arg of JSON.parse(process.argv[1])) console.log(arg)' "$entrypoint")
start=$(node -p 'require(process.argv[1]).scripts.start' "$root/package.json")
[[ "$start" == *"&& ${command[*]}" ]] || { echo "docker-check: the ENTRYPOINT (${command[*]}) is not what npm start runs ($start)" >&2; exit 1; }

# The image's ENV lines (continuations joined), with the host narrowed to loopback for this machine.
mapfile -t image_env < <(node -e '
  const text = require("fs").readFileSync(process.argv[1], "utf8").replace(/\\\n/g, " ");
  for (const line of text.split("\n").filter((l) => l.startsWith("ENV ")))
    for (const [, k, v] of line.slice(4).matchAll(/(\w+)=(\S+)/g)) console.log(`${k}=${v}`);' "$root/Dockerfile")

# Starts the image's ENTRYPOINT with its ENV plus "$@", waits for its HEALTHCHECK to pass.
serve() {
  env "${image_env[@]}" VCONF_HOST=127.0.0.1 VCONF_PORT="$port" "$@" "${command[@]}" --log-level warn 2>"$work/stderr" &
  pid=$!
  for _ in $(seq 1 50); do
    if VCONF_PORT="$port" node -e "$healthcheck"; then return 0; fi
    sleep 0.2
  done
  echo "docker-check: the server never became healthy" >&2
  cat "$work/stderr" >&2
  exit 1
}
stop() { kill "$pid"; wait "$pid" || true; pid=; }
status() { node -e 'fetch(process.argv[1], { headers: process.argv[2] ? { authorization: process.argv[2] } : {} }).then((r) => console.log(r.status))' "$@"; }

serve
grep -q 'warning: the control plane (/_emulator/) answers any caller' "$work/stderr" || { echo "docker-check: no open-control-plane warning at start" >&2; exit 1; }
[ "$(status "http://127.0.0.1:$port/_emulator/worlds")" = 200 ] || { echo "docker-check: /_emulator/worlds does not answer without a token" >&2; exit 1; }
echo "docker-check: HEALTHCHECK passed on port $port without an admin token (control plane open, warning printed)"
stop

# The README's volume example: a database in /data, which the image makes and gives to the node user.
grep -q '^RUN mkdir /data && chown node:node /data$' "$root/Dockerfile" || { echo "docker-check: the image does not give /data to the node user" >&2; exit 1; }
mkdir "$work/data"
serve VCONF_DB="$work/data/emulator.db"
[ -s "$work/data/emulator.db" ] || { echo "docker-check: no database file written in the data folder" >&2; exit 1; }
echo "docker-check: HEALTHCHECK passed on port $port with a file database in the data folder"
stop

serve VCONF_ADMIN_TOKEN=docker-check-token
[ "$(status "http://127.0.0.1:$port/_emulator/worlds")" = 401 ] || { echo "docker-check: /_emulator/worlds answers without the admin token" >&2; exit 1; }
[ "$(status "http://127.0.0.1:$port/_emulator/worlds" 'Bearer docker-check-token')" = 200 ] || { echo "docker-check: /_emulator/worlds refuses the admin token" >&2; exit 1; }
echo "docker-check: HEALTHCHECK passed on port $port with VCONF_ADMIN_TOKEN (control plane needs the token)"
stop
