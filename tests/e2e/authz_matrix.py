#!/usr/bin/python3
"""The authorisation matrix (issue 15): every operation of the OpenAPI document × every kind of
caller × an object of the caller's own organisation and one of another's, each cell asserted
against what the operation's `x-access` says.

    /usr/bin/python3 tests/e2e/authz_matrix.py --binary build/debug/halsonav \
        --openapi src/server/openapi.json

Callers: anonymous (no credentials), reader, editor and coordinator of organisation A, analyst,
admin; each signed-in caller acts through a personal API token. Objects: A's and B's actors,
units, frameworks (owned by A or B), nodes, measures (A or B responsible), adoptions. Every
changing operation has a CASE below that makes a fresh object for each cell, so that no cell
depends on another; an operation without a CASE fails the test (a new route must say who may call
it here too). Expected: a role the operation admits (admins always) gets a 2xx on its own side's
object, and on the other side's too unless the operation has a `scope` (then 403); a caller
outside the roles gets 401 when anonymous, 403 when signed in. Reading operations admitted to
`anyone` must not answer 401 or 403 to anyone; those whose `x-access` says `drafts: signed_in`
are read on a draft framework's objects and on an adopted one's: a visitor gets 404 for a draft's
object (and finds none in a list or the history), every signed-in caller gets 200 (and finds it),
everyone gets the adopted framework's.

The final line is `N passed, M failed` (cells); the exit status is non-zero on any failure.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = "matrix-password-4c1d"
ROLES = {  # caller -> (roles, organisation)
    "reader": ("reader", None),
    "editor": ("editor", "A"),
    "coordinator": ("coordinator", "A"),
    "analyst": ("analyst", None),
    "admin": ("admin", None),
}
CALLERS = ["anonymous", *ROLES]
REPOSITORY = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


class Context:
    def __init__(self, binary, base, tokens, actors):
        self.binary = binary
        self.base = base
        self.tokens = tokens  # caller -> headers
        self.actors = actors  # "A"/"B" -> id
        self.serial = 0
        self.passwords = {name: PASSWORD for name in ROLES}

    def next(self):
        self.serial += 1
        return self.serial

    def call(self, method, path, caller="admin", body=None, content_type="application/json"):
        headers = dict(self.tokens.get(caller, {}))
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                raw = answer.read()
                return answer.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                return error.code, json.loads(raw)
            except ValueError:
                return error.code, raw

    def make(self, path, body):
        """Creates an object as admin; returns its JSON."""
        status, answer = self.call("POST", path, "admin", body)
        if status != 201:
            raise RuntimeError(f"set-up POST {path} {body}: {status} {answer}")
        return answer

    # ---- fresh objects of a side ("own" = organisation A, "other" = B) ----

    def org(self, side):
        return self.actors["A" if side == "own" else "B"]

    def actor(self):
        return self.make("/api/v1/actors", {"kind": "other", "name": f"Aktör {self.next()}"})

    def unit(self, side):
        return self.make("/api/v1/units", {"actor_id": self.org(side), "name": f"Enhet {self.next()}"})

    def framework(self, side, status="draft"):
        return self.make("/api/v1/frameworks", {
            "kind": "action_plan", "title": f"Handlingsplan {self.next()}",
            "owner_actor_id": self.org(side), "status": status,
            "node_kinds": [{"key": "group", "label": "Grupp", "root": True}]})

    def node(self, side, framework=None, status="draft"):
        framework = framework or self.framework(side, status)
        return self.make("/api/v1/nodes", {"framework_id": framework["id"], "kind": "group",
                                           "code": str(self.next()), "title": "Grupp"})

    def measure(self, side, status="draft"):
        node = self.node(side, status=status)
        return self.make("/api/v1/measures", {
            "node_id": node["id"], "code": f"{self.next()} A", "text": "Åtgärd",
            "responsible": [{"actor_id": self.org(side)}]})

    def adoption(self, side, status="draft"):
        framework = self.framework(side, status)
        return self.make("/api/v1/adoptions", {"framework_id": framework["id"],
                                               "actor_id": self.actor()["id"]})

    def deleted(self, path, thing):
        status, answer = self.call("DELETE", f"{path}/{thing['id']}", "admin")
        if status != 200:
            raise RuntimeError(f"set-up DELETE {path}/{thing['id']}: {status} {answer}")
        return thing

    def plan(self, side):
        with open(os.path.join(REPOSITORY, "data", "demo", "vastmanland-program.json"),
                  encoding="utf-8") as f:
            plan = json.load(f)
        owner = "Organisation A" if side == "own" else "Organisation B"
        plan["framework"]["owner"] = owner
        plan["framework"]["title"] = f"Program {self.next()}"
        plan["actors"] = [a for a in plan["actors"] if a.get("name") != owner]
        plan["actors"].append({"name": owner, "kind": "region"})
        plan["adoptions"] = []
        return plan


# Each changing operation: (method, template) -> function(ctx, side, caller) -> (path, body,
# content_type). The function makes what the call needs, fresh.
def patch_body(thing, **fields):
    return {"version": thing["version"], **fields}


CASES = {
    ("POST", "/api/v1/actors"): lambda c, s, who: (
        "/api/v1/actors", {"kind": "other", "name": f"Ny aktör {c.next()}"}, None),
    ("PATCH", "/api/v1/actors/{id}"): lambda c, s, who: (
        lambda a: (f"/api/v1/actors/{a['id']}",
                   patch_body(a, description=f"ändrad {c.next()}"), None))(
        c.call("GET", f"/api/v1/actors/{c.org(s)}")[1]),
    ("DELETE", "/api/v1/actors/{id}"): lambda c, s, who: (
        f"/api/v1/actors/{c.actor()['id']}", None, None),
    ("POST", "/api/v1/actors/{id}/restore"): lambda c, s, who: (
        f"/api/v1/actors/{c.deleted('/api/v1/actors', c.actor())['id']}/restore", None, None),
    ("POST", "/api/v1/units"): lambda c, s, who: (
        "/api/v1/units", {"actor_id": c.org(s), "name": f"Ny enhet {c.next()}"}, None),
    ("PATCH", "/api/v1/units/{id}"): lambda c, s, who: (
        lambda u: (f"/api/v1/units/{u['id']}", patch_body(u, name=f"Ändrad {c.next()}"), None))(
        c.unit(s)),
    ("DELETE", "/api/v1/units/{id}"): lambda c, s, who: (
        f"/api/v1/units/{c.unit(s)['id']}", None, None),
    ("POST", "/api/v1/units/{id}/restore"): lambda c, s, who: (
        f"/api/v1/units/{c.deleted('/api/v1/units', c.unit(s))['id']}/restore", None, None),
    ("POST", "/api/v1/frameworks"): lambda c, s, who: (
        "/api/v1/frameworks", {"kind": "programme", "title": f"Program {c.next()}",
                               "owner_actor_id": c.org(s),
                               "node_kinds": [{"key": "area", "label": "Område", "root": True}]},
        None),
    ("PATCH", "/api/v1/frameworks/{id}"): lambda c, s, who: (
        lambda f: (f"/api/v1/frameworks/{f['id']}", patch_body(f, title=f"Ändrad {c.next()}"),
                   None))(c.framework(s)),
    ("DELETE", "/api/v1/frameworks/{id}"): lambda c, s, who: (
        f"/api/v1/frameworks/{c.framework(s)['id']}", None, None),
    ("POST", "/api/v1/frameworks/{id}/restore"): lambda c, s, who: (
        f"/api/v1/frameworks/{c.deleted('/api/v1/frameworks', c.framework(s))['id']}/restore",
        None, None),
    ("POST", "/api/v1/nodes"): lambda c, s, who: (
        "/api/v1/nodes", {"framework_id": c.framework(s)["id"], "kind": "group",
                          "code": str(c.next()), "title": "Ny grupp"}, None),
    ("PATCH", "/api/v1/nodes/{id}"): lambda c, s, who: (
        lambda n: (f"/api/v1/nodes/{n['id']}", patch_body(n, title=f"Ändrad {c.next()}"), None))(
        c.node(s)),
    ("DELETE", "/api/v1/nodes/{id}"): lambda c, s, who: (
        f"/api/v1/nodes/{c.node(s)['id']}", None, None),
    ("POST", "/api/v1/nodes/{id}/restore"): lambda c, s, who: (
        f"/api/v1/nodes/{c.deleted('/api/v1/nodes', c.node(s))['id']}/restore", None, None),
    ("POST", "/api/v1/measures"): lambda c, s, who: (
        "/api/v1/measures", {"node_id": c.node(s)["id"], "code": f"{c.next()} B",
                             "text": "Ny åtgärd", "responsible": [{"actor_id": c.org(s)}]}, None),
    ("PATCH", "/api/v1/measures/{id}"): lambda c, s, who: (
        lambda m: (f"/api/v1/measures/{m['id']}", patch_body(m, status="done"), None))(
        c.measure(s)),
    ("DELETE", "/api/v1/measures/{id}"): lambda c, s, who: (
        f"/api/v1/measures/{c.measure(s)['id']}", None, None),
    ("POST", "/api/v1/measures/{id}/restore"): lambda c, s, who: (
        f"/api/v1/measures/{c.deleted('/api/v1/measures', c.measure(s))['id']}/restore", None,
        None),
    ("POST", "/api/v1/adoptions"): lambda c, s, who: (
        "/api/v1/adoptions", {"framework_id": c.framework(s)["id"], "actor_id": c.actor()["id"]},
        None),
    ("PATCH", "/api/v1/adoptions/{id}"): lambda c, s, who: (
        lambda a: (f"/api/v1/adoptions/{a['id']}", patch_body(a, body="Regionfullmäktige"), None))(
        c.adoption(s)),
    ("DELETE", "/api/v1/adoptions/{id}"): lambda c, s, who: (
        f"/api/v1/adoptions/{c.adoption(s)['id']}", None, None),
    ("POST", "/api/v1/adoptions/{id}/restore"): lambda c, s, who: (
        f"/api/v1/adoptions/{c.deleted('/api/v1/adoptions', c.adoption(s))['id']}/restore", None,
        None),
    ("POST", "/api/v1/import/plan"): lambda c, s, who: (
        "/api/v1/import/plan?create_actors=true", c.plan(s), None),
    ("POST", "/api/v1/frameworks/{id}/import/measures"): lambda c, s, who: (
        lambda n: (f"/api/v1/frameworks/{n['framework_id']}/import/measures",
                   f"node_kind,node_code,code,text,responsible\n"
                   f"group,{n['code']},{c.next()} C,Åtgärd,Organisation {'A' if s == 'own' else 'B'}\n"
                   .encode(), "text/csv"))(c.node(s)),
    ("PUT", "/api/v1/area-groups/{code}"): lambda c, s, who: (
        f"/api/v1/area-groups/grupp{c.next()}", {"title": "Kustkommuner", "members": ["2480"]},
        None),
    ("DELETE", "/api/v1/area-groups/{code}"): lambda c, s, who: (
        lambda code: (c.call("PUT", f"/api/v1/area-groups/{code}", "admin",
                             {"title": "Inlandet", "members": ["2462"]}),
                      (f"/api/v1/area-groups/{code}", None, None))[1])(f"grupp{c.next()}"),
    ("POST", "/api/v1/indicators"): lambda c, s, who: (
        "/api/v1/indicators", {"code": f"MATRIS.{c.next()}", "title": "Egen indikator",
                               "unit": "%", "value_type": "proportion"}, None),
    ("POST", "/api/v1/import/stats"): lambda c, s, who: (
        "/api/v1/import/stats?format=csv",
        f"indicator,area,period,value\nN00945,2480,{1950 + c.next() % 50},1.5\n".encode(),
        "text/csv"),
    ("POST", "/api/v1/import/areas"): lambda c, s, who: (
        "/api/v1/import/areas", b'"id","title","type"\n"2480","Ume\xc3\xa5","K"\n', "text/csv"),
    ("POST", "/api/v1/import/area-groups"): lambda c, s, who: (
        "/api/v1/import/area-groups",
        b'"group_id","group_title","member_id","member_title"\n"G1","Grupp","2480","Ume\xc3\xa5"\n',
        "text/csv"),
    ("POST", "/api/v1/import/indicators"): lambda c, s, who: (
        "/api/v1/import/indicators", open(os.path.join(
            REPOSITORY, "data", "national", "kpi_catalogue.csv"), "rb").read().split(b"\n", 2)[0]
        + b"\n" + open(os.path.join(REPOSITORY, "data", "national", "kpi_catalogue.csv"),
                       "rb").read().split(b"\n", 2)[1] + b"\n", "text/csv"),
    ("PUT", "/api/v1/settings/disclosure"): lambda c, s, who: (
        "/api/v1/settings/disclosure", {"min_count": 5}, None),
    ("POST", "/api/v1/import/geo"): lambda c, s, who: (
        "/api/v1/import/geo?dry_run=true", json.dumps({
            "type": "FeatureCollection", "features": [{
                "type": "Feature", "properties": {"id": "2480"},
                "geometry": {"type": "Polygon",
                             "coordinates": [[[20.0, 63.8], [20.4, 63.8], [20.4, 64.0],
                                              [20.0, 63.8]]]}}]}).encode(),
        "application/geo+json"),
    ("POST", "/api/v1/fetches"): lambda c, s, who: (
        "/api/v1/fetches", {"source": "kolada", "kpis": ["N00945"], "municipalities": ["2480"],
                            "base_url": "http://127.0.0.1:9", "retries": 0, "timeout_s": 1}, None),
    ("POST", "/api/v1/fetches/{id}/cancel"): lambda c, s, who: (
        f"/api/v1/fetches/{c.stalled_job()}/cancel", None, None),
    ("POST", "/api/v1/session"): lambda c, s, who: (
        "/api/v1/session", {"user": "admin", "password": c.passwords["admin"]}, None),
    ("DELETE", "/api/v1/session"): lambda c, s, who: ("/api/v1/session", None, None),
    ("PUT", "/api/v1/session/password"): lambda c, s, who: (
        "/api/v1/session/password", c.new_password(who), None),
    ("POST", "/api/v1/users"): lambda c, s, who: (
        "/api/v1/users", {"name": f"ny{c.next()}", "email": f"ny{c.serial}@example.org",
                          "roles": ["reader"]}, None),
    ("PATCH", "/api/v1/users/{id}"): lambda c, s, who: (
        lambda u: (f"/api/v1/users/{u['id']}", {"version": u["version"], "roles": ["analyst"]},
                   None))(c.make("/api/v1/users", {"name": f"u{c.next()}",
                                                   "email": f"u{c.serial}@example.org",
                                                   "roles": ["reader"]})),
    ("POST", "/api/v1/users/{id}/reset-password"): lambda c, s, who: (
        f"/api/v1/users/{c.make('/api/v1/users', {'name': f'r{c.next()}', 'email': f'r{c.serial}@example.org', 'roles': ['reader']})['id']}/reset-password",
        None, None),
    ("POST", "/api/v1/tokens"): lambda c, s, who: (
        "/api/v1/tokens", {"name": f"token {c.next()}"}, None),
    ("DELETE", "/api/v1/tokens/{id}"): lambda c, s, who: (
        f"/api/v1/tokens/{c.token_of(who if s == 'own' else 'admin')}", None, None),
}

# Cells whose answer is not the general rule, with why.
SPECIAL = {
    # Revoking another user's token answers 404 to a non-admin: a token's existence is not told.
    ("DELETE", "/api/v1/tokens/{id}", "other"): lambda who, allowed: (
        200 if who == "admin" else 401 if who == "anonymous" else 404),
}


def new_password(ctx, who):
    if who not in ctx.passwords:
        return {"current_password": "x" * 12, "new_password": "y" * 6 + "zq" * 4}
    fresh = f"matrix-password-{ctx.next():04d}x"
    body = {"current_password": ctx.passwords[who], "new_password": fresh}
    ctx.passwords[who] = fresh
    return body


def token_of(ctx, who):
    """The id of a fresh token of `who` (admin's for anonymous)."""
    caller = who if who in ROLES else "admin"
    status, answer = ctx.call("POST", "/api/v1/tokens", caller, {"name": f"t{ctx.next()}"})
    if status != 201:
        raise RuntimeError(f"set-up token of {caller}: {status} {answer}")
    return answer["id"]


def stalled_job(ctx):
    """A fetch job (by admin) from a service that accepts connections and never answers, so that
    it is still running when the cell's caller cancels it."""
    status, answer = ctx.call("POST", "/api/v1/fetches", "admin", {
        "source": "kolada", "kpis": ["N00945"], "municipalities": ["2480"],
        "base_url": ctx.stall_url, "retries": 0, "timeout_s": 5})
    if status != 202:
        raise RuntimeError(f"set-up fetch job: {status} {answer}")
    return answer["id"]


Context.stalled_job = stalled_job
Context.new_password = new_password
Context.token_of = token_of


def expected(access, caller, side, method, template):
    special = SPECIAL.get((method, template, side))
    roles = access["roles"]
    if "anyone" in roles:
        allowed = True
    elif caller == "anonymous":
        allowed = False
    elif caller == "admin" or "signed_in" in roles:
        allowed = True
    else:
        allowed = ROLES[caller][0] in roles
    if special:
        return special(caller, allowed)
    if not allowed:
        return 401 if caller == "anonymous" else 403
    if side == "other" and "scope" in access and caller not in ("admin",) and \
            "signed_in" not in roles and ROLES.get(caller, (None, None))[1] is not None:
        return 403
    return "2xx"


def start(binary, workdir):
    db = os.path.join(workdir, "h.db")
    subprocess.run([binary, "init", "--db", db], check=True, capture_output=True, timeout=300)
    # Every cancel cell starts a fetch job that stalls for a few seconds: no cap on them here.
    process = subprocess.Popen([binary, "serve", "--db", db, "--listen", "127.0.0.1:0",
                                "--max-fetches", "64"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    found = re.search(r"listening on (http://\S+)", line)
    if not found:
        process.kill()
        raise RuntimeError(f"the server did not start: {line}")
    return db, process, found.group(1)


def set_up(binary, db, base):
    def cli(*args, stdin=None):
        done = subprocess.run([binary, *args, "--db", db], input=stdin, capture_output=True,
                              text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"halsonav {' '.join(args)}: {done.stderr}")
        return done.stdout

    cli("user", "add", "admin", "--email", "admin@example.org", "--role", "admin",
        "--password-stdin", stdin=PASSWORD + "\n")
    tokens = {}

    def token(name):
        out = cli("token", "create", "--user", name, "--name", "matris")
        return {"Authorization": "Bearer " + re.search(r"token \(shown once\): (\S+)", out).group(1)}

    tokens["admin"] = token("admin")
    ctx = Context(binary, base, tokens, {})
    ctx.actors["A"] = ctx.make("/api/v1/actors", {"kind": "region", "name": "Organisation A"})["id"]
    ctx.actors["B"] = ctx.make("/api/v1/actors", {"kind": "region", "name": "Organisation B"})["id"]
    for name, (role, org) in ROLES.items():
        if name == "admin":
            continue
        args = ["user", "add", name, "--email", f"{name}@example.org", "--role", role,
                "--password-stdin"]
        if org:
            args += ["--actor", str(ctx.actors[org])]
        cli(*args, stdin=PASSWORD + "\n")
        tokens[name] = token(name)
    return ctx


def framework_objects(ctx, status):
    """A framework in `status` of organisation A with a node, a measure and an adoption."""
    framework = ctx.framework("own", status)
    node = ctx.node("own", framework)
    measure = ctx.make("/api/v1/measures", {
        "node_id": node["id"], "code": f"{ctx.next()} A", "text": "Åtgärd",
        "responsible": [{"actor_id": ctx.org("own")}]})
    adoption = ctx.make("/api/v1/adoptions", {"framework_id": framework["id"],
                                              "actor_id": ctx.actor()["id"]})
    return {"frameworks": framework, "nodes": node, "measures": measure, "adoptions": adoption}


# The lists of a `drafts: signed_in` operation, read for one framework's objects: the path, and
# whether the answer shows them.
def total_of(answer):
    return answer.get("total", 0) if isinstance(answer, dict) else 0


LISTS = {
    "/api/v1/frameworks": lambda o: (
        f"/api/v1/frameworks?status={o['frameworks']['status']}&limit=1000",
        # Drafts are many here (every cell makes some): counted, not looked for.
        lambda a: (total_of(a) > 0 if o["frameworks"]["status"] == "draft"
                   else any(i["id"] == o["frameworks"]["id"] for i in a["items"]))),
    "/api/v1/nodes": lambda o: (f"/api/v1/nodes?framework_id={o['frameworks']['id']}",
                                lambda a: total_of(a) == 1),
    "/api/v1/measures": lambda o: (f"/api/v1/measures?framework_id={o['frameworks']['id']}",
                                   lambda a: total_of(a) == 1),
    "/api/v1/adoptions": lambda o: (f"/api/v1/adoptions?framework_id={o['frameworks']['id']}",
                                    lambda a: total_of(a) == 1),
    "/api/v1/history": lambda o: (
        f"/api/v1/history?entity=measure&id={o['measures']['id']}", lambda a: total_of(a) == 1),
}


def check_draft_reads(ctx, template, caller, objects):
    """One `drafts: signed_in` operation as `caller` on a draft's and an adopted framework's
    objects; returns the failures' descriptions."""
    failures = []
    for status, things in objects.items():
        hidden = status == "draft" and caller == "anonymous"
        if template in LISTS:
            path, shows = LISTS[template](things)
            code, answer = ctx.call("GET", path, caller)
            if code != 200 or shows(answer) == hidden:
                failures.append(f"{path} ({status}): {code}, expected 200 "
                                f"{'without' if hidden else 'with'} it: {str(answer)[:200]}")
            continue
        collection = template.split("/")[3]
        ident = things[collection]["id"]
        path = template.replace("{id}", str(ident))
        want = 404 if hidden else 200
        code, answer = ctx.call("GET", path, caller)
        if code != want:
            failures.append(f"{path} ({status}): {code}, expected {want}: {str(answer)[:200]}")
        elif hidden:
            # The very answer of an id that does not exist.
            entity = collection[:-1]
            told = {"code": "not_found", "message": f"there is no {entity} with id {ident}",
                    "details": {"entity": entity, "id": ident}}
            if not isinstance(answer, dict) or answer.get("error") != told:
                failures.append(f"{path} ({status}): {answer}, expected {told}")
    return failures


def check_reads(ctx, operations):
    """GET operations: `anyone` never answers 401/403; the others by their roles; those with
    `drafts: signed_in` hide a draft's objects from visitors only."""
    own = {"units": ctx.unit("own")}
    objects = {"draft": framework_objects(ctx, "draft"),
               "adopted": framework_objects(ctx, "adopted")}
    passed = failed = 0
    for method, template, op in operations:
        if method != "GET":
            continue
        if op["x-access"].get("drafts") == "signed_in":
            for caller in CALLERS:
                failures = check_draft_reads(ctx, template, caller, objects)
                passed += not failures
                failed += bool(failures)
                for failure in failures:
                    print(f"FAIL GET {template} as {caller}: {failure}")
            continue
        path = template
        collection = template.split("/")[3] if template.count("/") >= 3 else ""
        ident = own[collection]["id"] if collection in own else ctx.actors["A"]
        path = path.replace("{id}", str(ident)).replace("{code}", "2480" if "area" in template
                                                        else "N00945")
        for caller in CALLERS:
            want = expected(op["x-access"], caller, "own", method, template)
            status, answer = ctx.call("GET", path, caller)
            ok = status not in (401, 403) if want == "2xx" else status == want
            if ok:
                passed += 1
            else:
                failed += 1
                print(f"FAIL GET {template} as {caller}: {status}, expected "
                      f"{'not 401/403' if want == '2xx' else want}: {str(answer)[:300]}")
    return passed, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--openapi", required=True)
    args = parser.parse_args()
    with open(args.openapi, encoding="utf-8") as f:
        document = json.load(f)
    operations = []
    for template, item in document["paths"].items():
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                operations.append((method.upper(), template, op))
    missing_access = [f"{m} {t}" for m, t, op in operations if "x-access" not in op]
    if missing_access:
        print("FAIL operations without x-access: " + ", ".join(missing_access))
    workdir = tempfile.mkdtemp(prefix="halsonav-authz-")
    db, process, base = start(args.binary, workdir)
    passed = failed = len(missing_access) and 0
    failed = len(missing_access)
    # A service that accepts connections and never answers (the fetch jobs' cancel cells).
    stall = socket.socket()
    stall.bind(("127.0.0.1", 0))
    stall.listen(128)
    try:
        ctx = set_up(args.binary, db, base)
        ctx.stall_url = f"http://127.0.0.1:{stall.getsockname()[1]}"
        for method, template, op in operations:
            if method == "GET" or not template.startswith("/api/v1/"):
                continue
            case = CASES.get((method, template))
            if case is None:
                failed += 1
                print(f"FAIL {method} {template}: no case in authz_matrix.py (say who may call it)")
                continue
            for side in ("own", "other"):
                for caller in CALLERS:
                    want = expected(op["x-access"], caller, side, method, template)
                    path, body, content_type = case(ctx, side, caller)
                    status, answer = ctx.call(method, path, caller, body,
                                              content_type or "application/json")
                    ok = 200 <= status < 300 if want == "2xx" else status == want
                    if ok:
                        passed += 1
                    else:
                        failed += 1
                        print(f"FAIL {method} {template} as {caller} on {side}'s: {status}, "
                              f"expected {want}: {str(answer)[:300]}")
        read_passed, read_failed = check_reads(ctx, operations)
        passed += read_passed
        failed += read_failed
    finally:
        stall.close()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
