#!/usr/bin/env bash
# The statistics benchmark (`make bench`, after bench/run.sh): prints figures beside issue 5's
# speed targets; it fails only when something does not work, never because a target is missed.
#
#   (a) parsing: JSON-stat and Kolada files read in memory by the io readers (halsonav_bench_parse)
#   (b) the synthetic national set (`halsonav synth`: 290 municipalities, their regions and
#       Riket, 500 indicators, 20 years) imported into a fresh SQLite database by the CLI:
#       wall time, observations per second, peak memory (the process's maximum RSS)
#   (c) the same set imported again (nothing changes)
#   (d) GET /api/v1/areas/{code}/profile over every indicator, with wrk: p50 and p99, built
#       afresh (distinct municipalities) and from the cache (one municipality again)
#
# Environment: BENCH_DURATION
# (seconds per wrk run, default 10), BENCH_KEEP=1 keeps the work directory, BENCH_SKIP_BUILD=1,
# SYNTH_MUNICIPALITIES / SYNTH_INDICATORS / SYNTH_YEARS to shrink the set for a quick look.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
duration=${BENCH_DURATION:-10}
build_dir=build/bench
areas_file=$root/data/national/municipalities.csv
municipalities=${SYNTH_MUNICIPALITIES:-290}
indicators=${SYNTH_INDICATORS:-500}
years=${SYNTH_YEARS:-20}

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  scripts/install-deps
  echo "== building the bench preset (release, with the benchmark tools)"
  cmake --preset bench >/dev/null
  cmake --build --preset bench
fi
[ -x "$build_dir/halsonav" ] || { echo "bench: $build_dir/halsonav is missing" >&2; exit 1; }

. bench/lib.sh
bench_work halsonav-stats-bench

halsonav="$build_dir/halsonav"
db="$work/national.db"

# measure LOG COMMAND...: runs it, then appends "seconds=S max_rss_kb=K" to LOG.
measure() {
  local log=$1
  shift
  /usr/bin/python3 - "$log" "$@" <<'EOF'
import resource, subprocess, sys, time
log, command = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
result = subprocess.run(command)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(log, "a") as out:
    out.write(f"seconds={seconds:.2f} max_rss_kb={peak}\n")
sys.exit(result.returncode)
EOF
}
field() { sed -n "s/.*$2=\([0-9.]*\).*/\1/p" "$1" | tail -n 1; }

echo "== the area registry and the synthetic national set in $work"
"$halsonav" init --db "$db" >/dev/null
measure "$work/synth.log" "$halsonav" synth --db "$db" -o "$work/synth" \
  --municipalities "$municipalities" --indicators "$indicators" --years "$years" |
  tee "$work/synth.out"
synth_observations=$(sed -n 's/.* \([0-9]*\) observations;.*/\1/p' "$work/synth.out")
synth_mb=$(sed -n 's/.*files (\([0-9.]*\) MB).*/\1/p' "$work/synth.out")

