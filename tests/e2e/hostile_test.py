#!/usr/bin/python3
"""Issue 15, item 8: the server holds up against hostile clients. Bodies are cut at the limit
whatever their encoding (declared length, chunked, gzip), measured by how much the server read
before answering 413; a bad multipart file name is a 400, not a 500; slow clients sending their
headers a byte at a time do not stall a normal request; a full work queue answers 503
`unavailable` with Retry-After; kept-alive connections that never go idle do not hold every
worker from a new connection; and the server keeps serving after all of it.

    /usr/bin/python3 tests/e2e/hostile_test.py --binary build/debug/halsonav
"""

import argparse
import gzip
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

LIMIT = 64 << 20  # ServerConfig::max_body_bytes


def get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def head(port, method, path):
    """The request line and Host header of a request to the server on `port`."""
    return f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode()


def read_answer(sock, timeout=30):
    """The status, headers (lower-case names) and body of one HTTP answer on `sock`."""
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        return int(lines[0].split()[1]), headers, body
    except (OSError, ValueError, IndexError):
        return None, {}, b""


def send_until_refused(sock, head, pieces):
    """Sends `head`, then the pieces from the generator until the server stops reading (its
    answer arrived, or the connection was closed). Returns the bytes of body sent."""
    sock.sendall(head)
    sent = 0
    sock.settimeout(5)
    try:
        for piece in pieces:
            sock.sendall(piece)
            sent += len(piece)
    except OSError:
        pass
    return sent


