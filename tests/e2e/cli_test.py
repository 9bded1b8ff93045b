#!/usr/bin/python3
"""The command line's behaviour against the real binary: bad flags, bad files and databases from
a newer schema give a clear message and a non-zero exit status, and change nothing on disk.

    /usr/bin/python3 tests/e2e/cli_test.py --binary build/debug/halsonav

Ends with the line `N passed, M failed`; the exit status is non-zero on any failure.
"""

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading

TIMEOUT_S = 240  # `init --demo` loads the registry and the demo statistics: ~25 s CPU under ASan
SERVE_TIMEOUT_S = 15  # a `serve` that should refuse to start but keeps running is killed after this


class Failure(Exception):
    pass


def run(binary, *args, timeout=TIMEOUT_S):
    """Runs the binary; returns (exit status, stdout, stderr). A process still running after
    `timeout` seconds is killed and reported as a failure."""
    process = subprocess.Popen([binary, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise Failure(f"`halsonav {' '.join(args)}` was still running after {timeout} s"
                      f"\nstdout: {out.decode(errors='replace')}\n"
                      f"stderr: {err.decode(errors='replace')}")
    return process.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def describe(args, code, out, err):
    return f"`halsonav {' '.join(args)}` exited {code}\n    stdout: {out.strip()[:2000]}\n    stderr: {err.strip()[:2000]}"


def expect_exit(args, code, out, err, wanted=None, nonzero=False):
    if nonzero and code == 0:
        raise Failure("expected a non-zero exit status\n    " + describe(args, code, out, err))
    if wanted is not None and code != wanted:
        raise Failure(f"expected exit status {wanted}\n    " + describe(args, code, out, err))
    if code < 0:
        raise Failure("the process died of a signal\n    " + describe(args, code, out, err))


def expect_message(args, code, out, err, pattern, what):
    if re.search(pattern, out + err, re.IGNORECASE) is None:
        raise Failure(f"the message should {what} (/{pattern}/)\n    " + describe(args, code, out, err))


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


class Context:
    def __init__(self, binary, demo_dir):
        self.binary = binary
        self.demo_dir = demo_dir
        self.root = tempfile.mkdtemp(prefix="halsonav-cli-")
        self.counter = 0

    def dir(self):
        self.counter += 1
        path = os.path.join(self.root, f"t{self.counter}")
        os.mkdir(path)
        return path

    def run(self, *args, timeout=TIMEOUT_S):
        return run(self.binary, *args, timeout=timeout)

    def init_db(self, directory, bare=True):
        """A new database, bare by default: the registry and outlines play no part in the tests
        that use it, and cost seconds under the sanitizers (test_init_holds_the_national_data
        checks what a default `init` holds)."""
        db = os.path.join(directory, "h.db")
        args = ("init", "--db", db) + (("--bare",) if bare else ())
        code, out, err = self.run(*args)
        expect_exit(args, code, out, err, wanted=0)
        return db


def test_unknown_flag(ctx):
    args = ("--bogus",)
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, wanted=2)
    if re.search(r"usage", err, re.IGNORECASE) is None:
        raise Failure("expected a usage message on stderr\n    " + describe(args, code, out, err))


def test_unknown_subcommand_flag(ctx):
    args = ("serve", "--db", os.path.join(ctx.dir(), "h.db"), "--bogus")
    code, out, err = ctx.run(*args, timeout=SERVE_TIMEOUT_S)
    expect_exit(args, code, out, err, nonzero=True)
    expect_message(args, code, out, err, r"bogus", "name the unknown flag")


def test_version(ctx):
    args = ("--version",)
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, wanted=0)
    if re.search(r"\d+\.\d+\.\d+", out) is None:
        raise Failure("expected a version (N.N.N) on stdout\n    " + describe(args, code, out, err))


def test_init_creates_database(ctx):
    directory = ctx.dir()
    db = ctx.init_db(directory)
    if not os.path.isfile(db) or os.path.getsize(db) == 0:
        raise Failure(f"`init` exited 0 but {db} is missing or empty")
    with open(db, "rb") as f:
        if f.read(16) != b"SQLite format 3\x00":
            raise Failure(f"{db} is not an SQLite database")


