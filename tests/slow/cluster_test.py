#!/usr/bin/python3
"""Slow tier (issue 16, item 7): the whole arrangement under load. A throw-away PostgreSQL
cluster with a demo database; three `halsonav serve` processes on it behind Debian's nginx on
loopback; client threads (half signed in with a session cookie and its CSRF token, half with a
personal API token) making edits of shared measures through nginx with optimistic concurrency.
In the middle of the load one server is killed with SIGKILL while it is writing a statistics
import.

Checks (exit 1 on any failure): every 2xx edit is in the change history exactly once, with the
version it was answered; every 409 names the version sent and a later one; every version sent
stale on purpose got 409; each measure's history is a chain of versions without gaps or
duplicates ending at its final version (no update lost); requests failed only at the kill, few,
and none of them was answered 2xx; the killed import left all of its observations or none, and
no stats_import row without its history line; the same import through nginx afterwards stores
every observation. Prints the figures that docs/BENCHMARKS.md records.

    tests/slow/cluster_test.py --binary build/bench/halsonav [--clients 200] [--edits 20000]
"""

import argparse
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from arrangement import Failure, Nginx, Postgres, Server, create_token, free_port, run  # noqa: E402
from arrangement import wait_healthy  # noqa: E402
from checks import check_measure, history_lines, percentile, summarise  # noqa: E402
from edit_load import Api, Client, Load, sign_in  # noqa: E402
from kill_import import KillDuringImport, check_import, import_csv  # noqa: E402

USER = "slowtest"
PASSWORD = "slow-test-passphrase-4817"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True, help="halsonav (a release build)")
    parser.add_argument("--servers", type=int, default=3, help="halsonav serve processes")
    parser.add_argument("--clients", type=int, default=200, help="concurrent client threads")
    parser.add_argument("--edits", type=int, default=20000, help="PATCH requests in all")
    parser.add_argument("--measures", type=int, default=40, help="shared measures edited")
    parser.add_argument("--stale-every", type=int, default=10,
                        help="every Nth edit of a client sends a version stale for certain")
    parser.add_argument("--import-rows", type=int, default=300000,
                        help="about this many observations in the import that the kill cuts")
    parser.add_argument("--kill-at", type=float, default=0.35,
                        help="start the import when this share of the edits is done")
    parser.add_argument("--max-kill-errors", type=int, default=None,
                        help="failed requests allowed at the kill (default: --clients)")
    parser.add_argument("--recovery-limit", type=float, default=30.0,
                        help="seconds after the kill within which every failure must fall")
    parser.add_argument("--upstream-keepalive", type=int, default=0,
                        help="nginx's idle connections to the servers per worker (0: none, as in deploy/)")
    parser.add_argument("--no-kill", action="store_true", help="the load without the kill")
    parser.add_argument("--import-finishes", action="store_true",
                        help="leave the import to finish under the load and kill nothing")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if args.import_finishes and args.no_kill:
        parser.error("--import-finishes needs the import, which --no-kill leaves out")
    if args.servers < 2 and not args.no_kill:
        parser.error("the kill needs at least two servers")
    if args.max_kill_errors is None:
        args.max_kill_errors = args.clients
    return args


class Arrangement:
    def __init__(self, args, work):
        self.args = args
        self.work = work
        self.postgres = Postgres(os.path.join(ROOT, "tests", "postgres", "cluster.sh"),
                                 os.path.join(work, "postgres"))
        self.servers = []
        self.nginx = None
        self.token = None
        self.figures = {}

    def start(self):
        started = time.monotonic()
        self.postgres.start("halsonav_slow")
        began = time.monotonic()
        run([self.args.binary, "init", "--db", self.postgres.uri, "--demo"])
        self.figures["init_demo_s"] = time.monotonic() - began
        self.token = create_token(self.args.binary, self.postgres.uri, USER, PASSWORD)
        proxy_port = free_port()
        public_url = f"http://127.0.0.1:{proxy_port}"
        for index in range(self.args.servers):
            self.servers.append(Server(self.args.binary, self.postgres.uri, free_port(),
                                       public_url, os.path.join(self.work, f"serve{index}.log")))
        for index, server in enumerate(self.servers):
            wait_healthy(server.port, f"server {index}", process=server.process)
        self.nginx = Nginx(self.work, proxy_port, [server.port for server in self.servers],
                           self.args.upstream_keepalive)
        wait_healthy(proxy_port, "nginx", process=self.nginx.process)
        self.figures["setup_s"] = time.monotonic() - started

    @property
    def proxy(self):
        return self.nginx.port

    def bearer(self, port=None):
        return Api(port or self.proxy, {"Authorization": f"Bearer {self.token}"})

    def stop(self):
        if self.nginx is not None:
            self.nginx.stop()
        for server in self.servers:
            server.stop()
        self.postgres.stop()

    def logs(self):
        parts = [f"--- serve{i}.log ---\n{server.tail()}" for i, server in enumerate(self.servers)]
        if self.nginx is not None:
            parts.append(f"--- nginx error log ---\n{self.nginx.error_log()}")
        return "\n".join(parts)


