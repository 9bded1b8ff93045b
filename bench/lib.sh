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
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench: kept $work"; else rm -rf "$work"; fi
}
