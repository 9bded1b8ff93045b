#!/usr/bin/python3
"""End-to-end scenario runner for Hälsonav.

Runs the real `halsonav` binary on an ephemeral port and drives it with declarative scenario files
(YAML; one list of steps per file, in the manner of DuckDB's sqllogictest). Every response is
validated against the OpenAPI document, so the contract and the server cannot drift apart.

    /usr/bin/python3 tests/e2e/run_scenarios.py --binary build/debug/halsonav \
        --openapi src/server/openapi.json tests/e2e/scenarios/measures.yaml [more.yaml]

    # Fails, listing them, when an operation of the OpenAPI document is exercised by no step:
    /usr/bin/python3 tests/e2e/run_scenarios.py --openapi src/server/openapi.json \
        --coverage tests/e2e/scenarios/*.yaml

A file is a list of steps, or a mapping whose `steps` are the list and whose `init` lists the
arguments the scenario's new database is created with (`init: [--bare]`: without the area
registry, groups, KPI catalogue and outlines, to test their import from nothing), whose `users`
are added with `halsonav user add` before the server starts (`users: [{name: anna, roles:
[admin]}]`), and whose `as` names the user its steps act as unless a step says otherwise
(default: `admin`, a user every scenario's database gets).

Every step acts as a user: the runner signs in as `as` (POST /api/v1/session, once per user, with
the password SCENARIO_PASSWORD, which users created in a step must also be given) and sends the
session cookie, and the session's CSRF token with every unsafe method; `as: anonymous` sends
neither.

A step:

    - name: create an actor
      request: POST /api/v1/actors            # method and path (query allowed); ${var} anywhere
      as: anna                                 # optional: the user (or anonymous) it acts as
      headers: {X-Custom: value}               # optional
      body: {kind: municipality, name: Umeå kommun}   # optional, sent as JSON
      # or   raw: '{"name": ,}'                # a raw string body (sent as application/json unless
      #      content_type: text/plain          #   content_type says otherwise)
      # or   raw_repeat: {prefix: '{"name":"', text: a, times: 5000000, suffix: '"}'}
      # or   body_file: ../../../data/demo/x.json  # a file's bytes, path relative to the scenario
      #      (or ${NATIONAL_DATA}/municipalities.csv: data/national; ${TEST_DATA}/pxweb/x.json:
      #      tests/data)
      # omit_content_length: true              # a body-less request sent without Content-Length
      expect:
        status: 201
        json: {kind: municipality, version: 1} # subset match (see Match below)
        absent: [/some/pointer]                # JSON pointers that must not exist
        count: {/items: 3}                     # length of the array at a pointer
        headers: {Location: {regex: '/api/v1/actors/${actor_id}$'}}   # exact string or {regex}
        undocumented: true                     # the route/method is deliberately not in the
                                               #   OpenAPI document (unknown route, 405): the
                                               #   body must then be an Error
        openapi_document: true                 # the body equals the --openapi file
        raw_equals_file: ../../../data/demo/x.json   # the body's bytes equal the file's
        content_type: application/vnd...sheet  # a non-JSON answer: its exact Content-Type (the
                                               #   OpenAPI operation must document that type)
        raw_prefix: PK                         # the body's first bytes
      save: {actor_id: /id}                    # JSON pointer into the response -> variable
      save_headers: {etag: ETag}               # a response header -> variable

`${x}` standing alone as a whole string keeps the variable's JSON type (an id stays an integer).
Variables saved by `save` are substituted into `expect` after saving, so a step may refer to what
it has just saved.

Match: an expected dict matches an actual dict when every expected key is present and matches;
an expected list matches element-wise, with the same length; `{contains: [...]}` matches a list in
which every expected item matches some item; `{approx: X, rel: R, abs: A}` matches a number within
max(A, R·|X|) of X (R defaults to 1e-9); `{regex: '...'}` matches a string the pattern
searches successfully; scalars compare equal (and a boolean never equals a number).

The final line is always `N passed, M failed` (steps); the exit status is non-zero on any failure.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import jsonschema
import yaml

LISTEN_RE = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
VAR_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
WHOLE_VAR_RE = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
STARTUP_TIMEOUT_S = 20
# The password of every user a scenario signs in as (added by `users`, or in a step).
SCENARIO_PASSWORD = "scenario-password-7f3a"
DEFAULT_USER = "admin"
REQUEST_TIMEOUT_S = 60
MAX_PRINTED_BODY = 20000
# The repository's real data: `${NATIONAL_DATA}` at the start of a body_file or raw_equals_file
# path stands for data/national (the registry and outlines every database gets), `${TEST_DATA}`
# for tests/data (the real files the tests read; tests/data/SOURCES.md).
REPOSITORY = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DATA_PREFIXES = {
    "${NATIONAL_DATA}": os.path.join(REPOSITORY, "data", "national"),
    "${TEST_DATA}": os.path.join(REPOSITORY, "tests", "data"),
}


# The HTTP status of every error code (docs/api.md, "Errors").
ERROR_STATUS = {
    "malformed_json": 400, "unknown_field": 400, "wrong_type": 400, "missing_field": 400,
    "invalid_value": 400, "invalid_parameter": 400, "immutable_field": 400, "read_only": 403,
    "not_found": 404, "method_not_allowed": 405, "version_conflict": 409, "duplicate": 409,
    "in_use": 409, "entity_deleted": 409, "payload_too_large": 413, "unsupported_media_type": 415,
    "reference_not_found": 422, "rule_violation": 422, "internal": 500, "upstream": 502,
    "unauthenticated": 401, "forbidden": 403, "too_many_requests": 429, "bad_request": 400,
    "busy": 503, "unavailable": 503, "interrupted": 503,
}


class StepError(Exception):
    """A step cannot be carried out (undefined variable, bad step)."""


# ----------------------------------------------------------------------------------------------
# JSON pointers and matching


def pointer_tokens(pointer):
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise StepError(f"JSON pointer {pointer!r} must start with '/'")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


_MISSING = object()


def resolve_pointer(document, pointer):
    """The value at `pointer`, or _MISSING."""
    node = document
    for token in pointer_tokens(pointer):
        if isinstance(node, dict):
            if token not in node:
                return _MISSING
            node = node[token]
        elif isinstance(node, list):
            if not re.fullmatch(r"0|[1-9][0-9]*", token) or int(token) >= len(node):
                return _MISSING
            node = node[int(token)]
        else:
            return _MISSING
    return node


def scalar_equal(expected, actual):
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return expected == actual
    return type(expected) is type(actual) and expected == actual


def match(expected, actual, path, errors):
    """Appends to `errors` every place where `actual` does not match `expected`."""
    where = path or "/"
    if isinstance(expected, dict) and set(expected) == {"contains"} and isinstance(expected["contains"], list):
        if not isinstance(actual, list):
            errors.append(f"{where}: expected an array, got {json.dumps(actual, ensure_ascii=False)[:200]}")
            return
        for idx, wanted in enumerate(expected["contains"]):
            if not any(not _match_errors(wanted, item) for item in actual):
                errors.append(f"{where}: no item matches contains[{idx}] = {json.dumps(wanted, ensure_ascii=False)}")
        return
    if isinstance(expected, dict) and "approx" in expected and set(expected) <= {"approx", "rel", "abs"}:
        target = expected["approx"]
        # YAML 1.1 reads 1e-6 as a string: convert.
        tolerance = max(float(expected.get("abs", 0)), float(expected.get("rel", 1e-9)) * abs(target))
        if isinstance(actual, bool) or not isinstance(actual, (int, float)) or abs(actual - target) > tolerance:
            errors.append(f"{where}: expected {target} within {tolerance:g}, got "
                          f"{json.dumps(actual, ensure_ascii=False)[:100]}")
        return
    if isinstance(expected, dict) and set(expected) == {"regex"} and isinstance(expected["regex"], str):
        if not isinstance(actual, str) or re.search(expected["regex"], actual) is None:
            errors.append(f"{where}: expected a string matching /{expected['regex']}/, got "
                          f"{json.dumps(actual, ensure_ascii=False)[:300]}")
        return
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            errors.append(f"{where}: expected an object, got {json.dumps(actual, ensure_ascii=False)[:200]}")
            return
        for key, value in expected.items():
            sub = f"{path}/{str(key).replace('~', '~0').replace('/', '~1')}"
            if key not in actual:
                errors.append(f"{sub}: missing (expected {json.dumps(value, ensure_ascii=False)})")
            else:
                match(value, actual[key], sub, errors)
        return
    if isinstance(expected, list):
        if not isinstance(actual, list):
            errors.append(f"{where}: expected an array, got {json.dumps(actual, ensure_ascii=False)[:200]}")
            return
        if len(expected) != len(actual):
            errors.append(f"{where}: expected {len(expected)} items, got {len(actual)}")
            return
        for idx, (wanted, item) in enumerate(zip(expected, actual)):
            match(wanted, item, f"{path}/{idx}", errors)
        return
    if not scalar_equal(expected, actual):
        errors.append(f"{where}: expected {json.dumps(expected, ensure_ascii=False)}, "
                      f"got {json.dumps(actual, ensure_ascii=False)[:300]}")


def _match_errors(expected, actual):
    errors = []
    match(expected, actual, "", errors)
    return errors


# ----------------------------------------------------------------------------------------------
# Variables


def substitute(value, variables):
    if isinstance(value, str):
        whole = WHOLE_VAR_RE.match(value)
        if whole:
            name = whole.group(1)
            if name not in variables:
                raise StepError(f"undefined variable ${{{name}}} (did an earlier step fail to save it?)")
            return variables[name]

        def repl(m):
            name = m.group(1)
            if name not in variables:
                raise StepError(f"undefined variable ${{{name}}} (did an earlier step fail to save it?)")
            found = variables[name]
            return found if isinstance(found, str) else json.dumps(found, ensure_ascii=False)

        return VAR_RE.sub(repl, value)
    if isinstance(value, list):
        return [substitute(item, variables) for item in value]
    if isinstance(value, dict):
        return {substitute(k, variables): substitute(v, variables) for k, v in value.items()}
    return value


# ----------------------------------------------------------------------------------------------
# The OpenAPI document


class OpenApi:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.document = json.load(f)
        if self.document.get("openapi") != "3.1.0":
            raise SystemExit(f"{path}: expected an OpenAPI 3.1.0 document")
        self.resolver = jsonschema.RefResolver.from_schema(self.document)
        for name, schema in self.document.get("components", {}).get("schemas", {}).items():
            try:
                jsonschema.Draft202012Validator.check_schema(schema)
            except jsonschema.SchemaError as error:
                raise SystemExit(f"{path}: components/schemas/{name} is not a valid schema: {error.message}")
        self.operations = []  # (method, template, segments)
        for template, item in self.document.get("paths", {}).items():
            for method in item:
                if method in HTTP_METHODS:
                    self.operations.append((method.upper(), template, template.strip("/").split("/")))

    def deref(self, obj):
        while isinstance(obj, dict) and "$ref" in obj:
            ref = obj["$ref"]
            if not ref.startswith("#/"):
                raise SystemExit(f"only local $refs are supported: {ref}")
            obj = resolve_pointer(self.document, ref[1:])
            if obj is _MISSING:
                raise SystemExit(f"dangling $ref {ref}")
        return obj

    def find(self, method, path):
        """(template, operation) for a request, or (template, None) when the path exists but not
        the method, or (None, None)."""
        segments = urllib.parse.unquote(path).strip("/").split("/")
        best = None
        for op_method, template, tsegs in self.operations:
            if len(tsegs) != len(segments):
                continue
            score = 0
            for tseg, seg in zip(tsegs, segments):
                if tseg.startswith("{") and tseg.endswith("}"):
                    if seg == "":
                        break
                elif tseg == seg:
                    score += 1
                else:
                    break
            else:
                if best is None or score > best[0] or (score == best[0] and op_method == method):
                    best = (score, template, op_method)
        if best is None:
            return None, None
        template = best[1]
        op = self.document["paths"][template].get(method.lower())
        return template, op

    def validate(self, schema, instance):
        validator = jsonschema.Draft202012Validator(schema, resolver=self.resolver)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        out = []
        for error in errors[:8]:
            location = "/" + "/".join(str(p) for p in error.absolute_path)
            out.append(f"{location}: {error.message[:400]}")
        if len(errors) > 8:
            out.append(f"... and {len(errors) - 8} more schema errors")
        return out

    def check_media(self, method, path, status, media):
        """Errors unless the operation documents a `media` answer for `status`."""
        template, op = self.find(method, path)
        if op is None:
            return [f"{method} {path}: no such operation in the OpenAPI document"]
        response = self.deref(op.get("responses", {}).get(str(status), {}))
        if media not in response.get("content", {}):
            return [f"{method} {template}: a {status} answer of type {media} is not documented"]
        return []

    def check_response(self, method, path, status, body, undocumented):
        """Schema errors of a response, as a list of strings."""
        error_schema = {"$ref": "#/components/schemas/Error"}
        if undocumented:
            if status < 400:
                return [f"an undocumented route answered {status}, not an error"]
            if body is None:
                return ["the error answer has no JSON body"]
            out = [f"error body: {e}" for e in self.validate(error_schema, body)]
            code = body.get("error", {}).get("code") if isinstance(body, dict) else None
            if code in ERROR_STATUS and ERROR_STATUS[code] != status:
                out.append(f"error code {code} belongs with HTTP {ERROR_STATUS[code]}, not {status}")
            return out
        template, op = self.find(method, path)
        if template is None:
            return [f"{method} {path}: no such route in the OpenAPI document"]
        if op is None:
            return [f"{method} {template}: the route exists, but not with method {method}"]
        responses = op.get("responses", {})
        response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
        if response is None:
            return [f"{method} {template}: status {status} is not documented "
                    f"(documented: {', '.join(sorted(responses))})"]
        response = self.deref(response)
        content = response.get("content", {}).get("application/json")
        if content is None:
            return []
        if body is None:
            return ["the answer has no JSON body, but the document promises one"]
        return [f"schema: {e}" for e in self.validate(content.get("schema", {}), body)]


# ----------------------------------------------------------------------------------------------
# The server


def new_postgres_database(uri_file, stem):
    """A new, empty database in the test cluster whose URI tests/postgres/cluster.sh wrote to
    `uri_file`; returns its URI."""
    with open(uri_file, encoding="utf-8") as f:
        server = f.read().strip()
    name = "e2e_" + re.sub(r"[^a-z0-9_]", "_", stem.lower()) + f"_{os.getpid()}"
    subprocess.run(["psql", "-q", "-X", server, "-c", f"CREATE DATABASE {name}"], check=True,
                   capture_output=True, timeout=60)
    base, _, query = server.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + ("?" + query if query else "")


class Server:
    def __init__(self, binary, workdir, init_args=(), users=(), db=None):
        self.binary = binary
        self.workdir = workdir
        self.init_args = list(init_args)
        self.users = [{"name": DEFAULT_USER, "roles": ["admin"]}] + list(users)
        self.db = db or os.path.join(workdir, "h.db")
        self.stderr_path = os.path.join(workdir, "server.stderr")
        self.stdout_lines = []
        self.process = None
        self.port = None

    def start(self):
        init = subprocess.run([self.binary, "init", "--db", self.db, *self.init_args],
                              capture_output=True, text=True, timeout=120)
        if init.returncode != 0:
            raise RuntimeError(f"`halsonav init --db {self.db} {' '.join(self.init_args)}` exited "
                               f"{init.returncode}\n"
                               f"stdout: {init.stdout}\nstderr: {init.stderr}")
        for user in self.users:
            self.add_user(user)
        self._stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--db", self.db, "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=self._stderr, stdin=subprocess.DEVNULL)
        ready = threading.Event()

        def drain():
            for raw in self.process.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.stdout_lines.append(line)
                found = LISTEN_RE.search(line)
                if found and self.port is None:
                    self.port = int(found.group(1))
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        ready.wait(STARTUP_TIMEOUT_S)
        if self.port is None:
            code = self.process.poll()
            self.stop()
            raise RuntimeError(
                f"`halsonav serve` did not print 'listening on http://127.0.0.1:PORT' within "
                f"{STARTUP_TIMEOUT_S} s (exit status {code})\nstdout: {chr(10).join(self.stdout_lines)}\n"
                f"stderr: {self.stderr_tail()}")

    def add_user(self, user):
        roles = user.get("roles") or ["reader"]
        roles = ",".join(roles) if isinstance(roles, list) else str(roles)
        command = [self.binary, "user", "add", str(user["name"]), "--email",
                   f"{user['name']}@scenario.example", "--role", roles, "--password-stdin",
                   "--db", self.db]
        if user.get("actor_id"):
            command += ["--actor", str(user["actor_id"])]
        added = subprocess.run(command, input=SCENARIO_PASSWORD + "\n", capture_output=True,
                               text=True, timeout=120)
        if added.returncode != 0:
            raise RuntimeError(f"`{' '.join(command)}` exited {added.returncode}\n"
                               f"stdout: {added.stdout}\nstderr: {added.stderr}")

    def stop(self):
        """Stops the server; returns its exit status."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stderr.close()
        return self.process.returncode

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stderr_text(self):
        try:
            with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stderr_tail(self, lines=40):
        return "\n".join(self.stderr_text().splitlines()[-lines:])