def test_serve_missing_database(ctx):
    db = os.path.join(ctx.dir(), "missing.db")
    args = ("serve", "--db", db, "--listen", "127.0.0.1:0")
    code, out, err = ctx.run(*args, timeout=SERVE_TIMEOUT_S)
    expect_exit(args, code, out, err, nonzero=True)
    expect_message(args, code, out, err, re.escape(db), "name the path")
    if os.path.exists(db):
        raise Failure(f"`serve` created {db}")


def test_migrate_missing_database(ctx):
    db = os.path.join(ctx.dir(), "missing.db")
    args = ("migrate", "--db", db)
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, nonzero=True)
    expect_message(args, code, out, err, re.escape(db), "name the path")
    if os.path.exists(db):
        raise Failure(f"`migrate` created {db}")


NOT_SQLITE = ("Region Norrbottens handlingsplan 2018–2022\n"
              "10 B  Uppmuntran till vardagsmotion genom kampanjer.\n").encode("utf-8") * 40


def not_sqlite_file(ctx):
    path = os.path.join(ctx.dir(), "handlingsplan.db")
    with open(path, "wb") as f:
        f.write(NOT_SQLITE)
    return path


def test_serve_not_sqlite(ctx):
    path = not_sqlite_file(ctx)
    args = ("serve", "--db", path, "--listen", "127.0.0.1:0")
    code, out, err = ctx.run(*args, timeout=SERVE_TIMEOUT_S)
    expect_exit(args, code, out, err, nonzero=True)
    expect_message(args, code, out, err, re.escape(path), "name the path")
    expect_message(args, code, out, err, r"sqlite|not a database|database", "say it is not a database")
    if read_bytes(path) != NOT_SQLITE:
        raise Failure(f"`serve` changed {path}")
    leftovers = [p for p in os.listdir(os.path.dirname(path)) if p != os.path.basename(path)]
    if leftovers:
        raise Failure(f"`serve` left files beside {path}: {leftovers}")


def test_migrate_not_sqlite(ctx):
    path = not_sqlite_file(ctx)
    args = ("migrate", "--db", path)
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, nonzero=True)
    expect_message(args, code, out, err, re.escape(path), "name the path")
    expect_message(args, code, out, err, r"sqlite|not a database|database", "say it is not a database")
    if read_bytes(path) != NOT_SQLITE:
        raise Failure(f"`migrate` changed {path}")


def test_init_existing_database(ctx):
    directory = ctx.dir()
    db = ctx.init_db(directory)
    before = read_bytes(db)
    args = ("init", "--db", db)
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, nonzero=True)
    expect_message(args, code, out, err, re.escape(db), "name the path")
    if read_bytes(db) != before:
        raise Failure(f"`init` on an existing database changed {db}")


def test_init_over_other_file(ctx):
    path = not_sqlite_file(ctx)
    args = ("init", "--db", path)
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, nonzero=True)
    if read_bytes(path) != NOT_SQLITE:
        raise Failure(f"`init` overwrote {path}")


def newer_schema_db(ctx):
    db = ctx.init_db(ctx.dir())
    connection = sqlite3.connect(db)
    try:
        connection.execute(
            "INSERT INTO schema_migrations(version, name, applied_at) VALUES (9999, ?, ?)",
            ("from_the_future", "2031-01-01T00:00:00Z"))
        connection.commit()
    finally:
        connection.close()
    return db


def test_serve_newer_schema(ctx):
    db = newer_schema_db(ctx)
    before = read_bytes(db)
    args = ("serve", "--db", db, "--listen", "127.0.0.1:0")
    code, out, err = ctx.run(*args, timeout=SERVE_TIMEOUT_S)
    expect_exit(args, code, out, err, nonzero=True)
    expect_message(args, code, out, err, r"newer|9999", "mention the newer schema")
    if read_bytes(db) != before:
        raise Failure(f"`serve` changed {db}")


def test_migrate_newer_schema(ctx):
    db = newer_schema_db(ctx)
    before = read_bytes(db)
    args = ("migrate", "--db", db)
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, nonzero=True)
    expect_message(args, code, out, err, r"newer|9999", "mention the newer schema")
    if read_bytes(db) != before:
        raise Failure(f"`migrate` changed {db}")


