#!/usr/bin/env bash
# The tree1_*, tree32_* and measure32_* figures are assigned by run() through printf -v.
# shellcheck disable=SC2154
# The HTTP read benchmark (`make bench`): prints figures beside the speed targets; it never fails
# because a target is missed (it fails only when something does not work).
#
# Builds the bench preset (release with the benchmark tools), fills a fresh database with 10 frameworks x 2,000 measures
# (bench/fill_database.cpp, through the real write path), serves it on 127.0.0.1 and measures
# with wrk, for a fixed time each:
#   (a) GET /api/v1/frameworks/{id}/tree, 1 connection      -> p50, p99, req/s
#   (b) the same tree, 32 connections                       -> req/s, p50, p99
#   (c) GET /api/v1/measures/{id} over all measure ids, 32 connections -> req/s, p50, p99
# wrk and the server share the machine's cores, as they would on a 2-core box. Before the server
# starts, bench/tree_pieces.cpp times the pieces of a tree read in process (SQL, DOM, dump).
#
# Environment: BENCH_DURATION (seconds per measurement, default 10), BENCH_WARMUP (default 2),
# BENCH_KEEP=1 keeps the temporary directory (database, server log), BENCH_SKIP_BUILD=1,
# BENCH_BACKEND=postgresql: the same on PostgreSQL (issue 16), in a throw-away cluster
# (tests/postgres/cluster.sh; the in-process pieces are SQLite's only). `make bench` runs both.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
duration=${BENCH_DURATION:-10}
warmup=${BENCH_WARMUP:-2}
build_dir=build/bench

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  scripts/install-deps
  echo "== building the bench preset (release, with the benchmark tools)"
  cmake --preset bench >/dev/null
  cmake --build --preset bench
fi
for binary in halsonav halsonav_bench_fill halsonav_bench_pieces; do
  [ -x "$build_dir/$binary" ] || { echo "bench: $build_dir/$binary is missing" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "bench: wrk is not installed (scripts/install-deps)" >&2; exit 1; }

. bench/lib.sh
bench_work halsonav-bench
backend=${BENCH_BACKEND:-sqlite}
db="$work/bench.db"
if [ "$backend" = postgresql ]; then
  bench_postgres bench
  db=$postgres_db
fi

echo "== filling $db"
"$build_dir/halsonav_bench_fill" "$db" --frameworks 10 --measures 2000 \
  --ids-out "$work/measure_ids.txt" | tee "$work/fill.log"
