"""What the command-line end-to-end tests share (stats_cli_test.py, px_cli_test.py, fetch_test.py):
the real binary run with a time limit, a command that must succeed or be refused with a message,
and the SQLite database they read back."""

import csv
import json
import os
import re
import sqlite3
import subprocess


class Failure(Exception):
    pass


class CommandContext:
    """Runs `binary`; `db` is the database the tests read. A subclass's `state()` says what a
    refused command must leave as it was (by default nothing is compared)."""

    timeout_s = 120

    def __init__(self, binary, db):
        self.binary = binary
        self.db = db

    def run(self, *args):
        process = subprocess.run([self.binary, *args], capture_output=True,
                                 timeout=self.timeout_s, stdin=subprocess.DEVNULL)
        return (process.returncode, process.stdout.decode("utf-8", "replace"),
                process.stderr.decode("utf-8", "replace"))

    def ok(self, *args):
        code, out, err = self.run(*args)
        if code != 0:
            raise Failure(f"`halsonav {' '.join(args)}` exited {code}\n  stdout: {out[:1500]}\n"
                          f"  stderr: {err[:3000]}")
        return out

    def refused(self, pattern, *args):
        """Exit 1, a message on stderr matching `pattern`, and `state()` unchanged."""
        before = self.state()
        code, out, err = self.run(*args)
        if code != 1:
            raise Failure(f"`halsonav {' '.join(args)}` should exit 1, exited {code}\n"
                          f"  stdout: {out[:1500]}\n  stderr: {err[:1500]}")
        if re.search(pattern, err) is None:
            raise Failure(f"the message should match /{pattern}/\n  stderr: {err[:3000]}")
        if self.state() != before:
            raise Failure(f"`halsonav {' '.join(args)}` was refused but changed the database")
        return err

    def bearer(self, user, roles):
        """Adds `user` with `roles` ("analyst", "admin,editor") to the database and creates a
        personal API token for it; returns the request headers that act as that user."""
        self.ok("user", "add", user, "--email", f"{user}@test.example", "--role", roles,
                "--db", self.db)
        out = self.ok("token", "create", "--user", user, "--name", "e2e", "--db", self.db)
        token = re.search(r"token \(shown once\): (\S+)", out)
        if token is None:
            raise Failure(f"`token create` printed no token:\n{out}")
        return {"Authorization": f"Bearer {token.group(1)}"}

    def query(self, sql, *params):
        with sqlite3.connect(self.db) as connection:
            return connection.execute(sql, params).fetchall()

    def state(self):
        return None

    def expect_tab6471_snapshot(self, folder):
        """Every stored value of SCB's TAB6471 against the 2,772 rows the reference client pxwebpy
        flattens it to (region, age, sex, month), from `folder` (tests/data/pxweb/scb-v2)."""
        stored = {}
        for area, key, period, value in self.query(
                "SELECT a.code, b.key, o.period, o.value FROM observation o "
                "JOIN area a ON a.id = o.area_id JOIN breakdown b ON b.id = o.breakdown_id "
                "JOIN indicator i ON i.id = o.indicator_id WHERE i.code LIKE 'TAB6471.%'"):
            breakdown = json.loads(key) if key else {}
            stored[(area, breakdown.get("alder"), breakdown.get("sex", "total"), period)] = value
        with open(os.path.join(folder, "TAB6471_data_expected_rows_pxwebpy_snapshot.csv"),
                  encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        if len(rows) != 2772 or len(stored) != 2772:
            raise Failure(f"{len(rows)} snapshot rows, {len(stored)} stored observations")
        with open(os.path.join(folder, "TAB6471_data.json"), encoding="utf-8") as f:
            ages = json.load(f)["dimension"]["Alder"]["category"]["label"]
        age_code = {label: code for code, label in ages.items()}
        sexes = {"män": "men", "kvinnor": "women"}
        for row in rows:
            area = "00" + row["region"].split(":")[0]
            year, month = row["månad"].split("M")
            period = (int(year) * 12 + int(month) - 1) * 1000 + 1
            key = (area, age_code[row["ålder"]], sexes.get(row["kön"], "total"), period)
            if stored.get(key) != float(row["value"]):
                raise Failure(f"{row}: stored {stored.get(key)!r} under {key}")