def test_migrate_current(ctx):
    db = ctx.init_db(ctx.dir())
    args = ("migrate", "--db", db)
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, wanted=0)
    connection = sqlite3.connect(db)
    try:
        versions = [row[0] for row in connection.execute("SELECT version FROM schema_migrations ORDER BY version")]
    finally:
        connection.close()
    if not versions or len(versions) != len(set(versions)):
        raise Failure(f"schema_migrations after `migrate` holds {versions}")
    code2, out2, err2 = ctx.run(*args)
    expect_exit(args, code2, out2, err2, wanted=0)


DEMO_FILES = ["vasterbotten-avsiktsforklaring.json", "vastmanland-program.json",
              "norrbotten-handlingsplan.json"]


def frameworks(db):
    connection = sqlite3.connect(db)
    try:
        return [row[0] for row in connection.execute(
            "SELECT title FROM framework WHERE deleted = 0 ORDER BY id")]
    finally:
        connection.close()


def counts(db, *queries):
    connection = sqlite3.connect(db)
    try:
        return [connection.execute(query).fetchone()[0] for query in queries]
    finally:
        connection.close()


def test_init_holds_the_national_data(ctx):
    """A new database holds Kolada's 312 areas, its 3,630 municipality groups and 6,099 KPIs and
    the outlines of the 290 municipalities and 21 regions (data/national, embedded in the binary),
    recorded as made by `system`; no statistics without --demo."""
    db = ctx.init_db(ctx.dir(), bare=False)
    found = counts(db, "SELECT count(*) FROM area",
                   "SELECT count(*) FROM area_group",
                   "SELECT count(*) FROM indicator WHERE source = 'kolada'",
                   "SELECT count(*) FROM area_geometry",
                   "SELECT count(*) FROM observation",
                   "SELECT count(*) FROM change_log WHERE entity = 'stats_import' AND user_name <> 'system'")
    if found != [312, 3630, 6099, 311, 0, 0]:
        raise Failure("expected 312 areas, 3,630 groups, 6,099 Kolada KPIs, 311 outlines, no "
                      f"observation and only system imports; got {found}")


def test_init_bare_and_demo_exclude_each_other(ctx):
    """The demo needs the registry: `init --bare --demo` is a usage error and creates nothing."""
    db = os.path.join(ctx.dir(), "h.db")
    args = ("init", "--db", db, "--bare", "--demo")
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, wanted=2)
    expect_message(args, code, out, err, r"--bare.*--demo|--demo.*--bare", "name both flags")
    if os.path.exists(db):
        raise Failure(f"{db} was created")


def test_init_demo_holds_the_demo_statistics(ctx):
    """init --demo: SCB's TAB6471 (2,772 cells), Kolada's N00945 for three cities and the
    synthetic survey set by sex and education, whose titles say "syntetisk"."""
    db = os.path.join(ctx.dir(), "demo.db")
    args = ("init", "--db", db, "--demo")
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, wanted=0)
    expect_message(args, code, out, err, r"demo statistics: \d+ observations from SCB and Kolada",
                   "report the demo statistics")
    population, n00945, synthetic, untitled = counts(
        db,
        "SELECT count(*) FROM observation o JOIN indicator i ON i.id = o.indicator_id "
        "WHERE i.code LIKE 'TAB6471.%'",
        "SELECT count(*) FROM observation o JOIN indicator i ON i.id = o.indicator_id "
        "WHERE i.code = 'N00945'",
        "SELECT count(*) FROM observation o JOIN indicator i ON i.id = o.indicator_id "
        "WHERE i.code LIKE 'SYN%'",
        "SELECT count(*) FROM indicator WHERE code LIKE 'SYN%' AND title NOT LIKE '%syntetisk%'")
    if population != 2772 or n00945 != 63 or synthetic < 100000 or untitled != 0:
        raise Failure(f"expected 2,772 TAB6471 cells, 63 N00945 values, a synthetic set whose "
                      f"titles say syntetisk; got {population}, {n00945}, {synthetic}, "
                      f"{untitled} untitled")