fill_line=$(grep '^filled ' "$work/fill.log")
fill_seconds=$(sed -n 's/^filled .* in \([0-9.]*\) s:.*/\1/p' "$work/fill.log")
read -r -a framework_ids <<<"$(sed -n 's/^framework_ids: //p' "$work/fill.log")"
# A framework from the middle: its rows are neither the first nor the last in the file.
tree_framework=${framework_ids[$((${#framework_ids[@]} / 2))]}
if [ "$backend" = postgresql ]; then
  db_bytes=$(psql -X -At "$db" -c "SELECT pg_database_size(current_database())")
  : >"$work/pieces.log"
else
  db_bytes=$(stat -c %s "$db")
  echo "== where a tree's time goes, in process (bench/tree_pieces.cpp)"
  "$build_dir/halsonav_bench_pieces" "$db" "$tree_framework" 15 | tee "$work/pieces.log"
fi

# Every measurement is taken signed in, as a person using the web application is: each request
# carries a session cookie that the server looks up (issue 15).
echo "bench-password-not-common" |
  "$build_dir/halsonav" user add bench --email bench@bench.example --role reader --password-stdin \
    --db "$db" >/dev/null

echo "== starting the server"
bench_serve "$build_dir/halsonav" --db "$db"
base="http://127.0.0.1:$port"
tree_url="$base/api/v1/frameworks/$tree_framework/tree"
echo "server pid $server_pid at $base"
cookie=$(python3 - "$base/api/v1/session" <<'EOF'
import json, sys, urllib.request
body = json.dumps({"user": "bench", "password": "bench-password-not-common"}).encode()
request = urllib.request.Request(sys.argv[1], data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
with urllib.request.urlopen(request) as response:
    print(response.headers["Set-Cookie"].split(";")[0])
EOF
)
[ -n "$cookie" ] || { echo "bench: signing in as bench failed" >&2; exit 1; }
echo "signed in: every request below carries the session cookie"

# One GET with Python's standard library: status, body size, and the tree's counts.
tree_info=$(python3 - "$tree_url" <<'EOF'
import json, sys, time, urllib.request
started = time.perf_counter()
with urllib.request.urlopen(sys.argv[1]) as response:
    body = response.read()
    status = response.status
elapsed = (time.perf_counter() - started) * 1000
tree = json.loads(body)
def count(nodes):
    n, m = 0, 0
    for node in nodes:
        cn, cm = count(node["children"])
        n, m = n + 1 + cn, m + len(node["measures"]) + cm
    return n, m
nodes, measures = count(tree["nodes"])
print(status, len(body), nodes, measures, f"{elapsed:.1f}")
EOF
)
read -r tree_status tree_bytes tree_nodes tree_measures tree_first_ms <<<"$tree_info"
[ "$tree_status" = 200 ] || { echo "bench: $tree_url answered $tree_status" >&2; exit 1; }
echo "tree of framework $tree_framework: $tree_bytes bytes, $tree_nodes nodes, $tree_measures measures" \
  "(first, cold request: $tree_first_ms ms)"

# run NAME THREADS CONNECTIONS URL [IDS_FILE]: a warm-up, then the measurement; sets
# NAME_rps, NAME_p50, NAME_p90, NAME_p99, NAME_max, NAME_requests.
run() {
  local name=$1 threads=$2 connections=$3 url=$4 ids=${5:-}
  local args=(-t"$threads" -c"$connections" --timeout 10s --latency -H "Cookie: $cookie"
              -s bench/wrk.lua "$url")
  [ -n "$ids" ] && args+=(-- "$ids")
  echo
  echo "== $name: wrk -t$threads -c$connections -d${duration}s $url${ids:+ (ids from $ids)}"
  wrk -d"${warmup}s" "${args[@]}" >/dev/null
  wrk -d"${duration}s" "${args[@]}" | tee "$work/$name.wrk"
  local line
  line=$(grep '^BENCH ' "$work/$name.wrk")
  local errors non2xx
  errors=$(sed -n 's/.* errors=\([0-9]*\).*/\1/p' <<<"$line")
  non2xx=$(sed -n 's/.* non2xx=\([0-9]*\).*/\1/p' <<<"$line")
  if [ "$errors" != 0 ] || [ "$non2xx" != 0 ]; then
    echo "bench: $name had $errors socket errors and $non2xx non-2xx answers" >&2
    exit 1
  fi
  for key in rps p50_ms p90_ms p99_ms max_ms requests; do
    printf -v "${name}_${key%_ms}" '%s' "$(sed -n "s/.* $key=\([0-9.]*\).*/\1/p" <<<"$line")"
  done
}

run tree1 1 1 "$tree_url"
run tree32 2 32 "$tree_url"
run measure32 2 32 "$base/api/v1/measures/1" "$work/measure_ids.txt"

server_rss_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo "?")

# verdict VALUE OP LIMIT: PASS or MISS.
verdict() {
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
    ok = (op == "<") ? (v < l) : (v >= l); print ok ? "PASS" : "MISS" }'
}

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem_total=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
echo
echo "== Hälsonav HTTP read benchmark on $backend, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine:  $(nproc) cores, ${cpu_model:-unknown CPU}, $mem_total, $(uname -sr)"
echo "commit:   $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"
echo "database: ${db_bytes} bytes; $fill_line"
echo "tree:     framework $tree_framework, $tree_nodes nodes, $tree_measures measures," \
  "$tree_bytes bytes of JSON"
echo "wrk:      ${duration} s per measurement after a ${warmup} s warm-up; loopback; server peak RSS ${server_rss_kb} kB"
echo
printf '%-44s %10s %10s %10s %10s   %-26s %s\n' "measurement" "req/s" "p50 ms" "p90 ms" "p99 ms" "target" "verdict"
printf '%-44s %10s %10s %10s %10s   %-26s %s\n' "(a) tree, 1 connection" \
  "$tree1_rps" "$tree1_p50" "$tree1_p90" "$tree1_p99" "p50 < 25 ms" "$(verdict "$tree1_p50" "<" 25)"
printf '%-44s %10s %10s %10s %10s   %-26s %s\n' "(b) tree, 32 connections" \
  "$tree32_rps" "$tree32_p50" "$tree32_p90" "$tree32_p99" ">= 100 trees/s" "$(verdict "$tree32_rps" ">=" 100)"
printf '%-44s %10s %10s %10s %10s   %-26s %s\n' "(c) one measure, 32 connections" \
  "$measure32_rps" "$measure32_p50" "$measure32_p90" "$measure32_p99" ">= 5,000 req/s" "$(verdict "$measure32_rps" ">=" 5000)"
printf '%-44s %10s %10s %10s %10s   %-26s %s\n' "" "" "" "" "" "p99 < 20 ms" "$(verdict "$measure32_p99" "<" 20)"
echo
echo "in process, without HTTP (median of 15):"
sed -n 's/^  /  /p; s/^single measure/  single measure/p' "$work/pieces.log"
echo
echo "(fill took ${fill_seconds} s; throughput in the tree runs: $(awk -v r="$tree32_rps" -v b="$tree_bytes" 'BEGIN {printf "%.0f MB/s", r * b / 1e6}') of JSON at 32 connections)"
