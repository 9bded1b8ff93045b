#!/usr/bin/env bash
# The fetch benchmark (`make bench`): what `halsonav fetch` adds over importing the same data
# from files, with a local stand-in (tests/e2e/fetch_standin.py) that answers at once. Prints
# both times beside issue 14's target (the fetch adds < 10 %); fails only when something does
# not work, never because a target is missed.
#
#   (a) Kolada: the synthetic national set's Kolada files (`halsonav synth`: KPIs × 290
#       municipalities, their regions and Riket × years), imported with `import kpis` +
#       `import stats --format kolada`, against `fetch kolada` of every KPI from the stand-in
#       serving the same values in pages of 5,000 (its answers built before the timed run)
#   (b) PxWeb v2: SCB's real TAB6471 answer (2,772 values) imported from its file, against
#       `fetch pxweb` of the same cells (config, metadata and data requests)
#
# Environment: BENCH_SKIP_BUILD=1, BENCH_KEEP=1, SYNTH_INDICATORS (default 50) and SYNTH_YEARS
# (default 20) to size the set, BENCH_RUNS (default 3; the best run of each is kept).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build_dir=${BENCH_BUILD_DIR:-build/bench}
indicators=${SYNTH_INDICATORS:-50}
years=${SYNTH_YEARS:-20}
runs=${BENCH_RUNS:-3}

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  scripts/install-deps
  echo "== building the bench preset (release)"
  cmake --preset bench >/dev/null
  cmake --build --preset bench --target halsonav
fi
[ -x "$build_dir/halsonav" ] || { echo "bench: $build_dir/halsonav is missing" >&2; exit 1; }

. bench/lib.sh
bench_work halsonav-fetch-bench
halsonav="$build_dir/halsonav"
standin_pid=
stop_standin() {
  if [ -n "$standin_pid" ]; then kill "$standin_pid" 2>/dev/null || true; fi
  bench_cleanup
}
trap stop_standin EXIT

# fresh_db NAME: a new database with the area registry; prints its path.
fresh_db() {
  rm -f "$work/$1"
  "$halsonav" init --db "$work/$1" >/dev/null
  "$halsonav" import areas data/national/municipalities.csv --db "$work/$1" >/dev/null
  echo "$work/$1"
}

# best_of COMMAND...: runs it $runs times, each on a fresh database named by $db_name (the
# command names it as @DB@; $before runs first on that database, untimed); prints the best
# wall time in seconds.
best_of() {
  local best=
  for _ in $(seq 1 "$runs"); do
    local db
    db=$(fresh_db "$db_name")
    local started ended
    started=$(date +%s.%N)
    "${@//@DB@/$db}" >"$work/last.out"
    ended=$(date +%s.%N)
    best=$(awk -v a="$started" -v b="$ended" -v best="$best" \
      'BEGIN {t = b - a; if (best == "" || t < best) best = t; printf "%.3f", best}')
  done
  echo "$best"
}

echo "== the synthetic national set ($indicators indicators, $years years) in $work"
synth_db=$(fresh_db synth.db)
synth_out=$("$halsonav" synth --db "$synth_db" -o "$work/synth" --indicators "$indicators" \
  --years "$years" | head -n 1)
echo "$synth_out"
kpis=$(sed -n '2,$p' "$work/synth/kpi_catalogue.csv" | cut -d, -f1 | tr -d '"' | paste -sd, -)

echo "== the stand-in"
/usr/bin/python3 tests/e2e/fetch_standin.py --root . --port 0 \
  --kolada-json "$work"/synth/kolada/*.json --catalogue "$work/synth/kpi_catalogue.csv" \
  >"$work/standin.log" 2>&1 &
standin_pid=$!
base=
for _ in $(seq 1 600); do
  base=$(sed -n 's/^listening on \(http:.*\)$/\1/p' "$work/standin.log")
  [ -n "$base" ] && break
  kill -0 "$standin_pid" 2>/dev/null || { cat "$work/standin.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { echo "bench: the stand-in did not start" >&2; exit 1; }
# Builds the stand-in's answers once, so that the timed runs see a service answering at once.
"$halsonav" fetch kolada --kpi "$kpis" --db "$(fresh_db warm.db)" --base-url "$base" \
  --no-progress --dry-run >/dev/null

echo "== (a) Kolada: files against fetch (best of $runs)"
import_files() {
  "$halsonav" import kpis "$work/synth/kpi_catalogue.csv" --db "$1" >/dev/null
  "$halsonav" import stats --db "$1" --format kolada --no-progress "$work"/synth/kolada/*.json
}
db_name=files.db
files_s=$(best_of import_files @DB@)
cat "$work/last.out"
observations=$(sed -n 's/.*: \([0-9]*\) new,.*/\1/p' "$work/last.out")
db_name=fetch.db
fetch_s=$(best_of "$halsonav" fetch kolada --kpi "$kpis" --db @DB@ --base-url "$base" \
  --no-progress)
cat "$work/last.out"

echo "== (b) PxWeb v2: SCB's TAB6471 from its file against fetch (best of $runs)"
db_name=px-files.db
px_files_s=$(best_of "$halsonav" import stats --db @DB@ --format jsonstat --no-progress \
  tests/data/pxweb/scb-v2/TAB6471_data.json)
db_name=px-fetch.db
px_fetch_s=$(best_of "$halsonav" fetch pxweb "$base/api/v2/tables/TAB6471" --db @DB@ \
  --no-progress --select Region=01,03,04,05,06,07,08,09,10,12,13,14,17,18,19,20,21,22,23,24,25 \
  --select Alder=0-9,10-19,20-29,30-39,40-49,50-59,60-69,70-79,80-89,90-99,100+10 \
  --select 'Kon=*' --select Tid=2026M01,2026M02,2026M03,2026M04)

overhead() { awk -v f="$1" -v g="$2" 'BEGIN {printf "%+.1f %%", (g - f) / f * 100}'; }
echo
echo "== fetch benchmark ($(nproc) cores, $(uname -m)), target: a fetch adds < 10 %"
echo "Kolada, $observations observations: import from files ${files_s} s, fetch ${fetch_s} s" \
  "($(overhead "$files_s" "$fetch_s"))"
echo "PxWeb v2 TAB6471, 2,772 values: import from the file ${px_files_s} s, fetch" \
  "${px_fetch_s} s ($(overhead "$px_files_s" "$px_fetch_s"))"
