#!/usr/bin/python3
"""`halsonav fetch kolada` and `halsonav fetch pxweb` (v1 and v2) against the local stand-in
(fetch_standin.py, on loopback), which answers from the real data in the repository. Stored values
are read back with sqlite3 and compared exactly with the real files; each failure of the service
(500, 429 for ever, an HTML page, a body cut short, a stalled connection, a missing page, no
service at all) must give a clear message naming the URL, exit 1 and leave the database as it
was.

    /usr/bin/python3 tests/e2e/fetch_test.py --binary build/debug/halsonav --root .

Ends with the line `N passed, M failed`; the exit status is non-zero on any failure.
"""

import argparse
import csv
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from command_support import CommandContext, Failure

TIMEOUT_S = 60
PAGE_SIZE = 20  # small, so that Kolada's answers come in many pages
V1_TABLE = "/api/v1/sv/ssd/HE/HE0110/HE0110A/SamForvInk1"
V2_TABLE = "/api/v2/tables/TAB6471"
REGIONS = "01,03,04,05,06,07,08,09,10,12,13,14,17,18,19,20,21,22,23,24,25"
AGES = "0-9,10-19,20-29,30-39,40-49,50-59,60-69,70-79,80-89,90-99,100+10"
MONTHS = "2026M01,2026M02,2026M03,2026M04"




def year_period(year):
    return (int(year) * 12 + 11) * 1000 + 12


class Context(CommandContext):
    timeout_s = TIMEOUT_S

    def __init__(self, binary, root, work):
        super().__init__(binary, os.path.join(work, "fetch.db"))
        self.root = root
        self.work = work
        self.standin = None
        self.base = None

    def start_standin(self):
        self.standin = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(self.root, "tests", "e2e", "fetch_standin.py"),
             "--root", self.root, "--port", "0", "--page-size", str(PAGE_SIZE)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.standin.stdout.readline()
        found = re.match(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if not found:
            raise Failure(f"the stand-in did not start: {line} {self.standin.stderr.read()}")
        self.base = found.group(1)

    def stop_standin(self):
        if self.standin:
            self.standin.terminate()
            self.standin.wait(timeout=10)

    def control(self, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data,
                                         method="GET" if body is None else "POST")
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())

    def reset(self):
        self.control("/_reset", {})
        self.control("/_limits", {"max_cells": 150000, "max_calls": 30, "window": 10})

    def fault(self, path, kind, times=-1, **extra):
        self.control("/_fault", dict(path=path, kind=kind, times=times, **extra))

    def log(self):
        return self.control("/_log")

    def state(self):
        return self.fingerprint()

    def fingerprint(self):
        """A digest of every row of the tables a fetch writes."""
        digest = hashlib.sha256()
        for table in ("observation", "indicator", "breakdown", "stats_import", "change_log",
                      "area"):
            for row in self.query(f"SELECT * FROM {table} ORDER BY 1, 2"):
                digest.update(repr(row).encode())
        return digest.hexdigest()

    def kolada(self, *args):
        return ("fetch", "kolada", "--db", self.db, "--base-url", self.base, "--no-progress",
                *args)

    def pxweb(self, table, *args):
        return ("fetch", "pxweb", self.base + table, "--db", self.db, "--no-progress", *args)


def counts(out):
    found = re.search(r"(\d+) new, (\d+) changed, (\d+) unchanged observations", out)
    if not found:
        raise Failure(f"no counts in: {out}")
    return tuple(int(n) for n in found.groups())