def test_init_demo_loads_the_three_plans(ctx):
    """init --demo: the three demo plans through the importer; each exports as its demo file,
    and export → import into an empty database → export is byte-identical."""
    directory = ctx.dir()
    db = os.path.join(directory, "demo.db")
    args = ("init", "--db", db, "--demo")
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, wanted=0)
    expect_message(args, code, out, err, r"norrbotten-handlingsplan.json: framework \d+ .*46 nodes, 99 measures",
                   "report what the Norrbotten plan created")
    titles = frameworks(db)
    if len(titles) != 4:
        raise Failure(f"expected the national framework and three demo frameworks, got {titles}")
    empty = ctx.init_db(ctx.dir())
    for framework_id, name in zip((2, 3, 4), DEMO_FILES):
        exported = os.path.join(directory, f"export-{framework_id}.json")
        args = ("export", "plan", str(framework_id), "--db", db, "-o", exported)
        code, out, err = ctx.run(*args)
        expect_exit(args, code, out, err, wanted=0)
        if read_bytes(exported) != read_bytes(os.path.join(ctx.demo_dir, name)):
            raise Failure(f"framework {framework_id} exported differs from data/demo/{name}")
        args = ("import", "plan", exported, "--db", empty, "--create-actors")
        code, out, err = ctx.run(*args)
        expect_exit(args, code, out, err, wanted=0)
        new_id = re.search(r"created framework (\d+)", out)
        if new_id is None:
            raise Failure("the import did not name the framework it created\n    " + describe(args, code, out, err))
        args = ("export", "plan", new_id.group(1), "--db", empty)
        code, out, err = ctx.run(*args)
        expect_exit(args, code, out, err, wanted=0)
        if out.encode("utf-8") != read_bytes(exported):
            raise Failure(f"export → import → export of {name} is not byte-identical")


def test_import_unknown_actor_changes_nothing(ctx):
    db = ctx.init_db(ctx.dir())
    plan = os.path.join(ctx.demo_dir, "vastmanland-program.json")
    for extra in ((), ("--dry-run",)):
        args = ("import", "plan", plan, "--db", db, *extra)
        code, out, err = ctx.run(*args)
        expect_exit(args, code, out, err, wanted=1)
        expect_message(args, code, out, err, re.escape(plan) + r':/actors/0/name: actor "Region Västmanland" is not in the registry',
                       "name the file, the pointer and the unknown actor")
    if len(frameworks(db)) != 1:
        raise Failure(f"a refused import stored something: {frameworks(db)}")


def test_import_dry_run_stores_nothing(ctx):
    db = ctx.init_db(ctx.dir())
    args = ("import", "plan", os.path.join(ctx.demo_dir, "norrbotten-handlingsplan.json"), "--db", db,
            "--dry-run", "--create-actors")
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, wanted=0)
    expect_message(args, code, out, err, r"dry run, nothing stored.*46 nodes, 99 measures",
                   "say that nothing was stored, and what would be created")
    if len(frameworks(db)) != 1:
        raise Failure(f"a dry run stored something: {frameworks(db)}")


def test_import_bad_files(ctx):
    directory = ctx.dir()
    db = ctx.init_db(directory)
    broken = os.path.join(directory, "broken.json")
    with open(broken, "w", encoding="utf-8") as f:
        f.write('{\n  "format": "halsonav-plan",\n  "version": 1,\n  "actors": [\n}\n')
    cases = [
        (os.path.join(directory, "missing.json"), r"missing\.json: cannot open"),
        (broken, r"line 5"),
    ]
    for path, pattern in cases:
        args = ("import", "plan", path, "--db", db)
        code, out, err = ctx.run(*args)
        expect_exit(args, code, out, err, wanted=1)
        expect_message(args, code, out, err, pattern, "say what is wrong with the file")
    args = ("import", "plan", broken)
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, wanted=2)
    args = ("export", "plan", "77", "--db", db)
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, wanted=1)
    expect_message(args, code, out, err, r"no framework with id 77", "name the missing framework")