# ----------------------------------------------------------------------------------------------
# Steps


class Response:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        self.json = None
        self.json_error = None
        if raw:
            try:
                self.json = json.loads(raw.decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as error:
                self.json_error = str(error)


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def send(port, method, path, headers, data, omit_content_length=False):
    quoted = urllib.parse.quote(path, safe="/?&=%:+,;@!$'()*~-._")
    if omit_content_length:
        # urllib (http.client) always sends Content-Length: 0 with a body-less POST or PATCH; a
        # request without Content-Length at all is just as valid (RFC 9112 6.3: no body).
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
        try:
            connection.putrequest(method, quoted, skip_accept_encoding=True)
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.endheaders()
            answer = connection.getresponse()
            return Response(answer.status, dict(answer.getheaders()), answer.read())
        finally:
            connection.close()
    url = f"http://127.0.0.1:{port}" + quoted
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with _OPENER.open(request, timeout=REQUEST_TIMEOUT_S) as answer:
            return Response(answer.status, dict(answer.headers.items()), answer.read())
    except urllib.error.HTTPError as answer:
        return Response(answer.code, dict(answer.headers.items()), answer.read())


class Sessions:
    """The signed-in sessions of a scenario, one per user, made when a step first acts as it."""

    def __init__(self, port, default_user):
        self.port = port
        self.default_user = default_user
        self.by_user = {}

    def user_of(self, step):
        return str(step.get("as", self.default_user))

    def headers(self, user, method):
        if user == "anonymous":
            return {}
        if user not in self.by_user:
            body = json.dumps({"user": user, "password": SCENARIO_PASSWORD}).encode("utf-8")
            answer = send(self.port, "POST", "/api/v1/session",
                          {"Content-Type": "application/json"}, body)
            if answer.status != 201:
                raise StepError(f"signing in as {user} failed: HTTP {answer.status} "
                                f"{answer.raw[:300]!r}")
            cookie = next(v for k, v in answer.headers.items() if k.lower() == "set-cookie")
            self.by_user[user] = (cookie.split(";", 1)[0], json.loads(answer.raw)["csrf_token"])
        cookie, csrf = self.by_user[user]
        out = {"Cookie": cookie}
        if method not in ("GET", "HEAD", "OPTIONS"):
            out["X-CSRF-Token"] = csrf
        return out

    def ended(self, user):
        self.by_user.pop(user, None)


def build_request(step, variables):
    if "request" not in step:
        raise StepError("the step has no `request`")
    line = substitute(step["request"], variables)
    parts = str(line).split(None, 1)
    if len(parts) != 2:
        raise StepError(f"`request` must be 'METHOD /path', got {line!r}")
    method, path = parts[0].upper(), parts[1].strip()
    headers = {str(k): str(v) for k, v in substitute(step.get("headers") or {}, variables).items()}
    data = None
    content_type = step.get("content_type")
    shown = None
    if "body" in step:
        data = json.dumps(substitute(step["body"], variables), ensure_ascii=False).encode("utf-8")
        content_type = "application/json" if content_type is None else content_type
        shown = data.decode("utf-8")
    elif "raw" in step:
        data = str(substitute(step["raw"], variables)).encode("utf-8")
        content_type = "application/json" if content_type is None else content_type
        shown = data.decode("utf-8")
    elif "body_file" in step:
        with open(step["body_file"], "rb") as f:
            data = f.read()
        content_type = "application/json" if content_type is None else content_type
        shown = f"<{len(data)} bytes of {step['body_file']}>"
    elif "raw_repeat" in step:
        spec = step["raw_repeat"]
        data = (str(spec.get("prefix", "")) + str(spec["text"]) * int(spec["times"])
                + str(spec.get("suffix", ""))).encode("utf-8")
        content_type = "application/json" if content_type is None else content_type
        shown = f"<{len(data)} bytes: {spec.get('prefix', '')}{spec['text']!s} x {spec['times']}{spec.get('suffix', '')}>"
    if content_type is not None and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = content_type
    return method, path, headers, data, shown


def run_step(step, variables, port, openapi, sessions):
    """Returns (failures, request description, response or None)."""
    failures = []
    method, path, headers, data, shown = build_request(step, variables)
    user = sessions.user_of(step)
    headers = {**sessions.headers(user, method), **headers}
    described = f"{method} {path}" + (f" (as {user})" if user != sessions.default_user else "")
    if headers:
        described += "\n  headers: " + json.dumps(headers, ensure_ascii=False)
    if shown is not None:
        described += "\n  body: " + (shown if len(shown) <= 4000 else shown[:4000] + "...")
    expect = step.get("expect") or {}
    try:
        if step.get("omit_content_length") and data is not None:
            raise StepError("omit_content_length is for steps without a body")
        response = send(port, method, path, headers, data, bool(step.get("omit_content_length")))
    except Exception as error:  # connection refused or reset, timeout
        return [f"no answer: {type(error).__name__}: {error}"], described, None
    if method == "DELETE" and path.split("?")[0] == "/api/v1/session" and response.status == 204:
        sessions.ended(user)

    # Save first, so that `expect` may refer to what this step saves.
    for name, pointer in (step.get("save") or {}).items():
        value = resolve_pointer(response.json, pointer) if response.json is not None else _MISSING
        if value is _MISSING:
            failures.append(f"save {name}: nothing at {pointer}")
        else:
            variables[name] = value
    for name, header in (step.get("save_headers") or {}).items():
        value = next((v for k, v in response.headers.items() if k.lower() == str(header).lower()), None)
        if value is None:
            failures.append(f"save_headers {name}: no header {header}")
        else:
            variables[name] = value
    expect = substitute(expect, variables)

    if "status" in expect and response.status != expect["status"]:
        failures.append(f"status: expected {expect['status']}, got {response.status}")
    media = expect.get("content_type")
    if media is not None:
        got = next((v for k, v in response.headers.items() if k.lower() == "content-type"), "")
        if got != media:
            failures.append(f"Content-Type: expected {media!r}, got {got!r}")
        failures += openapi.check_media(method, path.split("?", 1)[0], response.status, media)
        if "raw_prefix" in expect and not response.raw.startswith(str(expect["raw_prefix"]).encode()):
            failures.append(f"the body does not start with {expect['raw_prefix']!r}: {response.raw[:20]!r}")
        return failures, described, response
    if response.raw and response.json_error is not None:
        failures.append(f"the body is not JSON: {response.json_error}")
    if response.raw or response.status not in (204, 304):
        content_type = next((v for k, v in response.headers.items() if k.lower() == "content-type"), "")
        normalized = content_type.replace(" ", "").lower()
        if normalized not in ("application/json;charset=utf-8", "application/json"):
            failures.append(f"Content-Type: expected 'application/json; charset=utf-8', got {content_type!r}")
    failures += openapi.check_response(method, path.split("?", 1)[0], response.status, response.json,
                                       bool(expect.get("undocumented")))
    if "json" in expect:
        if response.json is None:
            failures.append("json: the answer has no JSON body")
        else:
            failures += [f"json {e}" for e in _match_errors(expect["json"], response.json)]
    for pointer in expect.get("absent") or []:
        if response.json is not None and resolve_pointer(response.json, pointer) is not _MISSING:
            failures.append(f"absent: {pointer} exists: "
                            f"{json.dumps(resolve_pointer(response.json, pointer), ensure_ascii=False)[:200]}")
    for pointer, wanted in (expect.get("count") or {}).items():
        value = resolve_pointer(response.json, pointer) if response.json is not None else _MISSING
        if not isinstance(value, list):
            failures.append(f"count {pointer}: not an array")
        elif len(value) != wanted:
            failures.append(f"count {pointer}: expected {wanted} items, got {len(value)}")
    for name, wanted in (expect.get("headers") or {}).items():
        got = next((v for k, v in response.headers.items() if k.lower() == str(name).lower()), None)
        if got is None:
            failures.append(f"header {name}: missing")
        else:
            failures += [f"header {name}{e[1:] if e.startswith('/') else ': ' + e}"
                         for e in _match_errors(wanted, got)]
    if expect.get("openapi_document") and response.json != openapi.document:
        failures.append("the body is not the OpenAPI document given with --openapi")
    if "raw_equals_file" in expect:
        with open(expect["raw_equals_file"], "rb") as f:
            wanted = f.read()
        if response.raw != wanted:
            at = next((i for i, (a, b) in enumerate(zip(response.raw, wanted)) if a != b),
                      min(len(response.raw), len(wanted)))
            failures.append(f"raw_equals_file: the body ({len(response.raw)} bytes) differs from "
                            f"{expect['raw_equals_file']} ({len(wanted)} bytes) from byte {at}")
    return failures, described, response


def format_response(response):
    if response is None:
        return "  (no response)"
    lines = [f"  status: {response.status}"]
    lines += [f"  {k}: {v}" for k, v in response.headers.items()]
    text = response.raw.decode("utf-8", "replace")
    if response.json is not None:
        text = json.dumps(response.json, ensure_ascii=False, indent=2)
    if len(text) > MAX_PRINTED_BODY:
        text = text[:MAX_PRINTED_BODY] + f"\n  ... ({len(text) - MAX_PRINTED_BODY} more characters)"
    lines.append("  body: " + text.replace("\n", "\n  "))
    return "\n".join(lines)


def load_scenario(path):
    """The steps of a scenario file, and the arguments its database's `init` gets: a file is a list
    of steps, or a mapping {init: [--bare], steps: [...]}."""
    with open(path, encoding="utf-8") as f:
        steps = yaml.safe_load(f)
    init_args = []
    users = []
    default_user = DEFAULT_USER
    if isinstance(steps, dict) and "steps" in steps:
        init_args = [str(arg) for arg in steps.get("init") or []]
        users = steps.get("users") or []
        default_user = str(steps.get("as", DEFAULT_USER))
        steps = steps["steps"]
    if not isinstance(steps, list):
        raise SystemExit(f"{path}: a scenario is a YAML list of steps")
    here = os.path.dirname(os.path.abspath(path))

    def file_path(given):
        given = str(given)
        for prefix, folder in DATA_PREFIXES.items():
            if given.startswith(prefix):
                return os.path.normpath(folder + given[len(prefix):])
        return os.path.normpath(os.path.join(here, given))

    for idx, step in enumerate(steps):
        if not isinstance(step, dict) or "request" not in step:
            raise SystemExit(f"{path}: step {idx + 1} is not a mapping with a `request`")
        # File paths are relative to the scenario file.
        if "body_file" in step:
            step["body_file"] = file_path(step["body_file"])
        expect = step.get("expect") or {}
        if "raw_equals_file" in expect:
            expect["raw_equals_file"] = file_path(expect["raw_equals_file"])
    return {"init": init_args, "users": users, "as": default_user}, steps


def run_file(path, binary, openapi, verbose, keep, postgres=None):
    passed = failed = 0
    setup, steps = load_scenario(path)
    workdir = tempfile.mkdtemp(prefix="halsonav-e2e-")
    db = None
    if postgres:
        db = new_postgres_database(postgres, os.path.splitext(os.path.basename(path))[0])
    server = Server(binary, workdir, setup["init"], setup["users"], db)
    name = os.path.basename(path)
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
        print(f"FAIL {name}: the server did not start: {error}")
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
        return 0, len(steps)
    print(f"== {name}: {len(steps)} steps, server on port {server.port}, db {server.db}")
    variables = {}
    sessions = Sessions(server.port, setup["as"])
    try:
        for idx, step in enumerate(steps, 1):
            label = f"{name} step {idx} '{step.get('name', '(unnamed)')}'"
            try:
                failures, described, response = run_step(step, variables, server.port, openapi,
                                                         sessions)
            except StepError as error:
                failures, described, response = [str(error)], step.get("request"), None
            if failures:
                failed += 1
                print(f"FAIL {label}")
                print(f"  request: {described}")
                for failure in failures:
                    print(f"  - {failure}")
                print(format_response(response))
                if not server.alive():
                    print(f"  the server is no longer running; stderr:\n{server.stderr_tail()}")
            else:
                passed += 1
                if verbose:
                    print(f"ok   {label}")
    finally:
        status = server.stop()
    report = server.stderr_text()
    if "AddressSanitizer" in report or "runtime error:" in report or "LeakSanitizer" in report:
        failed += 1
        print(f"FAIL {name}: the server's stderr holds a sanitizer report:\n{server.stderr_tail(80)}")
    if status not in (0, -signal.SIGTERM, None):
        print(f"note {name}: the server exited with status {status} after SIGTERM")
    if keep:
        print(f"   kept {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return passed, failed


def coverage(paths, openapi):
    used = set()
    for path in paths:
        for step in load_scenario(path)[1]:
            line = VAR_RE.sub("1", str(step["request"]))
            parts = line.split(None, 1)
            if len(parts) != 2:
                continue
            method, target = parts[0].upper(), parts[1].split("?", 1)[0].strip()
            template, op = openapi.find(method, target)
            if op is not None:
                used.add((method, template))
    all_ops = [(m, t) for m, t, _ in openapi.operations]
    missing = [op for op in all_ops if op not in used]
    for method, template in missing:
        print(f"not exercised: {method} {template}")
    print(f"{len(all_ops) - len(missing)} of {len(all_ops)} operations exercised")
    print(f"{len(all_ops) - len(missing)} passed, {len(missing)} failed")
    return 1 if missing else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", help="path to the halsonav executable")
    parser.add_argument("--openapi", required=True, help="path to src/server/openapi.json")
    parser.add_argument("--coverage", action="store_true",
                        help="only check that every OpenAPI operation is exercised by some step")
    parser.add_argument("--verbose", "-v", action="store_true", help="print passing steps too")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directories")
    parser.add_argument("--postgres", metavar="URI_FILE",
                        help="run on PostgreSQL: a new database in the cluster whose URI is in "
                             "this file (tests/postgres/cluster.sh) instead of an SQLite file")
    parser.add_argument("scenarios", nargs="+", help="scenario files (YAML)")
    args = parser.parse_args()
    openapi = OpenApi(args.openapi)
    if args.coverage:
        return coverage(args.scenarios, openapi)
    if not args.binary:
        parser.error("--binary is required unless --coverage is given")
    if not os.access(args.binary, os.X_OK):
        print(f"{args.binary}: not an executable file")
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    for path in args.scenarios:
        p, f = run_file(path, os.path.abspath(args.binary), openapi, args.verbose, args.keep,
                        args.postgres)
        passed += p
        failed += f
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
