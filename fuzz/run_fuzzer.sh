#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time (the slow test tier; docs/FUZZING.md).
#
#   run_fuzzer.sh BINARY WORKDIR [--dict FILE] [--seed GLOB]... [--seed-with PREFIX GLOB]...
#
# Seeds are gathered at run time into WORKDIR/seeds (files named by GLOB, each cut to 1 MiB,
# with PREFIX written before it for --seed-with); a glob that matches nothing is skipped. New inputs go to WORKDIR/corpus, which persists
# between runs. Time: FUZZ_SECONDS (default 60). A crash, leak, sanitizer report, timeout or
# out-of-memory fails with the fuzzer's exit status and leaves the reproducer in WORKDIR
# (crash-*, leak-*, timeout-*, oom-*): replay it with `BINARY WORKDIR/crash-…`.
set -euo pipefail
shopt -s nullglob

binary=$1
workdir=$2
shift 2
seconds=${FUZZ_SECONDS:-60}
# 1 MiB: the JSON readers must be reached with inputs past 64 KiB (issue 15), where nesting
# limits and long documents live.
max_len=${FUZZ_MAX_LEN:-1048576}
dict=()

rm -rf "$workdir/seeds"
mkdir -p "$workdir/seeds" "$workdir/corpus"
seed_count=0
add_seed() {  # PREFIX FILE
  local target
  target="$workdir/seeds/$seed_count-$(basename "$2")"
  { printf '%s' "$1"; head -c "$max_len" "$2"; } >"$target"
  seed_count=$((seed_count + 1))
}
while [ $# -gt 0 ]; do
  case $1 in
    --dict) dict=("-dict=$2"); shift 2 ;;
    --seed)
      for file in $2; do [ -f "$file" ] && add_seed "" "$file"; done
      shift 2 ;;
    --seed-with)
      for file in $3; do [ -f "$file" ] && add_seed "$2" "$file"; done
      shift 3 ;;
    *) echo "run_fuzzer.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
echo "$(basename "$binary"): $seed_count seed files, $seconds s, work directory $workdir"

status=0
"$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len="$max_len" -timeout=30 \
  -print_final_stats=1 -artifact_prefix="$workdir/" "${dict[@]}" \
  "$workdir/corpus" "$workdir/seeds" || status=$?
if [ "$status" -ne 0 ]; then
  echo "FUZZ FAILURE (exit $status): reproducers in $workdir:" >&2
  ls -1 "$workdir" | grep -E '^(crash|leak|timeout|oom|slow-unit)-' >&2 || true
fi
exit "$status"
