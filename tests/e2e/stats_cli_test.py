#!/usr/bin/python3
"""The statistics commands against the real binary and the repository's real files (data/national,
tests/data):
`import areas|area-groups|kpis`, `import stats` for every PX-Web file and for Kolada API
responses built from the real Kolada values, re-imports that change nothing, refused files that
store nothing, `disclosure` and `synth`. Stored values are read back with Python's sqlite3 and
compared exactly with the files.

    /usr/bin/python3 tests/e2e/stats_cli_test.py --binary build/debug/halsonav

Ends with the line `N passed, M failed`; the exit status is non-zero on any failure.
"""

import argparse
import csv
import glob
import json
import os
import re
import sqlite3
import sys
import tempfile

from command_support import CommandContext, Failure

REPOSITORY = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


class Context(CommandContext):
    def __init__(self, binary, work):
        super().__init__(binary, os.path.join(work, "stats.db"))
        self.work = work

    def data(self, *parts):
        """A file of tests/data."""
        return os.path.join(REPOSITORY, "tests", "data", *parts)

    def national(self, name):
        """A file of data/national: the registry and outlines every new database holds."""
        return os.path.join(REPOSITORY, "data", "national", name)

    def observation_count(self):
        return self.query("SELECT count(*) FROM observation")[0][0]


def counts(out):
    found = re.search(r"(\d+) new, (\d+) changed, (\d+) unchanged observations", out)
    if not found:
        raise Failure(f"no counts in: {out}")
    return tuple(int(n) for n in found.groups())


