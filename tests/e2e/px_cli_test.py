#!/usr/bin/python3
"""PX files (PC-Axis) through the real binary (docs/px.md): SCB's TAB2017 (290 municipalities)
and TAB005 (English and Swedish) imported into a database holding the area registry
(data/national/municipalities.csv), stored values compared exactly with the DATA that Python
reads from the files itself; re-imports and the other language that change nothing; `--format
auto`; a keyed file (KEYS) of half-years; and bad files (a codepage that does not match the bytes, DATA with a cell too many, VALUES
shorter than CODES, a language the file lacks) refused with FILE:LINE:COLUMN, exit 1 and nothing
stored, while an unknown keyword is only a note.

    /usr/bin/python3 tests/e2e/px_cli_test.py --binary build/debug/halsonav --source-dir .

Ends with the line `N passed, M failed`; the exit status is non-zero on any failure.
"""

import argparse
import json
import os
import re
import sys
import tempfile

from command_support import CommandContext, Failure



class Context(CommandContext):
    def __init__(self, binary, source, work):
        super().__init__(binary, os.path.join(work, "px.db"))
        self.source = source
        self.work = work

    def state(self):
        return self.observation_count()

    def px(self, name):
        return os.path.join(self.source, "tests", "data", "px", name)

    def write(self, name, data):
        path = os.path.join(self.work, name)
        with open(path, "wb") as f:
            f.write(data)
        return path


    def observation_count(self):
        return self.query("SELECT count(*) FROM observation")[0][0]


def counts(out):
    found = re.search(r"(\d+) new, (\d+) changed, (\d+) unchanged observations \((\d+) missing",
                      out)
    if not found:
        raise Failure(f"no counts in: {out}")
    return tuple(int(n) for n in found.groups())


def year_key(year):
    """The store's PeriodKey of a year (core/statistics.hpp)."""
    return (year * 12 + 11) * 1000 + 12


def px_keyword(text, name):
    """The quoted items of the keyword `name` (e.g. 'CODES("region")') in a PX text."""
    start = text.index("\n" + name + "=") + len(name) + 2
    end = text.index(";", start)
    return re.findall(r'"([^"]*)"', text[start:end])


def px_data(text):
    """DATA's cells as Python reads them: floats, None for a dot code."""
    tokens = text[text.index("DATA=") + 5:].replace(";", " ").split()
    return [None if token.strip('"').strip(".") == "" else float(token.strip('"'))
            for token in tokens]


def stored(ctx, indicator, area, key=""):
    return ctx.query(
        "SELECT o.period, o.value, o.status FROM observation o "
        "JOIN indicator i ON i.id = o.indicator_id JOIN area a ON a.id = o.area_id "
        "JOIN breakdown b ON b.id = o.breakdown_id "
        "WHERE i.code = ? AND a.code = ? AND b.key = ? ORDER BY o.period", indicator, area, key)


def test_registry(ctx):
    ctx.ok("init", "--db", ctx.db)
    ctx.ok("import", "areas", os.path.join(ctx.source, "data", "national", "municipalities.csv"),
           "--db", ctx.db)
    if ctx.query("SELECT count(*) FROM area WHERE kind = 'municipality'") != [(290,)]:
        raise Failure("the registry should hold 290 municipalities")


