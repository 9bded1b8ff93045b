#!/usr/bin/python3
"""`halsonav serve --web DIR`: the web application's files beside the API. A file is sent as it
is with its media type; a path without an extension is a page of the application (index.html);
nothing outside DIR is ever sent; a DIR without index.html is refused at start; text and the
API's JSON are gzipped for a client that accepts it.

    /usr/bin/python3 tests/e2e/web_serve_test.py --binary build/debug/halsonav
"""

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request


def get(port, path, headers=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def post_json(port, path, body, headers=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body.encode(),
                                     method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def failed_sign_in_address(binary, db, web, token, proxy_args, forwarded):
    """Serves with `proxy_args`, fails a sign-in with X-Forwarded-For: `forwarded`, and returns
    the address the audit log recorded for it."""
    server = subprocess.Popen([binary, "serve", "--db", db, "--listen", "127.0.0.1:0", "--web", web,
                               *proxy_args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        port = int(server.stdout.readline().strip().rsplit(":", 1)[1])
        post_json(port, "/api/v1/session", '{"user": "lasare", "password": "wrong wrong wrong"}',
                  {"X-Forwarded-For": forwarded})
        _, _, body = get(port, "/api/v1/audit?event=sign_in_failed&limit=1",
                         {"Authorization": f"Bearer {token}"})
        return json.loads(body)["items"][0]["address"]
    finally:
        server.terminate()
        server.wait(timeout=10)


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

    with tempfile.TemporaryDirectory(prefix="halsonav-web-") as work:
        web = os.path.join(work, "dist")
        os.makedirs(os.path.join(web, "assets"))
        with open(os.path.join(web, "index.html"), "w", encoding="utf-8") as handle:
            handle.write("<!doctype html><html lang=sv><title>Hälsonav</title></html>")
        with open(os.path.join(web, "assets", "app-1a2b.js"), "w", encoding="utf-8") as handle:
            handle.write("export const x = 1;\n")
        with open(os.path.join(work, "secret.txt"), "w", encoding="utf-8") as handle:
            handle.write("not for the web\n")
        db = os.path.join(work, "h.db")
        subprocess.run([args.binary, "init", "--db", db], check=True, capture_output=True)

        refused = subprocess.run([args.binary, "serve", "--db", db, "--listen", "127.0.0.1:0",
                                  "--web", os.path.join(work, "missing")],
                                 capture_output=True, timeout=30)
        check(refused.returncode == 1 and b"index.html" in refused.stderr,
              "a --web directory without index.html is refused at start")

        server = subprocess.Popen([args.binary, "serve", "--db", db, "--listen", "127.0.0.1:0",
                                   "--web", web], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
        try:
            line = server.stdout.readline()
            port = int(line.strip().rsplit(":", 1)[1])
            status, headers, body = get(port, "/")
            check(status == 200 and b"<title>" in body and
                  headers["Content-Type"].startswith("text/html"), "/ is index.html")
            status, headers, body = get(port, "/indikatorer/N00945?area=2480")
            check(status == 200 and b"<title>" in body and headers["Cache-Control"] == "no-cache",
                  "a page of the application is index.html, revalidated")
            status, headers, body = get(port, "/assets/app-1a2b.js")
            check(status == 200 and headers["Content-Type"].startswith("text/javascript") and
                  "immutable" in headers["Cache-Control"], "a hashed asset, cached for a year")
            status, _, _ = get(port, "/assets/gone.js")
            check(status == 404, "a missing file is 404, not index.html")
            for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"):
                status, _, body = get(port, path)
                check(b"not for the web" not in body, f"nothing outside the directory: {path}")
            status, headers, _ = get(port, "/api/v1/frameworks")
            check(status == 200 and headers["Content-Type"].startswith("application/json"),
                  "the API beside it")
            status, headers, body = get(port, "/api/v1/classifications?limit=1000",
                                        {"Accept-Encoding": "gzip"})
            check(status == 200 and headers["Content-Encoding"] == "gzip" and
                  gzip.decompress(body).startswith(b'{"items"'),
                  "the API's JSON is gzipped for a client that accepts it")
            status, headers, body = get(port, "/api/v1/classifications?limit=1000",
                                        {"Accept-Encoding": "gzip, deflate, br"})
            check(status == 200 and headers["Content-Encoding"] == "gzip" and
                  gzip.decompress(body).startswith(b'{"items"'),
                  "gzip, not Brotli, for a browser that accepts both (Brotli at quality 11 is slow)")
            status, headers, body = get(port, "/assets/app-1a2b.js", {"Accept-Encoding": "br"})
            check(status == 200 and headers["Content-Encoding"] is None and
                  body == b"export const x = 1;\n", "no Brotli even for a client that only accepts it")
            status, headers, body = get(port, "/api/v1/classifications?limit=1000")
            check(status == 200 and headers["Content-Encoding"] is None and
                  body.startswith(b'{"items"'), "and sent plain to one that does not")
            status, _, _ = get(port, "/api/v1/nothing")
            check(status == 404, "an unknown API path is still 404")
            for path in ("/", "/api/v1/frameworks"):
                status, headers, _ = get(port, path)
                csp = headers["Content-Security-Policy"] or ""
                check(status == 200 and "script-src 'self'" in csp and
                      "frame-ancestors 'none'" in csp and
                      headers["X-Content-Type-Options"] == "nosniff" and
                      headers["Referrer-Policy"] == "same-origin" and
                      headers["Strict-Transport-Security"] is None,
                      f"security headers on {path} (no HSTS without an https public URL)")
            status, _, body = get(port, "/api/v1/frameworks", {"Host": "rebound.example"})
            check(status == 400 and b"not served here" in body,
                  "a Host the server does not serve is refused (DNS rebinding)")
            status, _, _ = get(port, "/api/v1/frameworks", {"Host": f"localhost:{port}"})
            check(status == 200, "localhost names the loopback address too")
        finally:
            server.terminate()
            server.wait(timeout=10)

        # Public reading off: visitors get the application and who they are, nothing else.
        subprocess.run([args.binary, "user", "add", "lasare", "--email", "lasare@example.org",
                        "--role", "reader", "--db", db], check=True, capture_output=True)
        token = re.search(r"token \(shown once\): (\S+)", subprocess.run(
            [args.binary, "token", "create", "--user", "lasare", "--name", "test", "--db", db],
            check=True, capture_output=True, text=True).stdout).group(1)
        server = subprocess.Popen([args.binary, "serve", "--db", db, "--listen", "127.0.0.1:0",
                                   "--web", web, "--no-public-read"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        try:
            port = int(server.stdout.readline().strip().rsplit(":", 1)[1])
            status, _, body = get(port, "/api/v1/frameworks")
            check(status == 401 and b"only signed-in users" in body,
                  "with --no-public-read a visitor reads no API resource")
            status, _, body = get(port, "/api/v1/session")
            check(status == 200 and b'"signed_in":false' in body, "but is told who they are")
            status, _, _ = get(port, "/")
            check(status == 200, "and gets the application, to sign in")
            status, _, _ = get(port, "/api/v1/frameworks", {"Authorization": f"Bearer {token}"})
            check(status == 200, "a signed-in reader reads")
        finally:
            server.terminate()
            server.wait(timeout=10)

        # Behind a reverse proxy: its X-Forwarded-For names the client, and only its.
        subprocess.run([args.binary, "user", "add", "chef", "--email", "chef@example.org",
                        "--role", "admin", "--db", db], check=True, capture_output=True)
        admin_token = re.search(r"token \(shown once\): (\S+)", subprocess.run(
            [args.binary, "token", "create", "--user", "chef", "--name", "audit", "--db", db],
            check=True, capture_output=True, text=True).stdout).group(1)
        seen = failed_sign_in_address(args.binary, db, web, admin_token, [],
                                      "203.0.113.5")
        check(seen == "127.0.0.1", f"without --trusted-proxy X-Forwarded-For is not believed ({seen})")
        trusted = ["--trusted-proxy", "127.0.0.1"]
        seen = failed_sign_in_address(args.binary, db, web, admin_token, trusted,
                                      "198.51.100.9, 203.0.113.5")
        check(seen == "203.0.113.5",
              f"behind a trusted proxy the client is the right-most address it added ({seen})")
        seen = failed_sign_in_address(args.binary, db, web, admin_token, trusted,
                                      "203.0.113.5, 127.0.0.1")
        check(seen == "203.0.113.5", f"trusted proxies in the chain are passed over ({seen})")
        seen = failed_sign_in_address(args.binary, db, web, admin_token, trusted, "not-an-address")
        check(seen == "127.0.0.1", f"a malformed X-Forwarded-For is not believed ({seen})")
        refused = subprocess.run([args.binary, "serve", "--db", db, "--trusted-proxy", "proxy"],
                                 capture_output=True, timeout=30)
        check(refused.returncode == 2 and b"not an IP address" in refused.stderr,
              "--trusted-proxy takes an IP address")
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
