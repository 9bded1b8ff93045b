"""The kill of the slow cluster test: a statistics import sent straight to one server, which is
killed with SIGKILL while the import's transaction is writing (PostgreSQL shows it holding the
writers' advisory lock and working on observations), in the middle of the edit load; and the
checks that the import left everything or nothing."""

import http.client
import json
import threading
import time

from arrangement import Failure

INDICATOR = "SLOW.KILLED"
SEXES = ("total", "women", "men")
# The import's transaction: it holds the writers' advisory lock (pg_advisory_xact_lock) and
# its statement is on the observations, for longer than an edit's transaction ever takes.
WRITING_IMPORT = """
SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()
  AND a.query ILIKE '%observation%' AND a.xact_start < clock_timestamp() - interval '200 ms'
"""


def import_csv(postgres, rows_wanted):
    """A tidy CSV of one new indicator: every area of the registry × 3 sexes × as many months
    as give about `rows_wanted` rows. Returns (the bytes, the number of rows)."""
    areas = [row[0] for row in postgres.psql("SELECT code FROM area ORDER BY code")]
    months = max(1, -(-rows_wanted // (len(areas) * len(SEXES))))
    lines = ["indicator,area,period,sex,value"]
    for month in range(months):
        period = f"{1990 + month // 12}M{month % 12 + 1:02d}"
        for area_index, area in enumerate(areas):
            for sex_index, sex in enumerate(SEXES):
                value = (month * 7 + area_index * 13 + sex_index * 3) % 1000 / 10
                lines.append(f"{INDICATOR},{area},{period},{sex},{value}")
    return ("\n".join(lines) + "\n").encode(), len(lines) - 1


class KillDuringImport(threading.Thread):
    """When `at` of the load's edits are done: POST the import to server 0 directly, wait until
    its transaction is writing observations, kill -9 server 0. With `cut` false the import is
    left to finish under the load, and nothing is killed."""

    def __init__(self, arrangement, load, body, at, cut=True):
        super().__init__(name="kill", daemon=True)
        self.arrangement = arrangement
        self.load = load
        self.body = body
        self.at = at
        self.victim = arrangement.servers[0]
        self.import_sent_at = None
        self.import_answer = None
        self.writing_seen_at = None
        self.killed_at = None
        self.failure = None
        self.sender = None
        self.probe = None
        self.cut = cut
        self.import_answered_at = None

    def run(self):
        try:
            # The import goes on a connection opened before the load and kept busy until then:
            # under the load a new connection waits long for a worker (see probe_new_connection).
            connection = http.client.HTTPConnection("127.0.0.1", self.victim.port, timeout=600)
            while self.load.done() < self.at * self.load.total:
                connection.request("GET", "/healthz")
                connection.getresponse().read()
                time.sleep(0.5)
            threading.Thread(target=self.probe_new_connection, daemon=True).start()
            self.sender = threading.Thread(target=self.send_import, args=(connection,),
                                           daemon=True)
            self.sender.start()
            if not self.cut:
                self.sender.join(timeout=900)
                return
            deadline = time.monotonic() + 300
            while self.import_answer is None and time.monotonic() < deadline:
                if self.import_sent_at is not None and \
                        self.arrangement.postgres.scalar(WRITING_IMPORT) != "0":
                    self.writing_seen_at = time.monotonic()
                    break
                time.sleep(0.05)
            # Killed even when the moment was missed: the load still sees a server die; the
            # check then fails, because the import was not cut.
            self.killed_at = time.monotonic()
            self.victim.kill()
            self.sender.join(timeout=60)
        except Exception as error:  # noqa: BLE001 - reported by check_import
            self.failure = f"{type(error).__name__}: {error}"

    def probe_new_connection(self):
        """How long a new connection straight to another server waits for /healthz under the
        load (a figure, not a check)."""
        began = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.arrangement.servers[1].port,
                                                timeout=300)
        try:
            connection.request("GET", "/healthz")
            status = connection.getresponse().status
        except (OSError, http.client.HTTPException) as error:
            status = repr(error)
        finally:
            connection.close()
        self.probe = (status, time.monotonic() - began)

    def send_import(self, connection):
        try:
            connection.request("POST", "/api/v1/import/stats?format=csv", body=self.body,
                               headers={"Content-Type": "text/csv",
                                        "Authorization": f"Bearer {self.arrangement.token}"})
            self.import_sent_at = time.monotonic()
            response = connection.getresponse()
            self.import_answer = (response.status, response.read()[:300])
        except (OSError, http.client.HTTPException) as error:
            self.import_answer = (0, repr(error))
        finally:
            self.import_answered_at = time.monotonic()
            connection.close()

    def describe(self, load_began):
        def at(moment):
            return "never" if moment is None else f"{moment - load_began:.2f} s"

        probe = (f"\n  a new connection straight to server 1 at the import's start: GET /healthz "
                 f"answered {self.probe[0] if self.probe else None} after "
                 f"{self.probe[1] if self.probe else float('nan'):.2f} s")
        if not self.cut:
            return (f"import (left to finish) of {len(self.body) / 1e6:.1f} MB sent to server 0 "
                    f"at {at(self.import_sent_at)} into the load, answered "
                    f"{self.import_answer[0] if self.import_answer else None} at "
                    f"{at(self.import_answered_at)}{probe}")
        return (f"kill: import of {len(self.body) / 1e6:.1f} MB sent to server 0 at "
                f"{at(self.import_sent_at)} into the load, seen writing at "
                f"{at(self.writing_seen_at)}, server 0 killed at {at(self.killed_at)}; the import "
                f"client got {self.import_answer}{probe}")


def observation_count(arrangement):
    """The indicator's observations as PostgreSQL counts them and as the API reports them."""
    stored = int(arrangement.postgres.scalar(
        "SELECT count(*) FROM observation o JOIN indicator i ON i.id = o.indicator_id "
        f"WHERE i.code = '{INDICATOR}'"))
    api = arrangement.bearer()
    status, _, body = api.request("GET", f"/api/v1/indicators/{INDICATOR}")
    api.close()
    if status == 404:
        return stored, 0
    if status != 200:
        raise Failure(f"GET /api/v1/indicators/{INDICATOR}: {status} {body!r:.300}")
    return stored, body.get("observations")


def orphan_imports(arrangement):
    """stats_import rows without their history line, and history lines without their row."""
    return arrangement.postgres.psql(
        "SELECT 'row ' || s.id FROM stats_import s WHERE NOT EXISTS (SELECT 1 FROM change_log c "
        "WHERE c.entity = 'stats_import' AND c.entity_id = s.id) UNION ALL "
        "SELECT 'history line ' || c.seq FROM change_log c WHERE c.entity = 'stats_import' AND "
        "NOT EXISTS (SELECT 1 FROM stats_import s WHERE s.id = c.entity_id)")


def check_finished_import(arrangement, killer, rows):
    """The import left to finish under the load: 201, every observation, its history line."""
    problems = []
    if killer.failure:
        problems.append(f"the import: {killer.failure}")
    if killer.import_answer is None or killer.import_answer[0] != 201:
        problems.append(f"the import under the load was answered {killer.import_answer}")
    stored, shown = observation_count(arrangement)
    if stored != rows or shown != rows:
        problems.append(f"after the import under the load {INDICATOR} has {stored} observations "
                        f"stored and {shown} shown; {rows} expected")
    problems += [f"after the import: {row[0]} is orphaned" for row in orphan_imports(arrangement)]
    return problems


def check_import(arrangement, killer, body, rows):
    if not killer.cut:
        return check_finished_import(arrangement, killer, rows)
    problems = []
    if killer.failure:
        problems.append(f"the kill: {killer.failure}")
    if killer.writing_seen_at is None:
        problems.append(f"the import was not seen writing before the kill (answer "
                        f"{killer.import_answer}): the kill did not cut it; more --import-rows")
    if killer.import_answer is not None and 200 <= killer.import_answer[0] < 300:
        problems.append(f"the killed import was answered {killer.import_answer}")
    stored, shown = observation_count(arrangement)
    if stored not in (0, rows) or shown != stored:
        problems.append(f"after the kill {INDICATOR} has {stored} observations stored and "
                        f"{shown} shown; 0 or {rows} (all) expected, the same in both")
    problems += [f"after the kill: {row[0]} is orphaned" for row in orphan_imports(arrangement)]
    print(f"after the kill: {stored} of {rows} observations of the cut import stored")
    began = time.monotonic()
    api = arrangement.bearer()
    status, _, report = api.request("POST", "/api/v1/import/stats?format=csv", body,
                                    content_type="text/csv")
    api.close()
    took = time.monotonic() - began
    if status != 201:
        return problems + [f"the import again through nginx: {status} {report!r:.300}"]
    new = report["observations"]["new"] + report["observations"]["unchanged"]
    stored, shown = observation_count(arrangement)
    if new != rows or stored != rows or shown != rows:
        problems.append(f"the import again: {json.dumps(report['observations'])}; "
                        f"{stored} stored, {shown} shown, {rows} expected")
    problems += [f"after the second import: {row[0]} is orphaned"
                 for row in orphan_imports(arrangement)]
    print(f"import again through nginx (servers under no load): {rows} observations, "
          f"{len(body) / 1e6:.1f} MB in {took:.1f} s ({rows / took:.0f} rows/s)")
    return problems
