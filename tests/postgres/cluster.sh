#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests (issue 16): `cluster.sh start STATE_DIR` creates
# one in a new temporary directory (initdb, trust authentication on a Unix socket only, fsync
# off, C.UTF-8: byte order like SQLite's, Unicode letters for full-text search), starts it on a
# free port and writes its URI to STATE_DIR/uri; `cluster.sh stop STATE_DIR` stops it and
# removes it. As root, the server runs as the `postgres` user (initdb refuses root).
set -euo pipefail
action=${1:?usage: cluster.sh start|stop STATE_DIR}
state=${2:?usage: cluster.sh start|stop STATE_DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "cluster.sh: PostgreSQL's server is not installed (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
  [ -f "$state/cluster" ] || return 0
  local dir
  dir=$(cat "$state/cluster")
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir" "$state/cluster" "$state/uri"
}

case "$action" in
  start)
    mkdir -p "$state"
    stop
    dir=$(mktemp -d /tmp/halsonav-pg-XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    echo "$dir" >"$state/cluster"
    as_owner "$bin/initdb" -A trust --no-sync -E UTF8 --locale=C.UTF-8 -U postgres \
      -D "$dir/data" >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    # A free port: the kernel's choice for a socket bound to port 0.
    port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://postgres@/postgres?host=$dir&port=$port" >"$state/uri"
    echo "PostgreSQL for the tests: $(cat "$state/uri")"
    ;;
  stop) stop ;;
  *) echo "usage: cluster.sh start|stop STATE_DIR" >&2; exit 2 ;;
esac