def test_export_xlsx_opens_with_the_rows(ctx):
    """export xlsx of the Norrbotten demo plan: a workbook openpyxl reads, one row per measure."""
    import openpyxl  # Debian's python3-openpyxl
    directory = ctx.dir()
    db = os.path.join(directory, "demo.db")
    args = ("init", "--db", db, "--demo")
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, wanted=0)
    workbook_path = os.path.join(directory, "norrbotten.xlsx")
    args = ("export", "xlsx", "4", "--db", db, "-o", workbook_path)
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, wanted=0)
    workbook = openpyxl.load_workbook(workbook_path, read_only=True)
    if workbook.sheetnames[:3] != ["Åtgärder", "Samverkan", "Klassificering"]:
        raise Failure(f"unexpected sheets {workbook.sheetnames}")
    rows = list(workbook["Åtgärder"].iter_rows(values_only=True))
    header = list(rows[0])
    numbers = [row[header.index("Nr")] for row in rows[1:]]
    if len(numbers) != 99 or numbers[0] != "1 A" or "10 B" not in numbers:
        raise Failure(f"expected the 99 measures from 1 A on, got {len(numbers)}: {numbers[:5]}")
    measure_10b = rows[1 + numbers.index("10 B")]
    if "vardagsmotion" not in measure_10b[header.index("Åtgärd")]:
        raise Failure(f"10 B's measure text is not in the Åtgärd column: {measure_10b}")
    partners = list(workbook["Samverkan"].iter_rows(values_only=True))
    if not any(row[0] == "1 A" and row[2] == "Kommunerna i Norrbotten" for row in partners[1:]):
        raise Failure("1 A's partner Kommunerna i Norrbotten is not on the Samverkan sheet")


def test_import_measures_csv(ctx):
    directory = ctx.dir()
    db = os.path.join(directory, "demo.db")
    code, out, err = ctx.run("init", "--db", db, "--demo")
    expect_exit(("init",), code, out, err, wanted=0)
    csv_path = os.path.join(directory, "åtgärder.csv")
    with open(csv_path, "w", encoding="utf-8-sig", newline="") as f:
        f.write("nodtyp;nod;nr;åtgärd;ansvarig\r\ngroup;10;10 X;Ny åtgärd;Region Norrbotten\r\n"
                "group;10;10 Y\r\n")
    args = ("import", "measures", csv_path, "--framework", "4", "--db", db)
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, wanted=1)
    expect_message(args, code, out, err, re.escape(csv_path) + r":3:1: the row has 3 columns, the header has 5",
                   "name file, line and column of the short row")
    with open(csv_path, "w", encoding="utf-8-sig", newline="") as f:
        f.write("nodtyp;nod;nr;åtgärd;ansvarig\r\ngroup;10;10 X;Ny åtgärd;Region Norrbotten\r\n")
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, wanted=0)
    expect_message(args, code, out, err, r"added 1 measures to framework 4", "report the measure added")


def test_backup(ctx):
    """`halsonav backup`: a checked copy of a database that is being written meanwhile; an
    existing destination or a file that is no Hälsonav database is refused, and nothing is left
    behind."""
    directory = ctx.dir()
    db = ctx.init_db(directory)
    plan = os.path.join(ctx.demo_dir, "norrbotten-handlingsplan.json")
    args = ("import", "plan", plan, "--create-actors", "--db", db)
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, wanted=0)
    stop = threading.Event()
    writes = [0]

    def write():
        connection = sqlite3.connect(db, timeout=30)
        try:
            while not stop.is_set():
                with connection:
                    connection.execute("INSERT OR REPLACE INTO setting (key, value) VALUES "
                                       "('test.backup', ?)", (str(writes[0]),))
                writes[0] += 1
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    copy = os.path.join(directory, "copy.db")
    try:
        args = ("backup", "--db", db, "-o", copy)
        code, out, err = ctx.run(*args)
    finally:
        stop.set()
        writer.join()
    expect_exit(args, code, out, err, wanted=0)
    expect_message(args, code, out, err, r"copied to .*copy\.db \(schema version \d+, \d+ pages, "
                   r"[\d.]+ MB; checked", "say what was copied")
    if writes[0] == 0:
        raise Failure("the writer wrote nothing while the backup ran")
    wanted = ["SELECT count(*) FROM measure", "SELECT count(*) FROM actor",
              "SELECT count(*) FROM change_log"]
    if counts(copy, *wanted) != counts(db, *wanted):
        raise Failure(f"the copy holds {counts(copy, *wanted)}, the database {counts(db, *wanted)}")
    if counts(copy, "PRAGMA integrity_check") != ["ok"]:
        raise Failure("the copy fails SQLite's integrity check")
    args = ("migrate", "--db", copy)
    code, out, err = ctx.run(*args)
    expect_message(args, code, out, err, r"is current; nothing to do", "open the copy as Hälsonav's")
    before = read_bytes(copy)
    args = ("backup", "--db", db, "-o", copy)
    code, out, err = ctx.run(*args)
    expect_message(args, code, out, err, r"already exists; it was left as it is",
                   "refuse to write over a file")
    if read_bytes(copy) != before:
        raise Failure("a refused backup changed the file it was refused over")
    other = not_sqlite_file(ctx)
    args = ("backup", "--db", other, "-o", os.path.join(directory, "other.db"))
    code, out, err = ctx.run(*args)
    expect_message(args, code, out, err, r"not an SQLite database", "refuse a file that is no database")
    left = sorted(name for name in os.listdir(directory) if "partial" in name or name == "other.db")
    if left:
        raise Failure(f"refused or finished backups left {left}")