parse_lines="(halsonav_bench_parse not built)"
if [ -x "$build_dir/halsonav_bench_parse" ]; then
  echo "== (a) parsing in memory"
  jsonstat_file=$(ls "$work"/synth/jsonstat/*.json | head -n 1)
  kolada_file=$(ls "$work"/synth/kolada/*.json | head -n 1)
  "$build_dir/halsonav_bench_parse" --jsonstat "$jsonstat_file" \
    --mapping "$work/synth/jsonstat_mapping.json" --repeat 5 | tee "$work/parse.log" || true
  "$build_dir/halsonav_bench_parse" --kolada "$kolada_file" --repeat 3 |
    tee -a "$work/parse.log" || true
  # A real SCB PX-Web v2 response (small: 36 KB, 2,772 values), beside the synthetic table.
  "$build_dir/halsonav_bench_parse" --jsonstat "$root/tests/data/pxweb/scb-v2/TAB6471_data.json" \
    --repeat 2000 | sed 's/^parse jsonstat:/parse jsonstat (SCB TAB6471):/' |
    tee -a "$work/parse.log" || true
  # One large table (55 MB, 2.9 M observations of 4 parts: 2,000 areas x 120 years), the size
  # where writing the observations used to cost more than the parse (issue 14: >= 300 MB/s).
  "$build_dir/halsonav_bench_parse" --municipalities 2000 --indicators 1 --years 120 \
    --repeat 1 --keep "$work/large" >/dev/null || true
  "$build_dir/halsonav_bench_parse" --jsonstat "$work/large/jsonstat/SYNT0001.json" \
    --mapping "$work/large/jsonstat_mapping.json" --repeat 5 |
    sed 's/^parse jsonstat:/parse jsonstat (large table):/' | tee -a "$work/parse.log" || true
  rm -rf "$work/large"
  parse_lines=$(grep '^parse ' "$work/parse.log" || echo "(no figures)")
fi

echo "== (b) importing the national set"
measure "$work/import_kolada.log" "$halsonav" import stats --db "$db" --format kolada \
  --no-progress "$work"/synth/kolada/*.json | tee "$work/import_kolada.out"
measure "$work/import_jsonstat.log" "$halsonav" import stats --db "$db" --format jsonstat \
  --mapping "$work/synth/jsonstat_mapping.json" --no-progress "$work"/synth/jsonstat/*.json |
  tee "$work/import_jsonstat.out"
kolada_s=$(field "$work/import_kolada.log" seconds)
jsonstat_s=$(field "$work/import_jsonstat.log" seconds)
import_s=$(awk -v a="$kolada_s" -v b="$jsonstat_s" 'BEGIN {printf "%.2f", a + b}')
import_rate=$(awk -v n="$synth_observations" -v s="$import_s" 'BEGIN {printf "%.0f", n / s}')
peak_kb=$(cat "$work/import_kolada.log" "$work/import_jsonstat.log" |
  sed -n 's/.*max_rss_kb=\([0-9]*\).*/\1/p' | sort -n | tail -n 1)
peak_mb=$(awk -v k="$peak_kb" 'BEGIN {printf "%.0f", k / 1024}')

echo "== (c) importing it again"
measure "$work/reimport.log" "$halsonav" import stats --db "$db" --format kolada --no-progress \
  "$work"/synth/kolada/*.json
measure "$work/reimport.log" "$halsonav" import stats --db "$db" --format jsonstat \
  --mapping "$work/synth/jsonstat_mapping.json" --no-progress "$work"/synth/jsonstat/*.json
reimport_s=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' "$work/reimport.log" |
  awk '{sum += $1} END {printf "%.2f", sum}')
db_mb=$(awk -v b="$(stat -c %s "$db")" 'BEGIN {printf "%.0f", b / 1e6}')

# (b) on PostgreSQL (issue 16): the same files into a throw-away cluster (COPY and one merge per
# file); BENCH_SKIP_POSTGRES=1 leaves it out.
pg_line=""
if [ "${BENCH_SKIP_POSTGRES:-0}" != 1 ]; then
  echo "== (b) importing the national set into PostgreSQL"
  bench_postgres national
  "$halsonav" init --db "$postgres_db" >/dev/null
  measure "$work/pg_import.log" "$halsonav" import stats --db "$postgres_db" --format kolada \
    --no-progress "$work"/synth/kolada/*.json
  measure "$work/pg_import.log" "$halsonav" import stats --db "$postgres_db" --format jsonstat \
    --mapping "$work/synth/jsonstat_mapping.json" --no-progress "$work"/synth/jsonstat/*.json
  pg_import_s=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' "$work/pg_import.log" |
    awk '{sum += $1} END {printf "%.2f", sum}')
  pg_rate=$(awk -v n="$synth_observations" -v s="$pg_import_s" 'BEGIN {printf "%.0f", n / s}')
  pg_line="$pg_import_s $pg_rate"
fi

echo "== (d) area profiles"
bench_serve "$halsonav" --db "$db"
area=$(sed -n '2,$p' "$areas_file" | grep '"K"' | head -n 1 |
  cut -d, -f1 | tr -d '"')
profile_url="http://127.0.0.1:$port/api/v1/areas/$area/profile"
profile_info=$(/usr/bin/python3 - "$profile_url" <<'EOF'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1]) as response:
    body = response.read()
profile = json.loads(body)
rows = profile["indicators"]
with_county = sum(1 for row in rows if row.get("total", {}).get("county"))
print(len(rows), with_county, len(body))
EOF
)
read -r profile_rows profile_county profile_bytes <<<"$profile_info"
[ "$profile_rows" -gt 0 ] || { echo "bench: the profile of $area is empty" >&2; exit 1; }
# Distinct municipalities, one connection, no warm-up, shorter than one pass over them: every
# profile is built afresh (the cache holds a profile until the data changes).
sed -n '2,$p' "$areas_file" | grep '"K"' | cut -d, -f1 | tr -d '"' |
  sed 's|^|/api/v1/areas/|; s|$|/profile|' >"$work/profile_paths.txt"
wrk -t1 -c1 -d4s --latency -s bench/wrk.lua "$profile_url" -- "$work/profile_paths.txt" |
  tee "$work/profile_fresh.wrk"
for connections in 1 4; do
  wrk -t1 -c"$connections" -d2s -s bench/wrk.lua "$profile_url" >/dev/null
  wrk -t1 -c"$connections" -d"${duration}s" --latency -s bench/wrk.lua "$profile_url" |
    tee "$work/profile$connections.wrk"
done
profile_line() { grep '^BENCH ' "$work/profile$1.wrk"; }
fresh_requests=$(profile_line _fresh | sed -n 's/.* requests=\([0-9]*\).*/\1/p')
fresh_p50=$(profile_line _fresh | sed -n 's/.* p50_ms=\([0-9.]*\).*/\1/p')
fresh_p99=$(profile_line _fresh | sed -n 's/.* p99_ms=\([0-9.]*\).*/\1/p')
p50_1=$(profile_line 1 | sed -n 's/.* p50_ms=\([0-9.]*\).*/\1/p')
p99_1=$(profile_line 1 | sed -n 's/.* p99_ms=\([0-9.]*\).*/\1/p')
p99_4=$(profile_line 4 | sed -n 's/.* p99_ms=\([0-9.]*\).*/\1/p')
rps_4=$(profile_line 4 | sed -n 's/.* rps=\([0-9.]*\).*/\1/p')

verdict() {
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
    ok = (op == "<") ? (v < l) : (v >= l); print ok ? "PASS" : "MISS" }'
}
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem_total=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
echo
echo "== Hälsonav statistics benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine:  $(nproc) cores, ${cpu_model:-unknown CPU}, $mem_total, $(uname -sr)"
echo "commit:   $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"
echo "set:      $municipalities municipalities (+ regions, Riket) x $indicators indicators x $years years:" \
  "$synth_observations observations in $synth_mb MB of files (written in $(field "$work/synth.log" seconds) s);" \
  "database $db_mb MB"
