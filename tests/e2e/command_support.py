"""What the command-line end-to-end tests share (stats_cli_test.py, px_cli_test.py, fetch_test.py):
the real binary run with a time limit, a command that must succeed or be refused with a message,
and the SQLite database they read back."""

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

    def query(self, sql, *params):
        with sqlite3.connect(self.db) as connection:
            return connection.execute(sql, params).fetchall()

    def state(self):
        return None