def test_postgres_unreachable_and_not_for_backup(ctx):
    """A PostgreSQL URI (also from HALSONAV_DB) that no server answers: a clear message with the
    password hidden, exit 1; `backup` names pg_dump instead of trying."""
    uri = "postgresql://halsonav:hemligt@127.0.0.1:1/halsonav"
    for args in (("serve", "--db", uri, "--listen", "127.0.0.1:0"), ("init", "--db", uri),
                 ("migrate", "--db", uri)):
        code, out, err = ctx.run(*args, timeout=SERVE_TIMEOUT_S)
        expect_exit(args, code, out, err, wanted=1)
        expect_message(args, code, out, err, r"halsonav:\*\*\*@127\.0\.0\.1:1/halsonav: cannot "
                       r"connect to PostgreSQL", "say where it could not connect")
        if "hemligt" in out + err:
            raise Failure(f"`{' '.join(args)}` showed the password: {out}{err}")
    environment = dict(os.environ, HALSONAV_DB=uri)
    completed = subprocess.run([ctx.binary, "user", "list"], capture_output=True, text=True,
                               timeout=TIMEOUT_S, env=environment)
    expect_message(("user", "list"), completed.returncode, completed.stdout, completed.stderr,
                   r"cannot connect to PostgreSQL", "take the database from HALSONAV_DB")
    args = ("backup", "--db", uri, "-o", os.path.join(ctx.dir(), "copy.db"))
    code, out, err = ctx.run(*args)
    expect_exit(args, code, out, err, wanted=1)
    expect_message(args, code, out, err, r"pg_dump", "point to pg_dump")


TESTS = [
    test_unknown_flag,
    test_unknown_subcommand_flag,
    test_version,
    test_init_creates_database,
    test_serve_missing_database,
    test_migrate_missing_database,
    test_serve_not_sqlite,
    test_migrate_not_sqlite,
    test_init_existing_database,
    test_init_over_other_file,
    test_serve_newer_schema,
    test_migrate_newer_schema,
    test_migrate_current,
    test_init_holds_the_national_data,
    test_init_bare_and_demo_exclude_each_other,
    test_init_demo_holds_the_demo_statistics,
    test_init_demo_loads_the_three_plans,
    test_import_unknown_actor_changes_nothing,
    test_import_dry_run_stores_nothing,
    test_import_bad_files,
    test_export_xlsx_opens_with_the_rows,
    test_import_measures_csv,
    test_backup,
    test_postgres_unreachable_and_not_for_backup,
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True, help="path to the halsonav executable")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--demo-dir", default=os.path.join(os.path.dirname(__file__), "..", "..", "data", "demo"),
                        help="data/demo of the source tree (the demo plan files)")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        print(f"{binary}: not an executable file")
        print("0 passed, 1 failed")
        return 1
    ctx = Context(binary, os.path.abspath(args.demo_dir))
    passed = failed = 0
    try:
        for test in TESTS:
            name = test.__name__[len("test_"):]
            try:
                test(ctx)
            except Failure as failure:
                failed += 1
                print(f"FAIL {name}: {failure}")
            except Exception as error:  # a bug in the test or an unexpected state: still a failure
                failed += 1
                print(f"FAIL {name}: {type(error).__name__}: {error}")
            else:
                passed += 1
                print(f"ok   {name}")
    finally:
        if args.keep:
            print(f"kept {ctx.root}")
        else:
            shutil.rmtree(ctx.root, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