echo
printf '%-52s %14s   %-22s %s\n' "measurement" "figure" "target" "verdict"
while read -r line; do
  [ -n "$line" ] && printf '%-52s\n' "(a) $line"
done <<<"$parse_lines"
jsonstat_mbs=$(sed -n 's/^parse jsonstat: .* s = \([0-9.]*\) MB\/s, CPU.*/\1/p' <<<"$parse_lines" |
  head -n 1)
if [ -n "$jsonstat_mbs" ]; then
  printf '%-52s %9s MB/s   %-22s %s\n' "    JSON-stat parsing" "$jsonstat_mbs" ">= 300 MB/s" \
    "$(verdict "$jsonstat_mbs" ">=" 300)"
fi
large_mbs=$(sed -n 's/^parse jsonstat (large table): .* s = \([0-9.]*\) MB\/s, CPU.*/\1/p' \
  <<<"$parse_lines" | head -n 1)
if [ -n "$large_mbs" ]; then
  printf '%-52s %9s MB/s   %-22s %s\n' "    JSON-stat parsing, large table (55 MB)" "$large_mbs" \
    ">= 300 MB/s" "$(verdict "$large_mbs" ">=" 300)"
fi
printf '%-52s %12s s   %-22s %s\n' "(b) national set imported (Kolada + JSON-stat)" "$import_s" "< 30 s" \
  "$(verdict "$import_s" "<" 30)"
printf '%-52s %12s /s   %-22s %s\n' "    observations per second" "$import_rate" ">= 500,000/s" \
  "$(verdict "$import_rate" ">=" 500000)"
printf '%-52s %11s MB   %-22s %s\n' "    peak memory of the import (max RSS)" "$peak_mb" "< 1 GB" \
  "$(verdict "$peak_mb" "<" 1024)"
if [ -n "$pg_line" ]; then
  read -r pg_import_s pg_rate <<<"$pg_line"
  printf '%-52s %12s s\n' "(b) the same into PostgreSQL" "$pg_import_s"
  printf '%-52s %12s /s   %-22s %s\n' "    observations per second, PostgreSQL" "$pg_rate" \
    ">= 400,000/s" "$(verdict "$pg_rate" ">=" 400000)"
fi
printf '%-52s %12s s\n' "(c) the same set again (all unchanged)" "$reimport_s"
printf '%-52s %11s ms   %-22s %s\n' "(d) profile, $profile_rows indicators, built afresh: p99" \
  "$fresh_p99" "< 20 ms p99" "$(verdict "$fresh_p99" "<" 20)"
printf '%-52s %11s ms   (%s distinct municipalities, 1 connection)\n' "    p50, built afresh" \
  "$fresh_p50" "$fresh_requests"
printf '%-52s %11s ms   %-22s %s\n' "    the same area again (cached), 1 conn: p99" "$p99_1" \
  "< 20 ms p99" "$(verdict "$p99_1" "<" 20)"
printf '%-52s %11s ms\n' "    p50, cached, 1 connection" "$p50_1"
printf '%-52s %11s ms   (%s req/s)\n' "    p99, cached, 4 connections" "$p99_4" "$rps_4"
echo
echo "(profile: $profile_bytes bytes of JSON, $profile_county of $profile_rows rows with a county value;" \
  "Kolada import $kolada_s s, JSON-stat import $jsonstat_s s)"