def shared_measures(api, count):
    status, _, body = api.request("GET", "/api/v1/measures?limit=1000")
    if status != 200:
        raise Failure(f"GET /api/v1/measures: {status} {body!r:.300}")
    items = sorted((m for m in body["items"] if not m["deleted"]), key=lambda m: m["id"])
    if len(items) < count:
        raise Failure(f"the demo database has {len(items)} measures, {count} wanted")
    return {m["id"]: {"version": m["version"], "text": m["text"]} for m in items[:count]}


def make_clients(arrangement, load, gate):
    """Half the clients sign in (sessions live in the database: a session made through one
    server is used on all three), the others use the personal API token."""
    apis = [None] * arrangement.args.clients
    errors = []

    def signer(indices):
        for index in indices:
            try:
                apis[index] = sign_in(arrangement.proxy, USER, PASSWORD)
            except Exception as error:  # noqa: BLE001 - collected and reported below
                errors.append(f"client {index}: {error}")

    session_clients = list(range(1, arrangement.args.clients, 2))
    threads = [threading.Thread(target=signer, args=(session_clients[k::4],)) for k in range(4)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    arrangement.figures["sign_in_s"] = time.monotonic() - began
    arrangement.figures["sessions"] = len(session_clients)
    if errors:
        raise Failure("signing in failed:\n  " + "\n  ".join(errors[:10]))
    return [Client(index, load, apis[index] or arrangement.bearer(), gate, seed=index)
            for index in range(arrangement.args.clients)]


def run_load(arrangement, measures, csv_body):
    args = arrangement.args
    load = Load(args.edits, sorted(measures), {m: v["version"] for m, v in measures.items()},
                args.stale_every)
    gate = threading.Barrier(args.clients + 1)
    threading.stack_size(512 * 1024)
    clients = make_clients(arrangement, load, gate)
    for client in clients:
        client.start()
    killer = None
    if not args.no_kill:
        killer = KillDuringImport(arrangement, load, csv_body, args.kill_at,
                                  cut=not args.import_finishes)
        killer.start()
    gate.wait()
    load.begin = time.monotonic()
    for client in clients:
        client.join()
    load.end = time.monotonic()
    if killer is not None:
        killer.join()
    failures = [f"{client.name}: {client.failure}" for client in clients if client.failure]
    return load, killer, failures


def check_history(arrangement, load, measures):
    api = arrangement.bearer()
    problems = []
    committed_unanswered = 0
    by_measure = {m: [] for m in measures}
    for edit in load.edits:
        by_measure[edit.measure].append(edit)
    for measure, initial in measures.items():
        status, _, body = api.request("GET", f"/api/v1/measures/{measure}")
        if status != 200:
            problems.append(f"GET measure {measure}: {status}")
            continue
        lines = history_lines(api, measure)
        found, unanswered = check_measure(measure, initial, body["version"], lines,
                                          by_measure[measure])
        problems += found
        committed_unanswered += unanswered
    api.close()
    return problems, committed_unanswered


def check_errors(args, load, killer):
    counts, errors, before = summarise(load.edits, killer.killed_at if killer else None)
    problems = []
    if before:
        problems.append(f"{len(before)} requests failed before any kill, e.g. "
                        f"{before[0].status} {before[0].detail}")
    if killer is not None and killer.killed_at is not None:
        late = [e for e in errors if e.ended > killer.killed_at + args.recovery_limit]
        if late:
            problems.append(f"{len(late)} requests failed more than {args.recovery_limit} s "
                            f"after the kill, e.g. {late[0].status} {late[0].detail}")
    if len(errors) > args.max_kill_errors:
        problems.append(f"{len(errors)} requests failed (at most {args.max_kill_errors} allowed)")
    return counts, errors, problems


def recovery(load, killed_at):
    """Seconds from the kill to the last failure and to the first successful edit, the pause in
    successful edits across the kill (the killed import held the writers' lock until then), and
    the longest pause between successful edits after the kill against the longest before it."""
    if killed_at is None:
        return {}
    ok = sorted(e.ended for e in load.edits if e.outcome == "ok")
    errors = [e.ended for e in load.edits if e.outcome == "error"]

    def longest_gap(times):
        return max((b - a for a, b in zip(times, times[1:])), default=0.0)

    before = [t for t in ok if t < killed_at]
    after = [t for t in ok if t > killed_at]
    return {"last_failure_after_kill_s": max(errors) - killed_at if errors else 0.0,
            "first_ok_after_kill_s": after[0] - killed_at if after else None,
            "ok_pause_across_kill_s": after[0] - before[-1] if after and before else None,
            "longest_ok_gap_after_kill_s": longest_gap(after),
            "longest_ok_gap_before_kill_s": longest_gap(before)}


def import_pause(load, sent, answered):
    """The longest pause between successful edits while the import ran to its end."""
    if sent is None or answered is None:
        return {}
    ok = sorted(e.ended for e in load.edits if e.outcome == "ok")
    during = [sent] + [t for t in ok if sent < t < answered] + [answered]
    return {"import_s": answered - sent,
            "longest_ok_gap_during_import_s": max(b - a for a, b in zip(during, during[1:]))}


def report(arrangement, load, counts, errors, committed_unanswered, killer):
    args = arrangement.args
    wall = load.end - load.begin
    requests = len(load.edits)
    answered = sorted(e.ended - e.started for e in load.edits if e.outcome in ("ok", "conflict"))
    ok = sorted(e.ended - e.started for e in load.edits if e.outcome == "ok")
    figures = arrangement.figures
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} "
          f"{os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min) at the end")
    print(f"setup: {figures['setup_s']:.1f} s (init --demo {figures['init_demo_s']:.1f} s); "
          f"{figures['sessions']} sign-ins in {figures['sign_in_s']:.1f} s")
    print(f"load: {args.clients} clients, {args.servers} servers, {args.measures} measures, "
          f"nginx keepalive {args.upstream_keepalive}, "
          f"{args.edits} edits in {wall:.1f} s: {requests / wall:.0f} PATCH requests/s, "
          f"{counts['ok'] / wall:.0f} successful edits/s")
    print(f"  2xx {counts['ok']}, 409 {counts['conflict']} (of which {counts['deliberate']} sent "
          f"stale on purpose, {counts['deliberate_conflict']} of them 409), 503 retried "
          f"{counts['unavailable']}, failed {counts['error']} (of which "
          f"{committed_unanswered} were nevertheless written)")
    print(f"  latency of answered edits (2xx and 409): p50 {percentile(answered, .5) * 1e3:.1f} ms,"
          f" p99 {percentile(answered, .99) * 1e3:.1f} ms, max {answered[-1] * 1e3:.1f} ms; "
          f"of 2xx: p50 {percentile(ok, .5) * 1e3:.1f} ms, p99 {percentile(ok, .99) * 1e3:.1f} ms")
    print(f"  answered edits slower than 1 s: {sum(1 for t in answered if t > 1)}, than 5 s: "
          f"{sum(1 for t in answered if t > 5)}, than 20 s: {sum(1 for t in answered if t > 20)}")
    if killer is not None:
        print(killer.describe(load.begin))
        figures = recovery(load, killer.killed_at) if killer.cut else \
            import_pause(load, killer.import_sent_at, killer.import_answered_at)
        for name, value in figures.items():
            print(f"  {name}: {value if value is None else round(value, 3)}")
    for edit in errors[:5]:
        print(f"  failed: {edit.status} {edit.detail[:160]}")


def main():
    args = arguments()
    work = tempfile.mkdtemp(prefix="halsonav-slow-")
    os.chmod(work, 0o755)
    arrangement = Arrangement(args, work)
    problems = []
    try:
        arrangement.start()
        measures = shared_measures(arrangement.bearer(), args.measures)
        csv_body, csv_rows = import_csv(arrangement.postgres, args.import_rows)
        load, killer, failures = run_load(arrangement, measures, csv_body)
        problems += failures
        counts, errors, found = check_errors(args, load, killer)
        problems += found
        found, committed_unanswered = check_history(arrangement, load, measures)
        problems += found
        report(arrangement, load, counts, errors, committed_unanswered, killer)
        if killer is not None:
            problems += check_import(arrangement, killer, csv_body, csv_rows)
    except Failure as error:
        problems.append(str(error))
    finally:
        if problems:
            print(arrangement.logs(), file=sys.stderr)
        arrangement.stop()
        if args.keep:
            print(f"kept {work}")
        else:
            run(["rm", "-rf", work])
    for problem in problems[:50]:
        print(f"FAIL: {problem}")
    if len(problems) > 50:
        print(f"FAIL: … and {len(problems) - 50} more")
    print("cluster test: " + ("FAILED" if problems else "passed"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