def kolada_rows(ctx, kpis):
    rows = []
    folder = os.path.join(ctx.root, "tests", "data", "kolada")
    for name in sorted(os.listdir(folder)):
        if name.startswith("values_") and name.endswith(".csv"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                rows.extend(row for row in csv.DictReader(f) if row["kpi"] in kpis)
    return rows


def stored_kolada(ctx):
    return {(kpi, area, period): value for kpi, area, period, value in ctx.query(
        "SELECT i.code, a.code, o.period, o.value FROM observation o JOIN indicator i ON "
        "i.id = o.indicator_id JOIN area a ON a.id = o.area_id WHERE i.source = 'kolada' AND "
        "o.breakdown_id = 0")}


def test_setup(ctx):
    # A bare database (no KPI catalogue), so that the KPI definitions arrive with the fetch.
    ctx.ok("init", "--db", ctx.db, "--bare")
    ctx.ok("import", "areas", os.path.join(ctx.root, "data", "national", "municipalities.csv"),
           "--db", ctx.db)


def test_kolada_pages_values_and_definitions_in_one_import(ctx):
    ctx.reset()
    kpis = ["N00945", "N03702", "N03703"]
    rows = kolada_rows(ctx, kpis)
    areas = sorted({row["municipality_id"] for row in rows})
    before = ctx.fingerprint()
    out = ctx.ok(*ctx.kolada("--kpi", ",".join(kpis), "--municipality", ",".join(areas),
                             "--years", "2000-2023", "--dry-run"))
    if "dry run, nothing stored" not in out or ctx.fingerprint() != before:
        raise Failure(f"a dry run stored something: {out}")
    ctx.reset()
    out = ctx.ok(*ctx.kolada("--kpi", "N00945,N03702", "--kpi", "N03703", "--municipality",
                             ",".join(areas), "--years", "2000-2023"))
    if counts(out) != (len(rows), 0, 0):
        raise Failure(f"{counts(out)} for {len(rows)} real values: {out}")
    # Paged: every page was asked for through next_page, and no page twice.
    data_paths = [entry["path"] for entry in ctx.log() if entry["path"].startswith("/v3/data/")]
    expected_pages = -(-len(rows) // PAGE_SIZE)
    if len(data_paths) != expected_pages or len(set(data_paths)) != len(data_paths):
        raise Failure(f"{len(data_paths)} data requests for {expected_pages} pages: {data_paths}")
    stored = stored_kolada(ctx)
    for row in rows:
        key = (row["kpi"], row["municipality_id"], year_period(row["year"]))
        if stored.get(key) != float(row["value"]):
            raise Failure(f"{key}: stored {stored.get(key)!r}, Kolada {row['value']}")
    # The definitions came from Kolada's KPI metadata (the catalogue's title), in the same
    # transaction as the values: both imports are recorded at the same instant.
    with open(os.path.join(ctx.root, "data", "national", "kpi_catalogue.csv"), encoding="utf-8") as f:
        titles = {row["id"]: row["title"] for row in csv.DictReader(f)}
    for kpi in kpis:
        title = ctx.query("SELECT title FROM indicator WHERE code = ?", kpi)
        if title != [(titles[kpi],)]:
            raise Failure(f"{kpi}: title {title}, catalogue {titles[kpi]!r}")
    imports = ctx.query("SELECT format, at FROM stats_import ORDER BY id DESC LIMIT 2")
    if sorted(f for f, _ in imports) != ["kolada", "kolada-kpis"] or imports[0][1] != imports[1][1]:
        raise Failure(f"the definitions and the values should be one import: {imports}")
    # Again: nothing changes.
    out = ctx.ok(*ctx.kolada("--kpi", ",".join(kpis), "--municipality", ",".join(areas)))
    if counts(out) != (0, 0, len(rows)):
        raise Failure(f"a second fetch changed something: {out}")


def test_kolada_area_choices(ctx):
    ctx.reset()
    out = ctx.ok(*ctx.kolada("--kpi", "N00945", "--all-municipalities", "--years", "2010-2012"))
    if counts(out) != (0, 0, 9):
        raise Failure(f"all municipalities, 2010-2012: {out}")
    paths = [entry["path"] for entry in ctx.log() if entry["path"].startswith("/v3/data/")]
    asked = set()
    for path in paths:
        asked.update(re.search(r"/municipality/([^/]+)/", path).group(1).split(","))
    if len(asked) != 290 or any(len(path) > 2000 for path in paths):
        raise Failure(f"{len(asked)} municipalities asked for in {len(paths)} requests")
    ctx.reset()
    out = ctx.ok(*ctx.kolada("--kpi", "N00945", "--regions"))
    if counts(out) != (0, 0, 0):
        raise Failure(f"the regions have no values in the stand-in: {out}")


def test_kolada_unknown_kpi(ctx):
    ctx.reset()
    ctx.refused(r"has no KPI X99999", *ctx.kolada("--kpi", "N00945,X99999"))


def test_bad_requests(ctx):
    ctx.reset()
    ctx.refused(r"\"2024-2010\" is not a year or a range of years",
                *ctx.kolada("--kpi", "N00945", "--years", "2024-2010"))
    ctx.refused(r"\"ftp://x/y\" is not an http:// or https:// address",
                "fetch", "pxweb", "ftp://x/y", "--db", ctx.db)
    err = ctx.refused(r"2 problems, nothing was stored",
                      *ctx.pxweb(V2_TABLE, "--select", "Kön=1", "--select", "Tid=1999"))
    if ('no variable "Kön" (it has: Region, Alder, Kon, ContentsCode, Tid)' not in err
            or '"Tid" has no code "1999"' not in err):
        raise Failure(err)
    code, _, err = ctx.run("fetch", "kolada", "--db", ctx.db)
    if code != 2 or "--kpi is required" not in err:
        raise Failure(f"a missing --kpi is bad usage (2): {code} {err}")


def test_pxweb_v2_matches_the_snapshot(ctx):
    ctx.reset()
    out = ctx.ok(*ctx.pxweb(V2_TABLE + "?lang=sv", "--select", f"Region={REGIONS}", "--select",
                            f"Alder={AGES}", "--select", "Kon=*", "--select", f"Tid={MONTHS}"))
    if counts(out) != (2772, 0, 0):
        raise Failure(out)
    ctx.expect_tab6471_snapshot(os.path.join(ctx.root, "tests", "data", "pxweb", "scb-v2"))


def test_pxweb_v2_eliminated_sex_is_the_total(ctx):
    """Kon left out: the service answers its elimination total, stored as the total."""
    ctx.reset()
    out = ctx.ok(*ctx.pxweb(V2_TABLE, "--select", f"Region={REGIONS}", "--select",
                            f"Alder={AGES}", "--select", f"Tid={MONTHS}", "--dry-run"))
    if counts(out) != (0, 0, 21 * 11 * 4):
        raise Failure(f"the totals should be those already stored: {out}")
    data = [e["path"] for e in ctx.log() if "/data?" in e["path"]]
    if len(data) != 1 or "Kon" in data[0]:
        raise Failure(f"Kon should be left out of the request: {data}")


def test_pxweb_v2_split_and_rate_limit(ctx):
    """300 cells a call and 3 calls a second (SCB's v2 /config rate): 2,772 cells in 11 calls of
    2 regions, none refused for the rate, all imported as one import."""
    ctx.reset()
    ctx.control("/_limits", {"max_cells": 300, "max_calls": 3, "window": 1})
    imports_before = ctx.query("SELECT count(*) FROM stats_import")[0][0]
    out = ctx.ok(*ctx.pxweb(V2_TABLE, "--select", f"Region={REGIONS}", "--select",
                            f"Alder={AGES}", "--select", "Kon=*", "--select", f"Tid={MONTHS}"))
    if counts(out) != (0, 0, 2772) or "11 answers" not in out:
        raise Failure(f"the pieces should hold the same 2,772 values: {out}")
    log = ctx.log()
    refused = [e for e in log if e["status"] != 200]
    if refused:
        raise Failure(f"the stand-in refused calls: {refused}")
    times = [e["time"] for e in log if "/data?" in e["path"]]
    for idx in range(3, len(times)):
        if times[idx] - times[idx - 3] < 1.0:
            raise Failure(f"more than 3 calls in a second: {times}")
    if ctx.query("SELECT count(*) FROM stats_import")[0][0] != imports_before + 1:
        raise Failure("the pieces should be one import")


def test_pxweb_v1(ctx):
    ctx.reset()
    out = ctx.ok(*ctx.pxweb(V1_TABLE, "--select", "Kon=1,2,1+2", "--select", "Alder=tot16+",
                            "--select", "ContentsCode=HE0110J8", "--select",
                            "Tid=2020,2021,2022"))
    if counts(out) != (9, 0, 0):
        raise Failure(out)
    posts = [e for e in ctx.log() if e["method"] == "POST" and e["path"] == V1_TABLE]
    if len(posts) != 1 or "?config" not in "".join(e["path"] for e in ctx.log()):
        raise Failure(f"one POST after ?config: {ctx.log()}")
    with open(os.path.join(ctx.root, "tests", "data", "pxweb", "scb-v1", "mock__response_se.json"),
              encoding="utf-8") as f:
        answer = json.load(f)
    sexes = {"1": "men", "2": "women", "1+2": "total"}
    stored = {}
    for area, key, period, value in ctx.query(
            "SELECT a.code, b.key, o.period, o.value FROM observation o "
            "JOIN area a ON a.id = o.area_id JOIN breakdown b ON b.id = o.breakdown_id "
            "WHERE o.import_id = (SELECT max(id) FROM stats_import)"):
        stored[(area, (json.loads(key) if key else {}).get("sex", "total"), period)] = value
    position = 0
    for sex in ("1", "2", "1+2"):
        for year in ("2020", "2021", "2022"):
            key = ("0000", sexes[sex], year_period(year))  # Region eliminated: Riket
            if stored.get(key) != answer["value"][position]:
                raise Failure(f"{key}: stored {stored.get(key)!r}, SCB {answer['value'][position]}")
            position += 1


def test_retry_after_is_honoured(ctx):
    ctx.reset()
    ctx.fault("/v3/data/", "429", times=2, retry_after=1)
    started = time.monotonic()
    out = ctx.ok(*ctx.kolada("--kpi", "N00945", "--municipality", "0180", "--years", "2020"))
    if counts(out) != (0, 0, 1) or time.monotonic() - started < 2:
        raise Failure(f"two 429s with Retry-After: 1 should cost 2 s and then succeed: {out}")


def test_failures_store_nothing(ctx):
    areas = ("--municipality", "0180,1280,1480,0319,0562,0687,1082,1083,1885,1984,2084")
    kolada = ctx.kolada("--kpi", "N00945,N03702", *areas, "--retries", "1")
    v2 = ctx.pxweb(V2_TABLE, "--select", f"Region={REGIONS}", "--select", f"Alder={AGES}",
                   "--select", f"Tid={MONTHS}", "--retries", "0", "--timeout", "1")
    cases = [
        ("page=3", "500", r"GET http://127\.0\.0\.1:\d+/v3/data/\S+page=3\S*: answered 500 "
                          r"Internal Server Error 2 times in a row", kolada),
        ("page=2", "429", r"page=2\S*: answered 429 Too Many Requests 2 times in a row", kolada),
        ("page=2", "html", r"page=2\S*: answered text/html; charset=utf-8 instead of JSON: "
                           r"\"Tjänsten är tillfälligt otillgänglig\"", kolada),
        ("page=4", "404", r"page=4\S*: answered 404 Not Found", kolada),
        ("page=2", "truncate", r"page=2\S*: the answer stopped: .*closed before the whole body",
         kolada),
        ("/data?", "truncate", r"/data\?\S*: the answer stopped", v2),
        ("/data?", "stall", r"/data\?\S*: the answer stopped: nothing arrived for 1 s", v2),
        ("/metadata", "html", r"TAB6471/metadata: answered text/html", v2),
        ("/config", "500", r"/api/v2/config: answered 500", v2),
    ]
    for path, kind, pattern, command in cases:
        ctx.reset()
        ctx.fault(path, kind, seconds=4)
        try:
            ctx.refused(pattern, *command)
        except Failure as failure:
            raise Failure(f"{kind} at {path}: {failure}") from None
    # No service at all: a closed port.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    ctx.refused(r"GET http://127\.0\.0\.1:\d+/v3/kpi/N00945\S*: could not connect",
                "fetch", "kolada", "--db", ctx.db, "--base-url", closed, "--kpi", "N00945",
                "--no-progress")


# The Authorization header of the analyst the job tests act as (sign_in_analyst).
AUTH = {}


def sign_in_analyst(ctx):
    """An analyst "analytiker" with a personal API token (docs/SECURITY.md): fetches are for
    analysts. Once per database."""
    if not AUTH:
        AUTH.update(ctx.bearer("analytiker", "analyst"))


def http_json(method, url, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    sent = {"Content-Type": "application/json", **AUTH, **(headers or {})}
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={k: v for k, v in sent.items() if v})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_jobs_from_the_web_application(ctx):
    """POST /api/v1/fetches runs the same fetch on a worker thread of the server; GET follows it
    to done (the report, the values stored) or failed (the error naming the URL, nothing
    stored)."""
    ctx.reset()
    sign_in_analyst(ctx)
    server = subprocess.Popen([ctx.binary, "serve", "--db", ctx.db, "--listen", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        found = re.search(r"listening on (http://\S+)", server.stdout.readline())
        if not found:
            raise Failure(f"the server did not start: {server.stderr.read()}")
        api = found.group(1) + "/api/v1"

        def follow(job_id):
            for _ in range(300):
                status, job = http_json("GET", f"{api}/fetches/{job_id}")
                if status != 200:
                    raise Failure(f"GET /fetches/{job_id}: {status} {job}")
                if job["state"] in ("done", "failed"):
                    return job
                time.sleep(0.1)
            raise Failure(f"job {job_id} did not end: {job}")

        ctx.fault("/v3/data/", "429", times=1, retry_after=1)  # so that it is seen running
        status, job = http_json("POST", f"{api}/fetches",
                                {"source": "kolada", "kpis": ["N00945"], "base_url": ctx.base,
                                 "municipalities": ["0180", "1280", "1480"], "years": "2000-2002"})
        if status != 202 or job["state"] != "queued":
            raise Failure(f"POST /fetches: {status} {job}")
        seen = set()
        for _ in range(100):
            seen.add(http_json("GET", f"{api}/fetches/{job['id']}")[1]["state"])
            if seen & {"done", "failed"}:
                break
            time.sleep(0.05)
        done = follow(job["id"])
        if done["state"] != "done" or "running" not in seen:
            raise Failure(f"the job should run, then be done: states {seen}, {done}")
        if done["report"]["observations"]["unchanged"] != 9 or done["created_by"] != "analytiker":
            raise Failure(f"the report: {done['report']}")

        ctx.reset()
        ctx.fault("/data?", "html")
        before = ctx.fingerprint()
        status, job = http_json("POST", f"{api}/fetches", {
            "source": "pxweb", "table_url": ctx.base + V2_TABLE,
            "select": [f"Region={REGIONS}", f"Alder={AGES}", "Kon=*", f"Tid={MONTHS}"]})
        failed = follow(job["id"])
        error = failed.get("error", {})
        if (failed["state"] != "failed" or error.get("code") != "upstream"
                or "instead of JSON" not in error.get("message", "")
                or "/api/v2/tables/TAB6471/data?" not in error.get("message", "")):
            raise Failure(f"the job should fail naming the URL: {failed}")
        # The job's own rows change; the statistics do not.
        if ctx.fingerprint() != before:
            raise Failure("a failed job changed the statistics")
    finally:
        server.terminate()
        server.wait(timeout=30)


def start_server(ctx, *extra):
    server = subprocess.Popen([ctx.binary, "serve", "--db", ctx.db, "--listen", "127.0.0.1:0",
                               *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    found = re.search(r"listening on (http://\S+)", server.stdout.readline())
    if not found:
        raise Failure(f"the server did not start: {server.stderr.read()}")
    return server, found.group(1) + "/api/v1"


def test_jobs_cancelled_limited_and_outliving_their_server(ctx):
    """A job is cancelled (nothing stored); beyond --max-fetches a start is refused with 503; a
    server killed mid-fetch leaves no job running: restarted, it reports the job failed."""
    ctx.reset()
    sign_in_analyst(ctx)
    server, api = start_server(ctx, "--max-fetches", "1")
    body = {"source": "kolada", "kpis": ["N00945"], "base_url": ctx.base,
            "municipalities": ["0180", "1280", "1480"], "years": "2003-2005"}
    try:
        before = ctx.fingerprint()
        ctx.fault("/v3/data/", "stall", times=1, seconds=3)
        status, job = http_json("POST", f"{api}/fetches", body)
        if status != 202:
            raise Failure(f"POST /fetches: {status} {job}")
        status, refused = http_json("POST", f"{api}/fetches", body)
        if (status != 503 or refused["error"]["code"] != "unavailable"
                or refused["error"]["details"] != {"running": 1, "limit": 1}):
            raise Failure(f"a second job at once: {status} {refused}")
        status, asked = http_json("POST", f"{api}/fetches/{job['id']}/cancel", {})
        if status != 202 or asked["cancel_requested"] is not True:
            raise Failure(f"cancel: {status} {asked}")
        status, anonymous = http_json("POST", f"{api}/fetches/{job['id']}/cancel", {},
                                      {"Authorization": ""})
        if status != 401:
            raise Failure(f"an anonymous cancel: {status} {anonymous}")
        for _ in range(200):
            status, ended = http_json("GET", f"{api}/fetches/{job['id']}")
            if ended["state"] not in ("queued", "running", "importing"):
                break
            time.sleep(0.1)
        if ended["state"] != "cancelled" or "error" in ended or "report" in ended:
            raise Failure(f"the job should end cancelled: {ended}")
        if ctx.fingerprint() != before:
            raise Failure("a cancelled job changed the statistics")
        status, again = http_json("POST", f"{api}/fetches/{job['id']}/cancel", {})
        if status != 422 or again["error"]["details"] != {"state": "cancelled"}:
            raise Failure(f"cancelling an ended job: {status} {again}")

        ctx.fault("/v3/data/", "stall", times=1, seconds=30)
        status, doomed = http_json("POST", f"{api}/fetches", body)
        for _ in range(100):
            if http_json("GET", f"{api}/fetches/{doomed['id']}")[1]["state"] == "running":
                break
            time.sleep(0.05)
        server.kill()  # SIGKILL: no chance to record anything
        server.wait(timeout=30)
        server, api = start_server(ctx)
        status, lost = http_json("GET", f"{api}/fetches/{doomed['id']}")
        error = lost.get("error", {})
        if (lost["state"] != "failed" or error.get("code") != "interrupted"
                or error["details"].get("reason") != "process_gone"
                or "the server stopped while fetching" not in error.get("message", "")):
            raise Failure(f"a killed server's job: {lost}")
        rows = ctx.query(f"SELECT state FROM fetch_job WHERE id = {doomed['id']}")
        if rows != [("failed",)]:
            raise Failure(f"the restarted server did not end the job in the database: {rows}")
        status, listed = http_json("GET", f"{api}/fetches?limit=2")
        if [item["id"] for item in listed["items"]] != [doomed["id"], job["id"]]:
            raise Failure(f"the list, newest first: {listed}")
        if ctx.fingerprint() != before:
            raise Failure("the killed job changed the statistics")
    finally:
        server.terminate()
        server.wait(timeout=30)
        ctx.reset()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--root", required=True, help="the repository")
    args = parser.parse_args()
    passed = failed = 0
    with tempfile.TemporaryDirectory() as work:
        ctx = Context(os.path.abspath(args.binary), os.path.abspath(args.root), work)
        ctx.start_standin()
        try:
            for test in [test_setup, test_kolada_pages_values_and_definitions_in_one_import,
                         test_kolada_area_choices, test_kolada_unknown_kpi, test_bad_requests,
                         test_pxweb_v2_matches_the_snapshot,
                         test_pxweb_v2_eliminated_sex_is_the_total,
                         test_pxweb_v2_split_and_rate_limit, test_pxweb_v1,
                         test_retry_after_is_honoured, test_failures_store_nothing,
                         test_jobs_from_the_web_application,
                         test_jobs_cancelled_limited_and_outliving_their_server]:
                try:
                    test(ctx)
                    passed += 1
                    print(f"ok   {test.__name__}")
                except (Failure, AssertionError, subprocess.TimeoutExpired) as failure:
                    failed += 1
                    print(f"FAIL {test.__name__}: {failure}")
        finally:
            ctx.stop_standin()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
