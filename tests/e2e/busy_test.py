#!/usr/bin/python3
"""Issue 15, item 9: a failure of the database is an answer, not a crash. Another connection
holds the write lock on the database file (python's sqlite3, BEGIN EXCLUSIVE); a write request
answers 503 `busy` with Retry-After once SQLite's busy timeout has passed, reads go on (WAL), and
once the lock is gone the same write succeeds.

    /usr/bin/python3 tests/e2e/busy_test.py --binary build/debug/halsonav
"""

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

PASSWORD = "busy-test-password-4c9e"


def call(port, method, path, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                     headers={**(headers or {}),
                                              **({"Content-Type": "application/json"}
                                                 if data is not None else {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    failures = []
    passed = 0

    def check(condition, what):
        nonlocal passed
        if condition:
            passed += 1
            print(f"ok   {what}")
        else:
            failures.append(what)
            print(f"FAIL {what}")

    with tempfile.TemporaryDirectory(prefix="halsonav-busy-") as work:
        db = os.path.join(work, "h.db")
        subprocess.run([args.binary, "init", "--db", db, "--bare"], check=True,
                       capture_output=True)
        subprocess.run([args.binary, "user", "add", "admin", "--email", "admin@busy.example",
                        "--role", "admin", "--password-stdin", "--db", db],
                       input=PASSWORD + "\n", check=True, capture_output=True, text=True)
        server = subprocess.Popen([args.binary, "serve", "--db", db, "--listen", "127.0.0.1:0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            port = int(server.stdout.readline().strip().rsplit(":", 1)[1])
            status, headers, body = call(port, "POST", "/api/v1/session",
                                         {"user": "admin", "password": PASSWORD})
            assert status == 201, (status, body)
            cookie = headers["Set-Cookie"].split(";", 1)[0]
            auth = {"Cookie": cookie, "X-CSRF-Token": json.loads(body)["csrf_token"]}
            actor = {"kind": "region", "name": "Region Norrbotten"}

            holder = sqlite3.connect(db, isolation_level=None, timeout=30)
            holder.execute("BEGIN EXCLUSIVE")
            start = time.monotonic()
            status, headers, body = call(port, "POST", "/api/v1/actors", actor, auth)
            elapsed = time.monotonic() - start
            error = json.loads(body).get("error", {}) if body else {}
            check(status == 503 and error.get("code") == "busy" and
                  headers.get("Retry-After") == "1",
                  f"a write while another holds the lock: 503 busy, Retry-After "
                  f"(got {status} {error.get('code')} after {elapsed:.1f} s)")
            status, _, _ = call(port, "GET", "/healthz")
            check(status == 200 and server.poll() is None, "the server keeps serving")
            status, _, _ = call(port, "GET", "/api/v1/classifications")
            check(status == 200, "reads go on while the lock is held (WAL)")
            holder.execute("ROLLBACK")
            holder.close()

            status, _, body = call(port, "POST", "/api/v1/actors", actor, auth)
            check(status == 201, f"once the lock is gone the write succeeds (got {status})")
        finally:
            server.terminate()
            server.wait(timeout=30)

    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