def chunked(total, size=1 << 20):
    block = b"x" * size
    frame = f"{size:x}\r\n".encode() + block + b"\r\n"
    for _ in range(total // size):
        yield frame
    yield b"0\r\n\r\n"


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

    def serve(db, *extra):
        server = subprocess.Popen([args.binary, "serve", "--db", db, "--listen", "127.0.0.1:0",
                                   *extra], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  text=True)
        port = int(server.stdout.readline().strip().rsplit(":", 1)[1])
        return server, port

    def connect(port):
        return socket.create_connection(("127.0.0.1", port), timeout=10)

    with tempfile.TemporaryDirectory(prefix="halsonav-hostile-") as work:
        db = os.path.join(work, "h.db")
        subprocess.run([args.binary, "init", "--db", db, "--bare"], check=True,
                       capture_output=True)
        server, port = serve(db)
        try:
            # A declared gigabyte is refused before any of it is read.
            sock = connect(port)
            start = time.monotonic()
            sock.sendall(head(port, "POST", "/api/v1/actors") +
                         b"Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n")
            status, headers, body = read_answer(sock)
            elapsed = time.monotonic() - start
            sock.close()
            check(status == 413 and json.loads(body)["error"]["code"] == "payload_too_large" and
                  headers.get("connection") == "close" and elapsed < 5,
                  f"Content-Length of 1 GB: 413 at once, body unread ({elapsed:.2f} s)")

            # A chunked gigabyte: the server reads at most the limit (plus what the sockets'
            # buffers hold) and answers 413.
            sock = connect(port)
            sent = send_until_refused(
                sock, head(port, "POST", "/api/v1/actors") +
                b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                chunked(1 << 30))
            status, _, body = read_answer(sock)
            sock.close()
            check(status == 413 and sent < LIMIT + (16 << 20),
                  f"chunked 1 GB body: 413 after {sent / (1 << 20):.1f} MiB sent "
                  f"(limit {LIMIT >> 20} MiB)")

            # A body without length or chunks: a request without a body (RFC 9112), whose "body"
            # is then read as the next request line, which may not grow past 64 KiB.
            sock = connect(port)
            sent = send_until_refused(
                sock,
                head(port, "POST", "/api/v1/actors") + b"Content-Type: application/json\r\n\r\n",
                (b"y" * (1 << 20) for _ in range(1024)))
            status, _, _ = read_answer(sock)
            sock.close()
            check(sent < LIMIT + (16 << 20),
                  f"length-less body: cut after {sent / (1 << 20):.1f} MiB (status {status})")

            # A POST with neither Content-Length nor chunks has no body (RFC 9112): answered at
            # once, not after waiting for a body.
            sock = connect(port)
            start = time.monotonic()
            sock.sendall(head(port, "POST", "/api/v1/actors/1/restore") + b"\r\n")
            status, _, _ = read_answer(sock)
            elapsed = time.monotonic() - start
            sock.close()
            check(status == 401 and elapsed < 3,
                  f"a POST without Content-Length has no body: answered in {elapsed:.2f} s "
                  f"(got {status})")

            # A gzip bomb: 1 MB on the wire, 200 MB inflated, measured after inflating.
            bomb = gzip.compress(b"0" * (200 << 20), compresslevel=9)
            sock = connect(port)
            sock.sendall(head(port, "POST", "/api/v1/actors") +
                         b"Content-Type: application/json\r\nContent-Encoding: gzip\r\n" +
                         f"Content-Length: {len(bomb)}\r\n\r\n".encode() + bomb)
            status, _, body = read_answer(sock)
            sock.close()
            check(status == 413 and len(bomb) < LIMIT,
                  f"a gzip body of {len(bomb)} bytes inflating to 200 MiB: 413")

            # A multipart file name that is not UTF-8: 400, not 500.
            boundary = b"XyZ"
            form = (b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"file\"; "
                    b"filename=\"bad\xff\xfe.csv\"\r\nContent-Type: text/csv\r\n\r\na;b\r\n--" +
                    boundary + b"--\r\n")
            sock = connect(port)
            sock.sendall(head(port, "POST", "/api/v1/import/stats") +
                         b"Content-Type: multipart/form-data; boundary=XyZ\r\n" +
                         f"Content-Length: {len(form)}\r\n\r\n".encode() + form)
            status, _, body = read_answer(sock)
            sock.close()
            check(status == 400 and json.loads(body)["error"]["code"] == "invalid_value",
                  f"a multipart file name that is not UTF-8: 400 invalid_value (got {status})")

            # 60 clients sending their headers a byte at a time; a normal request still answers.
            slow = []
            for _ in range(60):
                sock = connect(port)
                sock.sendall(b"G")
                slow.append(sock)
            start = time.monotonic()
            status, _, _ = get(port, "/healthz")
            elapsed = time.monotonic() - start
            for sock in slow:
                try:
                    sock.sendall(b"E")
                except OSError:
                    pass
            check(status == 200 and elapsed < 5,
                  f"60 slow clients: a normal request answers in {elapsed:.2f} s")
            for sock in slow:
                sock.close()

            status, _, _ = get(port, "/healthz")
            check(status == 200, "the server keeps serving")
        finally:
            server.terminate()
            server.wait(timeout=30)

        # A full queue: 4 workers and 8 waiting connections; the next is answered 503.
        server, port = serve(db, "--threads", "4")
        try:
            held = [connect(port) for _ in range(12)]
            for sock in held:
                sock.sendall(b"GET /healthz HTTP/1.1\r\n")
            time.sleep(0.2)
            sock = connect(port)
            sock.sendall(head(port, "GET", "/healthz") + b"\r\n")
            status, headers, body = read_answer(sock)
            sock.close()
            check(status == 503 and headers.get("retry-after") == "1" and
                  json.loads(body)["error"]["code"] == "unavailable",
                  f"a full work queue answers 503 unavailable with Retry-After (got {status})")
            for sock in held:
                sock.close()
            time.sleep(1.5)
            status, _, _ = get(port, "/healthz")
            check(status == 200, "once the queue drains, the server serves again")
        finally:
            server.terminate()
            server.wait(timeout=30)

        # Kept-alive connections that never go idle (a proxy's upstream pool): 8 of them on 4
        # workers, each sending its next request as soon as the last is answered. A worker gives
        # its connection up (Connection: close) when others wait for one, so a new connection is
        # served within a request or two, not when the load ends.
        server, port = serve(db, "--threads", "4")
        try:
            stop = threading.Event()

            def keep_busy():
                sock = connect(port)
                while not stop.is_set():
                    sock.sendall(head(port, "GET", "/healthz") + b"\r\n")
                    status, headers, _ = read_answer(sock, timeout=10)
                    if status is None or headers.get("connection", "").lower() == "close":
                        sock.close()
                        sock = connect(port)
                sock.close()

            loaders = [threading.Thread(target=keep_busy) for _ in range(8)]
            for loader in loaders:
                loader.start()
            time.sleep(1.0)
            started = time.monotonic()
            status, _, _ = get(port, "/healthz")
            elapsed = time.monotonic() - started
            time.sleep(0.5)
            stop.set()
            for loader in loaders:
                loader.join(timeout=30)
            check(status == 200 and elapsed < 3,
                  f"8 busy kept-alive connections on 4 workers: a new one is answered in "
                  f"{elapsed:.2f} s")
        finally:
            server.terminate()
            server.wait(timeout=30)

    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
