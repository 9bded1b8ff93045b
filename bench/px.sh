#!/usr/bin/env bash
# The PX benchmark (`make bench`): reads a large PX file generated from a real one (SCB's
# TAB2017, expanded to about 55 MB: bench/px_parse.cpp) and prints the parse speed beside issue
# 14's target (>= 150 MB/s); it fails only when something does not work, never because a target
# is missed. Environment: BENCH_SKIP_BUILD=1, PX_YEARS (default 35) to change the file's size.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build_dir=build/bench

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "== building the bench preset (release, with the benchmark tools)"
  cmake --preset bench >/dev/null
  cmake --build --preset bench --target halsonav_bench_px
fi
[ -x "$build_dir/halsonav_bench_px" ] || { echo "bench: $build_dir/halsonav_bench_px is missing" >&2; exit 1; }

. bench/lib.sh
bench_work halsonav-bench-px
"$build_dir/halsonav_bench_px" --years "${PX_YEARS:-35}" --repeat 3 | tee "$work/px.log"

table_mbs=$(sed -n 's/^parse px (table): .* = \([0-9.]*\) MB\/s.*/\1/p' "$work/px.log")
batch_mbs=$(sed -n 's/^parse px (batch): .* = \([0-9.]*\) MB\/s.*/\1/p' "$work/px.log")
verdict() { awk -v v="$1" -v l="$2" 'BEGIN { print (v >= l) ? "PASS" : "MISS" }'; }
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo
echo "== Hälsonav PX benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine:  $(nproc) cores, ${cpu_model:-unknown CPU}, $(uname -sr)"
echo "commit:   $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
printf '%-52s %14s   %-22s %s\n' "measurement" "figure" "target" "verdict"
printf '%-52s %9s MB/s   %-22s %s\n' "PX parsing (keywords, codepage, DATA)" "$table_mbs" \
  ">= 150 MB/s" "$(verdict "$table_mbs" 150)"
printf '%-52s %9s MB/s\n' "    and planned into observations (ReadPx)" "$batch_mbs"
