#!/usr/bin/env bash
# The web application's speed benchmark (`make bench`, issue 7 "Speed"): prints figures beside the
# targets; it never fails because a target is missed (it fails only when something does not work).
#
# Creates the demo database as scripts/run does (init --demo: the Kolada area registry,
# municipality groups and KPI catalogue, SCB's TAB6471, Kolada's values, the synthetic survey set
# and the map's boundaries), serves it with the release binary and `--web` the built application on a free loopback port, and
# runs web/tests/bench-pages.mjs (playwright-core, Debian's /usr/bin/chromium headless):
#   (a) every page interactive (h1 present, nothing aria-busy, no .loading), cold and warm
#   (b) the JavaScript of the first load, gzipped
#   (c) a framework of 2,000 measures: the table's load, the text and status filters' latency,
#       and scrolling (long tasks, dropped frames)
#
# Environment: BENCH_SKIP_BUILD=1 (skip the C++ build: `make bench` has built it in bench/run.sh),
# BENCH_RUNS (runs per page, default 7), BENCH_KEEP=1 keeps the work directory (database, server
# log), BENCH_BINARY (default build/bench/halsonav),
# BENCH_WEB (a built web application; default web/dist, built by scripts/build-web, which does
# nothing when it is up to date), BENCH_CHROMIUM (default /usr/bin/chromium).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
started=$(date +%s)
runs=${BENCH_RUNS:-7}
halsonav=${BENCH_BINARY:-build/bench/halsonav}
chromium=${BENCH_CHROMIUM:-/usr/bin/chromium}

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  scripts/install-deps
  echo "== building the bench preset (release)"
  cmake --preset bench >/dev/null
  cmake --build --preset bench --target halsonav
fi
if [ -n "${BENCH_WEB:-}" ]; then
  web=$BENCH_WEB
else
  # The web application is not part of the C++ build: always brought up to date (a no-op when
  # web/dist is newer than its sources); this also installs web/node_modules (playwright-core).
  scripts/build-web
  web=web/dist
fi
[ -x "$halsonav" ] || { echo "bench: $halsonav is missing" >&2; exit 1; }
[ -f "$web/index.html" ] || { echo "bench: $web/index.html is missing" >&2; exit 1; }
[ -d web/node_modules/playwright-core ] ||
  { echo "bench: web/node_modules/playwright-core is missing (cd web && npm ci)" >&2; exit 1; }
[ -x "$chromium" ] || { echo "bench: $chromium is missing (apt-get install -y chromium)" >&2; exit 1; }

. bench/lib.sh
bench_work halsonav-web-bench

# The demo database, with the same commands as scripts/run.
db="$work/halsonav.db"
echo "== the demo database in $db (as scripts/run creates it)"
db_started=$(date +%s.%N)
"$halsonav" init --db "$db" --demo
db_seconds=$(awk -v s="$db_started" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')

# An admin's token for the big plan's import (POST /api/v1/import/plan).
"$halsonav" user add bench --email bench@bench.example --role admin --db "$db" >/dev/null
token=$("$halsonav" token create --user bench --name bench --db "$db" |
  sed -n 's/^token (shown once): //p')

echo "== starting the server"
bench_serve "$halsonav" --db "$db" --web "$web"
base="http://127.0.0.1:$port"
echo "server pid $server_pid at $base"

echo "== the pages, the JavaScript and the measure table (web/tests/bench-pages.mjs)"
node web/tests/bench-pages.mjs --base "$base" --web "$web" --token "$token" --runs "$runs" \
  --chromium "$chromium" \
  --report "$work/report.txt"

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem_total=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
echo
echo "== Hälsonav web application benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine:  $(nproc) cores, ${cpu_model:-unknown CPU}, $mem_total, $(uname -sr)"
echo "commit:   $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min averages at the end; other work on the machine skews the figures)"
echo "binary:   $halsonav; web: $web; node $(node --version)"
echo "database: the demo, $(stat -c %s "$db") bytes, created in ${db_seconds} s"
cat "$work/report.txt"
echo "(bench/web.sh took $(($(date +%s) - started)) s)"
