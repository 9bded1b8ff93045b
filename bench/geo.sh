#!/bin/sh
# The map's geometry (issue 7): GET /api/v1/area-geometries?kind=municipality, the 290
# municipalities (about 450 kB), on a fresh database (`init` gives it Kolada's areas and both
# GeoJSON files of data/national).
#   (a) the import of the municipalities' file (818 kB) over the same outlines (read, checked and
#       compared; nothing changes), timed from outside;
#   (b) the first request after the server starts (the document built from the database), in five
#       fresh server processes;
#   (c) then the same request from the cache with wrk, one connection: p50 and p99;
#   (d) a revalidation that answers 304 (If-None-Match with the current ETag).
# Usage: bench/geo.sh [BINARY] (default build/bench/halsonav); BENCH_SECONDS (default 5). Needs
# curl and wrk.
set -eu

binary="${1:-build/bench/halsonav}"
national="$(dirname "$0")/../data/national"
duration="${BENCH_SECONDS:-5}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

db="$work/geo.db"
"$binary" init --db "$db" >/dev/null
start=$(date +%s.%N)
"$binary" import geo --db "$db" "$national/swedish_municipalities.geojson"
end=$(date +%s.%N)
echo "(a) import of the municipalities: $(echo "$end - $start" | bc | awk '{ printf "%.2f", $1 }') s"

port=$((20000 + $$ % 20000))
url="http://127.0.0.1:$port/api/v1/area-geometries?kind=municipality"
serve() {
  "$binary" serve --db "$db" --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
  server_pid=$!
  tries=0
  until curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ]; then echo "the server did not start" >&2; exit 1; fi
    sleep 0.05
  done
}
stop() {
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

printf '(b) first request (built), ms:'
for round in 1 2 3 4 5; do
  serve
  printf ' %s' "$(curl -s -o "$work/m.json" -w '%{time_total}' "$url" |
    awk '{ printf "%.1f", $1 * 1000 }')"
  stop
done
echo "  ($(wc -c <"$work/m.json") bytes)"

serve
etag=$(curl -s -D - -o /dev/null "$url" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" { print $2 }')
wrk -t1 -c1 -d1s -s bench/wrk.lua "$url" >/dev/null
echo "(c) cached, 1 connection, ${duration} s:"
wrk -t1 -c1 -d"${duration}s" --latency -s bench/wrk.lua "$url" | grep '^BENCH '
echo "(d) 304 revalidation, ms: $(curl -s -o /dev/null -H "If-None-Match: $etag" \
  -w '%{http_code} %{time_total}' "$url" | awk '{ printf "%s in %.2f", $1, $2 * 1000 }')"
stop

cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
mem_total=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
echo "machine:  $(nproc) cores, ${cpu_model:-unknown CPU}, $mem_total, $(uname -sr)"
echo "commit:   $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