def test_tab2017_municipal_taxes(ctx):
    path = ctx.px("scb__TAB2017_kommunalskatter.px")
    with open(path, encoding="cp1252") as f:
        text = f.read()
    codes = px_keyword(text, 'CODES("region")')
    contents = px_keyword(text, 'CODES("tabellinnehåll")')
    cells = px_data(text)
    assert len(codes) == 290 and len(contents) == 3 and len(cells) == 870
    out = ctx.ok("import", "stats", "--db", ctx.db, "--format", "px", "--no-progress", path)
    if counts(out)[:3] != (870, 0, 0):
        raise Failure(f"TAB2017: {out}")
    indicators = ctx.query("SELECT code, unit, title FROM indicator WHERE code LIKE 'TAB2017.%' "
                           "ORDER BY code")
    if [row[0] for row in indicators] != [f"TAB2017.{code}" for code in contents]:
        raise Failure(f"TAB2017's indicators: {indicators}")
    if any(row[1] != "procent" for row in indicators):
        raise Failure(f"TAB2017's units: {indicators}")
    if indicators[0][2] != "Kommunalskatter efter region och år: Skattesats, total kommunal":
        raise Failure(f"TAB2017's title: {indicators[0][2]}")
    # SHOWDECIMALS=2: each indicator keeps the decimals its values are shown with.
    decimals = ctx.query("SELECT DISTINCT decimals FROM indicator WHERE code LIKE 'TAB2017.%'")
    if decimals != [(2,)]:
        raise Failure(f"TAB2017's decimals: {decimals}")
    # Every municipality's three rates, exactly as DATA has them (the last HEADING variable,
    # the contents, varies fastest).
    for region_idx, code in enumerate(codes):
        for content_idx, content in enumerate(contents):
            want = cells[region_idx * 3 + content_idx]
            got = stored(ctx, f"TAB2017.{content}", code)
            if got != [(year_key(2026), want, 0)]:
                raise Failure(f"TAB2017 {code} {content}: stored {got}, the file has {want}")
    out = ctx.ok("import", "stats", "--db", ctx.db, "--format", "px", "--no-progress", path)
    if counts(out)[:3] != (0, 0, 870):
        raise Failure(f"TAB2017 again should change nothing: {out}")
    # The file's NOTEX and VALUENOTEX are kept with the import.
    report = json.loads(ctx.query("SELECT report FROM stats_import ORDER BY id DESC LIMIT 1")[0][0])
    notes = report["files"][0].get("notes", [])
    if not any(note["message"].startswith("NOTE: Korrigering") for note in notes):
        raise Failure(f"TAB2017's notes: {notes}")


def test_tab005_in_two_languages(ctx):
    path = ctx.px("scb__TAB005_land_use_en_sv.px")
    with open(path, encoding="latin-1") as f:
        text = f.read()
    regions = px_keyword(text, 'CODES("region")')
    classes = px_keyword(text, 'CODES("land use")')
    cells = px_data(text)
    assert len(regions) == 291 and len(classes) == 11 and len(cells) == 6402
    missing = sum(1 for cell in cells if cell is None)
    out = ctx.ok("import", "stats", "--db", ctx.db, "--format", "auto", "--no-progress", path)
    new, changed, unchanged, missing_out = counts(out)
    # The class "total land area" is the total: it leaves the breakdown, one observation each.
    if new != 6402 or missing_out != missing:
        raise Failure(f"TAB005: {out} (the file has {missing} dot codes)")
    # Umeå's arable land, 2010 and 2015; Riket ("00") as 0000.
    region_idx, class_idx = regions.index("2480"), classes.index("11")
    first = (region_idx * 11 + class_idx) * 2
    want = [(year_key(2010), cells[first], 0), (year_key(2015), cells[first + 1], 0)]
    got = stored(ctx, "TAB005.Landuse", "2480", '{"landuseclass":"11"}')
    if got != want:
        raise Failure(f"TAB005 Umeå arable land: stored {got}, the file has {want}")
    if not stored(ctx, "TAB005.Landuse", "0000", '{"landuseclass":"11"}'):
        raise Failure("TAB005: Sweden (00) should be stored as Riket (0000)")
    out = ctx.ok("import", "stats", "--db", ctx.db, "--format", "px", "--language", "sv",
                 "--no-progress", path)
    if counts(out)[:3] != (0, 0, 6402):
        raise Failure(f"TAB005 in Swedish should be the same observations: {out}")