def test_registry(ctx):
    ctx.ok("init", "--db", ctx.db, "--bare")  # the registry imported from nothing
    out = ctx.ok("import", "areas", ctx.national("municipalities.csv"), "--db", ctx.db)
    assert "312 areas (312 created" in out, out
    kinds = dict(ctx.query("SELECT kind, count(*) FROM area GROUP BY kind"))
    if kinds != {"country": 1, "region": 21, "municipality": 290}:
        raise Failure(f"area kinds: {kinds}")
    if ctx.query("SELECT county_code FROM area WHERE code = '2480'") != [("0024",)]:
        raise Failure("Umeå should belong to 0024")
    out = ctx.ok("import", "areas", ctx.national("municipalities.csv"), "--db", ctx.db)
    assert "(0 created, 0 updated, 312 unchanged)" in out, out
    with open(ctx.national("municipality_groups.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    groups = {row["group_id"] for row in rows}
    out = ctx.ok("import", "area-groups", ctx.national("municipality_groups.csv"),
                 "--db", ctx.db)
    assert f"{len(groups)} area groups" in out, out
    out = ctx.ok("import", "kpis", ctx.national("kpi_catalogue.csv"), "--db", ctx.db)
    assert "6099 indicator definitions (6099 created" in out, out
    title = ctx.query("SELECT title FROM indicator WHERE code = 'N00945'")
    with open(ctx.national("kpi_catalogue.csv"), encoding="utf-8") as f:
        expected = next(row["title"] for row in csv.DictReader(f) if row["id"] == "N00945")
    if title != [(expected,)]:
        raise Failure(f"N00945's title: {title} != {expected}")


def test_tab6471_matches_the_snapshot(ctx):
    path = ctx.data("pxweb", "scb-v2", "TAB6471_data.json")
    before = ctx.observation_count()
    out = ctx.ok("import", "stats", "--db", ctx.db, "--format", "jsonstat", "--dry-run", path)
    assert counts(out) == (2772, 0, 0), out
    if ctx.observation_count() != before:
        raise Failure("a dry run stored observations")
    out = ctx.ok("import", "stats", "--db", ctx.db, "--format", "jsonstat", path)
    assert counts(out) == (2772, 0, 0), out
    out = ctx.ok("import", "stats", "--db", ctx.db, "--format", "jsonstat", path)
    assert counts(out) == (0, 0, 2772), out
    # Every stored value against the reference client's flattened rows: region, age, sex, month.
    ctx.expect_tab6471_snapshot(os.path.dirname(path))


def test_every_pxweb_file(ctx):
    datasets = {"canada.json", "galicia.json", "oecd-canada-col.json", "oecd-canada.json",
                "oecd.json", "us-gsp.json", "us-labor.json", "us-unr.json",
                "mock__response_se.json", "TAB6471_data.json"}
    not_data = {"collection.json": "collection", "config.json": "configuration",
                "tables.json": "table list", "search.json": "search result",
                "TAB6471_metadata.json": "metadata",
                "mock__response_table_variables.json": "metadata",
                "queries__query_se.json": "query body"}
    for path in sorted(glob.glob(ctx.data("pxweb", "*", "*.json"))):
        name = os.path.basename(path)
        before = ctx.observation_count()
        if name in datasets:
            out = ctx.ok("import", "stats", "--db", ctx.db, "--format", "jsonstat",
                         "--create-areas", "--no-progress", path)
            new, changed, unchanged = counts(out)
            if new + unchanged == 0 or changed != 0:
                raise Failure(f"{name}: {out}")
        elif name in not_data:
            ctx.refused(not_data[name], "import", "stats", "--db", ctx.db, "--format",
                        "jsonstat", path)
            if ctx.observation_count() != before:
                raise Failure(f"{name}: a refused file stored observations")
        elif name == "hierarchy.json":
            ctx.refused("no time dimension", "import", "stats", "--db", ctx.db, "--format",
                        "jsonstat", "--create-areas", path)
            ctx.ok("import", "stats", "--db", ctx.db, "--format", "jsonstat", "--create-areas",
                   "--period", "2011", path)
        elif name == "order.json":
            ctx.refused("must be a number", "import", "stats", "--db", ctx.db, "--format",
                        "jsonstat", "--create-areas", "--period", "2015", path)
        else:
            raise Failure(f"{name}: a file this test does not know; decide what it should do")


def test_unknown_areas_are_listed_and_nothing_is_stored(ctx):
    fresh = os.path.join(ctx.work, "fresh.db")
    ctx.ok("init", "--db", fresh, "--bare")
    ctx.ok("import", "areas", ctx.national("municipalities.csv"), "--db", fresh)
    err = ctx.refused(r"area codes not in the registry: .*CA", "import", "stats", "--db", fresh,
                      "--format", "jsonstat", ctx.data("pxweb", "jsonstat-samples", "canada.json"))
    assert "canada.json#/dimension/" in err, err
    with sqlite3.connect(fresh) as connection:
        if connection.execute("SELECT count(*) FROM observation").fetchone()[0] != 0:
            raise Failure("a refused import stored observations")


def test_geometries(ctx):
    """`import geo`: both real files in one import, stored once; a dry run, a bad file and an
    unknown area store nothing."""
    fresh = os.path.join(ctx.work, "geo.db")
    ctx.ok("init", "--db", fresh, "--bare")
    ctx.ok("import", "areas", ctx.national("municipalities.csv"), "--db", fresh)
    municipalities = ctx.national("swedish_municipalities.geojson")
    regions = ctx.national("swedish_regions.geojson")

    def stored():
        with sqlite3.connect(fresh) as connection:
            return connection.execute("SELECT count(*) FROM area_geometry").fetchone()[0]

    out = ctx.ok("import", "geo", municipalities, "--db", fresh, "--dry-run")
    assert "dry run, nothing stored" in out and "290 geometries: 290 new" in out, out
    if stored() != 0:
        raise Failure("a dry run stored geometries")
    # The regions' code is in l_id: with the default property every feature is refused, and the
    # municipalities (fine on their own) are not stored either.
    err = ctx.refused(r'swedish_regions\.geojson#/features/0/properties/id: missing',
                      "import", "geo", municipalities, regions, "--db", fresh)
    if stored() != 0:
        raise Failure("a refused import stored geometries")
    out = ctx.ok("import", "geo", municipalities, "--db", fresh, "--code-property", "id")
    assert "290 geometries: 290 new, 0 changed, 0 unchanged" in out, out
    out = ctx.ok("import", "geo", regions, "--db", fresh, "--code-property", "l_id")
    assert "21 geometries: 21 new" in out, out
    with sqlite3.connect(fresh) as connection:
        rows = connection.execute(
            "SELECT a.code, g.geometry FROM area_geometry g JOIN area a ON a.id = g.area_id "
            "WHERE a.code IN ('2480', '0024') ORDER BY a.code").fetchall()
    if [code for code, _ in rows] != ["0024", "2480"]:
        raise Failure(f"Umeå and Västerbotten: {rows[:2]}")
    if not rows[1][1].startswith('{"type":"Polygon","coordinates":[[['):
        raise Failure(f"Umeå's geometry: {rows[1][1][:80]}")
    out = ctx.ok("import", "geo", municipalities, "--db", fresh)
    assert "290 geometries: 0 new, 0 changed, 290 unchanged" in out, out
    unknown = os.path.join(ctx.work, "unknown.geojson")
    with open(unknown, "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
                '{"id":"9999"},"geometry":{"type":"Polygon","coordinates":'
                '[[[20,63],[21,63],[21,64],[20,63]]]}}]}')
    err = ctx.refused(r"area codes not in the registry: 9999", "import", "geo", unknown,
                      "--db", fresh)
    assert "--create-areas" not in err, err
    if stored() != 311:
        raise Failure(f"{stored()} geometries stored, not 311")


def kolada_pages(ctx, per_page):
    """Kolada v2 API responses (a JSON array of pages) from the real rows of values_*.csv."""
    rows = []
    for name in ("values_N00945.csv", "values_N03702_3cities.csv"):
        with open(ctx.data("kolada", name), encoding="utf-8") as f:
            rows.extend(csv.DictReader(f))
    items = [{"kpi": row["kpi"], "municipality": row["municipality_id"], "period": int(row["year"]),
              "values": [{"gender": row["gender"], "count": int(row["count"]),
                          "status": row["status"], "value": row["value"]}]}
             for row in rows]
    pages = []
    for start in range(0, len(items), per_page):
        page = items[start:start + per_page]
        pages.append({"count": len(page), "values": page,
                      "next_page": None if start + per_page >= len(items) else "https://api.kolada.se/v2/…"})
    # The values are written exactly as the CSV has them (number text, not re-formatted).
    text = json.dumps(pages, ensure_ascii=False)
    for item in items:
        raw = item["values"][0]["value"]
        item["values"][0]["value"] = None if raw in ("", "NA") else float(raw)
    text = re.sub(r'"value": "([^"]*)"',
                  lambda m: '"value": ' + (m.group(1) if m.group(1) not in ("", "NA") else "null"),
                  text)
    return text, items


def test_kolada_values_exactly(ctx):
    text, items = kolada_pages(ctx, 50)
    path = os.path.join(ctx.work, "kolada.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    out = ctx.ok("import", "stats", "--db", ctx.db, "--format", "kolada", path)
    assert counts(out) == (len(items), 0, 0), out
    stored = {(kpi, area, period): value for kpi, area, period, value in ctx.query(
        "SELECT i.code, a.code, o.period, o.value FROM observation o JOIN indicator i ON "
        "i.id = o.indicator_id JOIN area a ON a.id = o.area_id WHERE i.source = 'kolada' AND "
        "o.breakdown_id = 0")}
    for item in items:
        key = (item["kpi"], item["municipality"], (item["period"] * 12 + 11) * 1000 + 12)
        if stored.get(key) != item["values"][0]["value"]:
            raise Failure(f"{key}: stored {stored.get(key)!r}, file {item['values'][0]['value']!r}")
    out = ctx.ok("import", "stats", "--db", ctx.db, "--format", "kolada", path)
    assert counts(out) == (0, 0, len(items)), out
    # The definition from the catalogue is kept, not replaced by the data's bare code.
    title = ctx.query("SELECT title FROM indicator WHERE code = 'N00945'")[0][0]
    if title == "N00945":
        raise Failure("the catalogue's title was overwritten")
    broken = os.path.join(ctx.work, "broken.json")
    with open(broken, "w", encoding="utf-8") as f:
        f.write(text[: len(text) // 2])
    ctx.refused("broken.json", "import", "stats", "--db", ctx.db, "--format", "kolada", broken)


def test_csv_and_disclosure(ctx):
    path = os.path.join(ctx.work, "rok.csv")
    with open(path, "w", encoding="utf-8-sig") as f:
        f.write("Indikator;Område;Period;Kön;Värde;Täljare;Nämnare\n"
                "E2E_ROK;2480;2024;;5,5;66;1200\n"
                "E2E_ROK;2480;2024;Kvinnor;0,5;3;600\n"
                "E2E_ROK;2480;2024;Män;10,5;63;600\n")
    out = ctx.ok("import", "stats", "--db", ctx.db, "--format", "csv", path)
    assert re.search(r"\(0 missing, 2 suppressed\)", out), out
    out = ctx.ok("disclosure", "--db", ctx.db)
    assert "fewer than 5" in out, out
    out = ctx.ok("disclosure", "--db", ctx.db, "--min-count", "3")
    assert "2 observations changed status" in out, out
    out = ctx.ok("disclosure", "--db", ctx.db, "--min-count", "5")
    assert "2 observations changed status" in out, out
    bad = os.path.join(ctx.work, "bad.csv")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("indicator;area;period;value\nE2E_ROK;2480;2025;1,5\nE2E_ROK;2480;förra året;2\n")
    ctx.refused(r"bad\.csv:3:3", "import", "stats", "--db", ctx.db, "--format", "csv", bad)
    if ctx.query("SELECT count(*) FROM observation o JOIN indicator i ON i.id = o.indicator_id "
                 "WHERE i.code = 'E2E_ROK'")[0][0] != 3:
        raise Failure("a refused CSV stored its good line")
    code, out, err = ctx.run("import", "stats", "--db", ctx.db, "--format", "xml", path)
    if code != 2 or "kolada, jsonstat, px, csv, auto" not in err:
        raise Failure(f"an unknown format should exit 2 naming the formats: {code} {err}")


def test_synth(ctx):
    out_dir = os.path.join(ctx.work, "synth")
    out = ctx.ok("synth", "--db", ctx.db, "-o", out_dir, "--municipalities", "3",
                 "--indicators", "11", "--years", "2")
    files = glob.glob(os.path.join(out_dir, "kolada", "*.json"))
    tables = glob.glob(os.path.join(out_dir, "jsonstat", "*.json"))
    if not files or not tables:
        raise Failure(f"synth wrote no files: {out}")
    kolada = ctx.ok("import", "stats", "--db", ctx.db, "--format", "kolada", *files)
    jsonstat = ctx.ok("import", "stats", "--db", ctx.db, "--format", "jsonstat", "--mapping",
                      os.path.join(out_dir, "jsonstat_mapping.json"), *tables)
    written = int(re.search(r"(\d+) observations", out).group(1))
    if counts(kolada)[0] + counts(jsonstat)[0] != written:
        raise Failure(f"synth says {written} observations; imported {kolada} {jsonstat}")


TESTS = [test_registry, test_tab6471_matches_the_snapshot, test_every_pxweb_file,
         test_unknown_areas_are_listed_and_nothing_is_stored, test_kolada_values_exactly,
         test_csv_and_disclosure, test_synth, test_geometries]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    passed = failed = 0
    with tempfile.TemporaryDirectory() as work:
        ctx = Context(os.path.abspath(args.binary), work)
        for test in TESTS:
            try:
                test(ctx)
                passed += 1
                print(f"ok   {test.__name__}")
            except (Failure, AssertionError) as failure:
                failed += 1
                print(f"FAIL {test.__name__}: {failure}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
