# Shared by the bench scripts (bash; source it after `cd` to the repository root).
#
# bench_work NAME: a fresh work directory in $work (/tmp/NAME.XXXXXX). On exit the server whose
# process id the script put in $server_pid is stopped, and the directory is removed (kept with
# BENCH_KEEP=1, for its database and logs); Ctrl-C exits 130 through the same clean-up.
bench_work() {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  server_pid=
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  [ -d "$work/postgres" ] && tests/postgres/cluster.sh stop "$work/postgres"
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench: kept $work"; else rm -rf "$work"; fi
}

# bench_serve HALSONAV ARGS...: `HALSONAV serve ARGS... --listen 127.0.0.1:0` in the background,
# its output in $work/server.log; waits (10 s at most) for its "listening on" line and sets
# $server_pid and $port. A server that exits or never listens ends the script with its log.
bench_serve() {
  local binary=$1
  shift
  "$binary" serve "$@" --listen 127.0.0.1:0 >"$work/server.log" 2>&1 &
  server_pid=$!
  port=
  for _ in $(seq 1 100); do
    port=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$work/server.log")
    [ -n "$port" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench: the server did not start" >&2
  cat "$work/server.log" >&2
  exit 1
}

# bench_postgres NAME: a throw-away PostgreSQL cluster (tests/postgres/cluster.sh, stopped by the
# clean-up) with an empty database NAME; sets $postgres_db to its URI.
bench_postgres() {
  tests/postgres/cluster.sh start "$work/postgres" >/dev/null
  local server
  server=$(cat "$work/postgres/uri")
  psql -X -q "$server" -c "CREATE DATABASE $1"
  postgres_db="${server%%\?*}"
  postgres_db="${postgres_db%/*}/$1?${server#*\?}"
}
