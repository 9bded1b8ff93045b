"""The edit load of the slow cluster test: client threads that change shared measures through
the proxy with optimistic concurrency (PATCH with `version`; a stale one is 409
version_conflict, docs/api.md), each signed in with a session cookie and its CSRF token or with
a personal API token, and a record of every request for the checks."""

import http.client
import json
import random
import threading
import time
from dataclasses import dataclass, field


class Api:
    """One keep-alive connection to host:port, reopened after a failure."""

    def __init__(self, port, headers=None, timeout=300):
        self.port = port
        self.headers = dict(headers or {})
        self.timeout = timeout
        self.connection = None

    def request(self, method, path, body=None, content_type="application/json"):
        """Returns (status, headers, parsed JSON or raw bytes); raises OSError or
        http.client.HTTPException when the connection fails (and closes it)."""
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = content_type
        elif method not in ("GET", "HEAD"):
            headers["Content-Length"] = "0"
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port,
                                                         timeout=self.timeout)
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw
        return response.status, response.headers, parsed

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def sign_in(port, user, password):
    """A session through the proxy: the cookie and the CSRF token as request headers."""
    api = Api(port)
    status, headers, body = api.request("POST", "/api/v1/session",
                                        {"user": user, "password": password})
    if status != 201:
        raise RuntimeError(f"sign-in answered {status}: {body!r:.300}")
    cookie = None
    for name, value in headers.items():
        if name.lower() == "set-cookie" and value.startswith("halsonav_session="):
            cookie = value.split(";", 1)[0]
    if cookie is None or not isinstance(body, dict) or not body.get("csrf_token"):
        raise RuntimeError(f"sign-in gave no cookie or CSRF token: {body!r:.300}")
    api.headers = {"Cookie": cookie, "X-CSRF-Token": body["csrf_token"]}
    return api


@dataclass
class Edit:
    """One PATCH and what came of it. `outcome`: "ok" (2xx), "conflict" (409 version_conflict),
    "unavailable" (503, nothing changed), "error" (anything else: a failed connection, a 502 of
    the proxy, an unexpected status; whether it changed something is not known)."""
    client: int
    measure: int
    sent: int
    deliberate: bool
    marker: str
    started: float
    ended: float = 0.0
    outcome: str = ""
    status: int = 0
    version: int = 0
    expected: int = 0
    actual: int = 0
    detail: str = ""


@dataclass
class Load:
    """What the clients share: the budget of edits, the measures, and the records."""
    total: int
    measures: list
    initial: dict
    stale_every: int
    started: int = 0
    edits: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    begin: float = 0.0
    end: float = 0.0

    def take(self):
        """The number of the next edit, or None when the budget is spent."""
        with self.lock:
            if self.started >= self.total:
                return None
            self.started += 1
            return self.started

    def done(self):
        with self.lock:
            return sum(1 for edit in self.edits if edit.outcome)


class Client(threading.Thread):
    """Edits random shared measures until the load's budget is spent. It remembers the version
    it last saw of each measure (from its own 2xx answers and from the current entity a 409
    carries); every `stale_every`-th edit it sends one version less than that, which is stale
    for certain and must be answered 409. A measure answered 409 is tried again."""

    def __init__(self, index, load, api, start_gate, seed):
        super().__init__(name=f"client-{index}", daemon=True)
        self.index = index
        self.load = load
        self.api = api
        self.gate = start_gate
        self.random = random.Random(seed)
        self.known = dict(load.initial)
        self.again = None
        self.failure = None

    def run(self):
        try:
            self.gate.wait()
            count = 0
            while (number := self.load.take()) is not None:
                count += 1
                self.edit_once(number, count)
        except Exception as error:  # noqa: BLE001 - reported by the test, never swallowed
            self.failure = f"{type(error).__name__}: {error}"
        finally:
            self.api.close()

    def edit_once(self, number, count):
        # After a 409 the same measure again with the version the 409 showed, as a person
        # would reload and redo the change; otherwise a measure at random.
        measure = self.again or self.random.choice(self.load.measures)
        version = self.known[measure]
        deliberate = self.stale_every > 0 and count % self.stale_every == 0 and version >= 2
        sent = version - 1 if deliberate else version
        marker = f"slow-test c{self.index} e{number}"
        edit = Edit(self.index, measure, sent, deliberate, marker, time.monotonic())
        while True:
            try:
                status, headers, body = self.api.request(
                    "PATCH", f"/api/v1/measures/{measure}", {"version": sent, "text": marker})
            except (OSError, http.client.HTTPException) as error:
                status, headers, body = 0, {}, repr(error)
            if status != 503:
                break
            # Nothing was changed (docs/api.md); the same request again after Retry-After.
            self.record_retry(edit, body)
            time.sleep(min(float(headers.get("Retry-After", "1")), 1.0))
        edit.ended = time.monotonic()
        self.classify(edit, status, body)
        self.again = measure if edit.outcome == "conflict" and not deliberate else None
        with self.load.lock:
            self.load.edits.append(edit)

    @property
    def stale_every(self):
        return self.load.stale_every

    def record_retry(self, edit, body):
        retry = Edit(edit.client, edit.measure, edit.sent, edit.deliberate, edit.marker,
                     edit.started, time.monotonic(), "unavailable", 503)
        retry.detail = f"{body!r:.200}"
        with self.load.lock:
            self.load.edits.append(retry)

    def classify(self, edit, status, body):
        edit.status = status
        error = body.get("error") if isinstance(body, dict) else None
        if 200 <= status < 300 and isinstance(body, dict):
            edit.outcome = "ok"
            edit.version = body.get("version", 0)
            if body.get("text") != edit.marker:
                edit.detail = f"the answer's text is {body.get('text')!r}"
            self.known[edit.measure] = max(self.known[edit.measure], edit.version)
        elif status == 409 and error and error.get("code") == "version_conflict":
            edit.outcome = "conflict"
            details = error.get("details", {})
            edit.expected = details.get("expected", 0)
            edit.actual = details.get("actual", 0)
            current = details.get("current", {}).get("version", 0)
            self.known[edit.measure] = max(self.known[edit.measure], current)
        else:
            edit.outcome = "error"
            edit.detail = f"{body!r:.300}"