def test_bad_files_store_nothing(ctx):
    header = ('CHARSET="ANSI";\nMATRIX="BAD";\nSTUB="region";\nHEADING="år";\n'
              'VALUES("region")="Umeå","Luleå";\nCODES("region")="2480","2580";\n'
              'VALUES("år")="2022";\nTIMEVAL("år")=TLIST(A1),"2022";\n')
    mismatch = ctx.write("mismatch.px", ('CODEPAGE="UTF-8";\n' + header + "DATA=\n1 2;\n")
                         .encode("cp1252"))
    ctx.refused(r"mismatch\.px:5:10: byte 0xE5 is no character in UTF-8", "import", "stats",
                "--db", ctx.db, "--format", "px", mismatch)
    extra = ctx.write("extra.px", (header + "DATA=\n1 2\n3;\n").encode("utf-8"))
    ctx.refused(r"extra\.px:11:1: DATA holds 3 cells, 1 more than the variables give", "import",
                "stats", "--db", ctx.db, "--format", "px", extra)
    short = ctx.write("short.px", header.replace('"Umeå","Luleå"', '"Umeå"')
                      .encode("utf-8") + b"DATA=\n1 2;\n")
    ctx.refused(r'short\.px:5:1: VALUES\("region"\) has 1 values but CODES\("region"\) has 2',
                "import", "stats", "--db", ctx.db, "--format", "auto", short)
    ctx.refused(r'TAB005_land_use_en_sv\.px:\d+:\d+: the file has no texts in the language "de"',
                "import", "stats", "--db", ctx.db, "--format", "px", "--language", "de",
                ctx.px("scb__TAB005_land_use_en_sv.px"))
    ctx.refused(r"a language is read only with the px format", "import", "stats", "--db", ctx.db,
                "--format", "csv", "--language", "en", extra)
    code, _, err = ctx.run("import", "stats", "--db", ctx.db, "--format", "pcaxis", extra)
    if code != 2 or "kolada, jsonstat, px, csv, auto" not in err:
        raise Failure(f"an unknown format should exit 2 naming px: {code} {err}")
    # An unknown keyword is a note, not an error.
    unknown = ctx.write("unknown.px", (header + 'SHOE-SIZE="42";\nDATA=\n1.5 2.5;\n')
                        .encode("utf-8"))
    out = ctx.ok("import", "stats", "--db", ctx.db, "--format", "px", "--no-progress", unknown)
    if counts(out)[:3] != (2, 0, 0) or stored(ctx, "BAD", "2580") != [(year_key(2022), 2.5, 0)]:
        raise Failure(f"the file with an unknown keyword: {out}")


def half_year_key(year, half):
    """The store's PeriodKey of a half-year (2022H1: January–June)."""
    return (year * 12 + half * 6 - 1) * 1000 + 6


def test_keyed_half_years(ctx):
    """KEYS (rows of keys, rows of zeros left out) over TLIST(H1) half-years."""
    header = ('CHARSET="ANSI";\nMATRIX="KEYED";\nSTUB="region","kön";\nHEADING="halvår";\n'
              'VALUES("region")="Umeå","Luleå";\nCODES("region")="2480","2580";\n'
              'VALUES("kön")="män","kvinnor";\nVALUES("halvår")="2022H1","2022H2";\n'
              'TIMEVAL("halvår")=TLIST(H1),"20221","20222";\n'
              'KEYS("region")=CODES;\nKEYS("kön")=VALUES;\nDATA=\n')
    bad = ctx.write("keyed_bad.px", (header + '"2480","män" 1 2\n"2480","men" 3 4;\n')
                    .encode("cp1252"))
    ctx.refused(r'keyed_bad\.px:14:9: the key "men" is none of the VALUES of "kön"', "import",
                "stats", "--db", ctx.db, "--format", "px", bad)
    good = ctx.write("keyed.px", (header + '"2580","kvinnor" 3 4\n"2480","män" 1 2;\n')
                     .encode("cp1252"))
    out = ctx.ok("import", "stats", "--db", ctx.db, "--format", "auto", "--no-progress", good)
    if counts(out)[:3] != (8, 0, 0):
        raise Failure(f"the keyed file: {out}")
    h1, h2 = half_year_key(2022, 1), half_year_key(2022, 2)
    want = {("2480", '{"sex":"men"}'): [(h1, 1.0, 0), (h2, 2.0, 0)],
            ("2480", '{"sex":"women"}'): [(h1, 0.0, 0), (h2, 0.0, 0)],  # a row left out
            ("2580", '{"sex":"women"}'): [(h1, 3.0, 0), (h2, 4.0, 0)]}
    for (area, key), rows in want.items():
        got = stored(ctx, "KEYED", area, key)
        if got != rows:
            raise Failure(f"KEYED {area} {key}: stored {got}, want {rows}")


TESTS = [test_registry, test_tab2017_municipal_taxes, test_tab005_in_two_languages,
         test_bad_files_store_nothing, test_keyed_half_years]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--source-dir", required=True)
    args = parser.parse_args()
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="halsonav-px-") as work:
        ctx = Context(os.path.abspath(args.binary), os.path.abspath(args.source_dir), work)
        for test in TESTS:
            try:
                test(ctx)
                passed += 1
                print(f"ok   {test.__name__}")
            except (Failure, AssertionError) as error:
                failed += 1
                print(f"FAIL {test.__name__}: {error}")
                if test is test_registry:
                    break
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
