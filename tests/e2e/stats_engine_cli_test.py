#!/usr/bin/python3
"""`halsonav stats MEASURE --input FILE.csv` against the real binary: the published reference
inputs of tests/data/reference give the published values (read from the same files, never
from Hälsonav's output), and bad input gets a clear message per set, the right exit status, and
never a silent null.

    /usr/bin/python3 tests/e2e/stats_engine_cli_test.py --binary build/debug/halsonav

Ends with the line `N passed, M failed`; the exit status is non-zero on any failure.
"""

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile

TIMEOUT_S = 120
REPOSITORY = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


class Failure(Exception):
    pass


class Context:
    def __init__(self, binary, work):
        self.binary = binary
        self.reference = os.path.join(REPOSITORY, "tests", "data", "reference")
        self.work = work

    def run(self, *args):
        process = subprocess.run([self.binary, "stats", *args], capture_output=True,
                                 timeout=TIMEOUT_S, stdin=subprocess.DEVNULL)
        return process.returncode, process.stdout.decode(), process.stderr.decode()

    def stats(self, *args, status=0):
        code, out, err = self.run(*args)
        if code != status:
            raise Failure(f"stats {' '.join(args)}: exit {code}, expected {status}\n{err}\n{out[:600]}")
        return json.loads(out) if out.strip() else None, err

    def file(self, name, text):
        path = os.path.join(self.work, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path

    def phe(self, name):
        return os.path.join(self.reference, "phe", name)

    def who(self, name):
        return os.path.join(self.reference, "who", name)


def close(actual, expected, rel, what):
    if actual is None or abs(actual - expected) > rel * abs(expected):
        raise Failure(f"{what}: {actual} differs from the published {expected} (relative {rel})")


def rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# ---- published values through the command ----------------------------------------------------


def test_list(ctx):
    code, out, err = ctx.run("list")
    if code != 0:
        raise Failure(f"stats list: exit {code}: {err}")
    for measure in ("proportion", "rate", "dsr", "isratio", "life_expectancy", "bgv", "sii",
                    "sii_phe", "recent_trend", "progress", "change", "compare"):
        if f"\n{measure} " not in "\n" + out:
            raise Failure(f"stats list lacks {measure}")


def test_dsr_reproduces_phe(ctx):
    data, _ = ctx.stats("dsr", "--input", ctx.phe("testdata_DSR_ISR__testdata_multiarea.csv"),
                        "--multiplier", "10000", "--by", "area")
    expected = {row["area"]: row for row in rows(ctx.phe("testdata_DSR_ISR__testresults_DSR.csv"))[:3]}
    for result in data["results"]:
        want = expected[result["group"]["area"]]
        if want["value"] == "":
            if result["estimate"] is not None or not result["note"]:
                raise Failure(f"{result['group']}: fewer than 10 events must give no value and a note")
            continue
        for ours, theirs in (("estimate", "value"), ("lower", "lower95_0cl"), ("upper", "upper95_0cl")):
            close(result[ours], float(want[theirs]), 1e-8, f"dsr {result['group']} {ours}")


def test_life_expectancy_reproduces_phe(ctx):
    path = ctx.phe("LE_reference_df1_from_testLifeExpectancy.csv")
    data, _ = ctx.stats("life_expectancy", "--input", path)
    bands = data["results"][0]["bands"]
    for band, want in zip(bands, rows(path)):
        close(band["estimate"], float(want["value"]), 1e-6, f"life expectancy at {want['startage']}")
        close(band["lower"], float(want["lowercl95"]), 1e-5, f"lower limit at {want['startage']}")


def test_who_measures_reproduce_healthequal(ctx):
    for row in rows(ctx.who("expected_values.csv")):
        measure = row["function"]
        data, _ = ctx.stats(measure, "--input", ctx.who(row["input_file"]))
        result = data["results"][0]
        tolerance = float(row["testthat_tolerance_relative"])
        close(result["estimate"], float(row["expected_estimate"]), tolerance, f"{measure} estimate")


def test_proportion_sums_a_set(ctx):
    # PHE's grouped output: the rows of an area are summed first.
    data, _ = ctx.stats("proportion", "--input", ctx.phe("testdata_Proportion__testdata_Prop.csv"),
                        "--by", "Area", status=1)
    expected = {row["Area"]: row for row in rows(ctx.phe("testdata_Proportion__testdata_Prop_g.csv"))}
    checked = 0
    for result in data["results"]:
        want = expected[result["group"]["Area"]]
        if want["value"] in ("", "NA"):
            continue
        close(result["estimate"], float(want["value"]), 1e-9, f"proportion {result['group']}")
        close(result["lower"], float(want["lowercl"]), 1e-8, f"proportion {result['group']} lower")
        checked += 1
    if checked < 5:
        raise Failure(f"only {checked} grouped proportions compared")
    # Areas 9–11 lack a numerator or denominator: each is an error that names its line.
    missing = [error for error in data["errors"] if "is empty" in error["message"]]
    if len(missing) < 2:
        raise Failure(f"the areas with NA counts must be errors, got {data['errors']}")


# ---- bad input: an error per set, never a silent null -------------------------------------------


def test_bad_counts_are_errors_per_set(ctx):
    path = ctx.file("counts.csv", "area,numerator,denominator\n"
                    "A,5,100\nB,-3,100\nC,12,10\nD,4,0\nE,7,50\n")
    data, err = ctx.stats("proportion", "--input", path, status=1)
    good = sorted(result["group"]["area"] for result in data["results"])
    if good != ["A", "E"]:
        raise Failure(f"only A and E compute, got {good}")
    messages = {error["group"]["area"]: error["message"] for error in data["errors"]}
    for area, words in (("B", "negative"), ("C", "larger than"), ("D", "0")):
        if area not in messages or words not in messages[area]:
            raise Failure(f"area {area}: expected a message with '{words}', got {messages.get(area)}")
    if "B" not in err or "lines" not in err:
        raise Failure(f"stderr names each failed set and its lines: {err}")
    for result in data["results"]:
        if any(result[key] is None for key in ("estimate", "lower", "upper")):
            raise Failure(f"a computed set has a null figure: {result}")


def test_too_few_groups_and_missing_population(ctx):
    path = ctx.file("groups.csv", "set,subgroup,pop,est,se\n"
                    "one,a,100,50,2\n"
                    "two,a,100,50,2\ntwo,b,,60,3\ntwo,c,100,55,3\n"
                    "three,a,100,50,2\nthree,b,200,60,3\nthree,c,100,55,3\n")
    data, _ = ctx.stats("bgv", "--input", path, status=1)
    messages = {error["group"]["set"]: error["message"] for error in data["errors"]}
    if "one" not in messages or "at least" not in messages["one"]:
        raise Failure(f"one group is too few: {messages}")
    if "two" not in messages or "population" not in messages["two"]:
        raise Failure(f"a missing population is an error: {messages}")
    if [result["group"]["set"] for result in data["results"]] != ["three"]:
        raise Failure(f"set three computes: {data['results']}")


def test_ordered_measure_on_unordered_dimension(ctx):
    path = ctx.file("regions.csv", "subgroup,pop,est,se,ordered_dimension\n"
                    "north,100,50,2,0\nsouth,200,60,3,0\neast,150,55,2,0\n")
    data, _ = ctx.stats("sii", "--input", path, status=1)
    if not data["errors"] or "order" not in data["errors"][0]["message"]:
        raise Failure(f"SII needs an ordered dimension: {data['errors']}")


def test_not_a_number_names_its_cell(ctx):
    path = ctx.file("cells.csv", "area,numerator,denominator\nA,5,100\nB,five,100\n")
    data, _ = ctx.stats("rate", "--input", path, status=1)
    message = data["errors"][0]["message"]
    if "cells.csv:3:2" not in json.dumps(data["errors"]) and "cells.csv:3:2" not in message:
        raise Failure(f"the cell is named FILE:LINE:COLUMN: {data['errors']}")


def test_missing_column_fails_the_file(ctx):
    path = ctx.file("nocolumn.csv", "area,numerator\nA,5\n")
    code, out, err = ctx.run("proportion", "--input", path)
    if code != 1 or out.strip() or "denominator" not in err:
        raise Failure(f"a missing column: exit {code}, stderr {err!r}, stdout {out[:200]!r}")


def test_unknown_measure_and_bad_usage(ctx):
    path = ctx.file("any.csv", "a,b\n1,2\n")
    code, _, err = ctx.run("gini", "--input", path)
    if code != 2 or "unknown measure" not in err:
        raise Failure(f"an unknown measure: exit {code}: {err}")
    code, _, err = ctx.run("bgv")
    if code != 2 or "--input" not in err:
        raise Failure(f"no --input: exit {code}: {err}")
    code, _, err = ctx.run("bgv", "--input", path, "--conf", "1.5")
    if code != 1 or "confidence" not in err:
        raise Failure(f"a bad level: exit {code}: {err}")
    code, _, err = ctx.run("bgv", "--input", os.path.join(ctx.work, "absent.csv"))
    if code != 1 or "absent.csv" not in err:
        raise Failure(f"a missing file: exit {code}: {err}")


def test_change_and_goal(ctx):
    # Two indicators from a baseline to a follow-up: both improved beyond their uncertainty.
    path = ctx.file("change.csv", "indicator,year,value,lower,upper,direction\n"
                    "a,2018,40,38,42,higher\na,2024,50,48,52,higher\n"
                    "b,2018,20,19,21,lower\nb,2024,15,14,16,lower\n")
    data, _ = ctx.stats("change", "--input", path)
    outcomes = [result["outcome"] for result in data["results"]]
    if outcomes != ["significant_improvement", "significant_improvement"]:
        raise Failure(f"both improved significantly: {outcomes}")
    if data["goal"]["outcome"] != "met_significantly":
        raise Failure(f"the goal is met: {data['goal']}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    tests = [value for name, value in sorted(globals().items()) if name.startswith("test_")]
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="halsonav-stats-engine-") as work:
        ctx = Context(os.path.abspath(args.binary), work)
        for test in tests:
            try:
                test(ctx)
                passed += 1
                print(f"ok   {test.__name__}")
            except (Failure, KeyError, IndexError, TypeError, ValueError) as error:
                failed += 1
                print(f"FAIL {test.__name__}: {type(error).__name__}: {error}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
