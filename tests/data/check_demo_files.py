#!/usr/bin/python3
"""Checks the demo plan files in data/demo/ (see docs/plan-format.md).

Usage: check_demo_files.py PROJECT_SOURCE_DIR

Per file: schema validation against docs/plan.schema.json, no e-mail address anywhere,
node codes unique per kind, measure codes unique, every actor / unit / node reference
resolves, node kinds sit where the framework allows, and the file is in canonical form
(2-space indent, UTF-8, key order as written by the exporter, trailing newline).
Prints one line per check and a final line "N passed, M failed"; exits 1 on any failure.
"""
import glob
import json
import os
import re
import sys

import jsonschema

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
SEP = " / "


def unit_paths(units, prefix=""):
    out = set()
    for u in units:
        p = prefix + u["name"]
        out.add(p)
        out |= unit_paths(u.get("units", []), p + SEP)
    return out


def walk(nodes, parent_kind=None, pointer="/nodes"):
    for i, n in enumerate(nodes):
        p = f"{pointer}/{i}"
        yield p, n, parent_kind
        yield from walk(n.get("children", []), n["kind"], p + "/children")


def check_file(path, validator):
    """Returns a list of (check name, list of problems)."""
    raw = open(path, "rb").read()
    results = []
    try:
        text = raw.decode("utf-8")
        doc = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return [("readable UTF-8 JSON", [str(e)])]
    results.append(("readable UTF-8 JSON", []))

    errs = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    results.append(("schema", [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errs[:20]]))
    if errs:
        return results

    results.append(("no e-mail address", [f"e-mail-like text: {m}" for m in EMAIL.findall(text)]))

    canonical = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    results.append(("canonical form", [] if canonical == text else ["file differs from its canonical serialisation"]))

    actors = {}
    problems = []
    for i, a in enumerate(doc["actors"]):
        if a["name"] in actors:
            problems.append(f"/actors/{i}: duplicate actor name {a['name']!r}")
        actors[a["name"]] = unit_paths(a.get("units", []))
    results.append(("actor names unique", problems))

    kinds = {k["key"]: k for k in doc["framework"]["node_kinds"]}
    codes, mcodes, ref_problems, dup_problems, kind_problems = {}, {}, [], [], []

    def actor_ref(name, ptr):
        if name is not None and name not in actors:
            ref_problems.append(f"{ptr}: unknown actor {name!r}")
            return False
        return True

    def unit_ref(actor, unit, ptr):
        if unit is not None and actor in actors and unit not in actors[actor]:
            ref_problems.append(f"{ptr}: actor {actor!r} has no unit {unit!r}")

    if doc["framework"].get("owner") is not None:
        actor_ref(doc["framework"]["owner"], "/framework/owner")
    all_nodes = list(walk(doc["nodes"]))
    for p, n, parent_kind in all_nodes:
        k = kinds.get(n["kind"])
        if k is None:
            kind_problems.append(f"{p}/kind: framework has no node kind {n['kind']!r}")
        elif parent_kind is None and not k["root"]:
            kind_problems.append(f"{p}: kind {n['kind']!r} may not be at the top")
        elif parent_kind is not None and parent_kind not in k["parents"]:
            kind_problems.append(f"{p}: kind {n['kind']!r} may not sit under {parent_kind!r}")
        if n.get("cross_cutting") and parent_kind is not None:
            kind_problems.append(f"{p}: a cross-cutting node must be at the top")
        if n.get("code") is not None:
            key = (n["kind"], n["code"])
            if key in codes:
                dup_problems.append(f"{p}/code: {n['code']!r} already used by {codes[key]}")
            codes[key] = p
        ca = n.get("coordinating_actor")
        actor_ref(ca, f"{p}/coordinating_actor")
        if n.get("contact_unit") is not None:
            if ca is None:
                ref_problems.append(f"{p}/contact_unit: set without a coordinating actor")
            unit_ref(ca, n["contact_unit"], f"{p}/contact_unit")
        for j, c in enumerate(n.get("contacts", [])):
            if actor_ref(c["actor"], f"{p}/contacts/{j}/actor"):
                unit_ref(c["actor"], c.get("unit"), f"{p}/contacts/{j}/unit")
        for j, a in enumerate(n.get("actors", [])):
            actor_ref(a, f"{p}/actors/{j}")
        for j, m in enumerate(n.get("measures", [])):
            mp = f"{p}/measures/{j}"
            if m.get("code") is not None:
                if m["code"] in mcodes:
                    dup_problems.append(f"{mp}/code: {m['code']!r} already used by {mcodes[m['code']]}")
                mcodes[m["code"]] = mp
            for r, lst in (("responsible", m.get("responsible", [])), ("partners", m.get("partners", []))):
                for q, e in enumerate(lst):
                    if actor_ref(e["actor"], f"{mp}/{r}/{q}/actor"):
                        for u, unit in enumerate(e.get("units", [])):
                            unit_ref(e["actor"], unit, f"{mp}/{r}/{q}/units/{u}")

    def node_ref(r, ptr):
        if (r["kind"], r["code"]) not in codes:
            ref_problems.append(f"{ptr}: no node of kind {r['kind']!r} with code {r['code']!r}")

    for p, n, _ in all_nodes:
        for j, r in enumerate(n.get("links", [])):
            node_ref(r, f"{p}/links/{j}")
    for i, a in enumerate(doc.get("adoptions", [])):
        actor_ref(a["actor"], f"/adoptions/{i}/actor")
    seen = set()
    for i, a in enumerate(doc.get("adoptions", [])):
        if a["actor"] in seen:
            dup_problems.append(f"/adoptions/{i}: second adoption by {a['actor']!r}")
        seen.add(a["actor"])
    for i, g in enumerate(doc.get("result_goals", [])):
        for j, r in enumerate(g.get("nodes", [])):
            node_ref(r, f"/result_goals/{i}/nodes/{j}")
    for i, it in enumerate(doc.get("follow_up", {}).get("items", [])):
        for j, r in enumerate(it["nodes"]):
            node_ref(r, f"/follow_up/items/{i}/nodes/{j}")
    for i, f in enumerate(doc.get("forums", [])):
        for j, g in enumerate(f.get("groups", [])):
            for q, mem in enumerate(g.get("members", [])):
                mp = f"/forums/{i}/groups/{j}/members/{q}"
                if actor_ref(mem["actor"], mp + "/actor"):
                    for u, unit in enumerate(mem.get("units", [])):
                        unit_ref(mem["actor"], unit, f"{mp}/units/{u}")

    results.append(("codes unique (nodes per kind, measures, adoptions per actor)", dup_problems))
    results.append(("node kinds allowed where they sit", kind_problems))
    results.append(("references resolve (actors, units, nodes)", ref_problems))
    return results


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    schema = json.load(open(os.path.join(root, "docs", "plan.schema.json"), encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted(glob.glob(os.path.join(root, "data", "demo", "*.json")))
    passed = failed = 0
    if not files:
        print("FAIL no files in data/demo/")
        failed += 1
    for f in files:
        for name, problems in check_file(f, validator):
            rel = os.path.relpath(f, root)
            if problems:
                failed += 1
                print(f"FAIL {rel}: {name}")
                for pr in problems:
                    print(f"     {pr}")
            else:
                passed += 1
                print(f"ok   {rel}: {name}")
    # The API documents the same schema (components/schemas/PlanFile, refs rewritten to point into
    # it): the two must not drift apart.
    openapi = json.load(open(os.path.join(root, "src", "server", "openapi.json"), encoding="utf-8"))
    embedded = json.loads(json.dumps(openapi["components"]["schemas"]["PlanFile"]).replace(
        '"#/components/schemas/PlanFile/$defs/', '"#/$defs/'))
    expected = {k: v for k, v in schema.items() if k not in ("$schema", "$id", "description")}
    embedded.pop("description", None)
    if embedded == expected:
        passed += 1
        print("ok   src/server/openapi.json: PlanFile is docs/plan.schema.json")
    else:
        failed += 1
        print("FAIL src/server/openapi.json: PlanFile differs from docs/plan.schema.json")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
