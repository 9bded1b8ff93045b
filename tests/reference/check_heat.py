#!/usr/bin/python3
"""HEAT inequality measures checked twice: numpy against published values, C++ against numpy.

Usage: check_heat.py [PATH/TO/halsonav]

(a) The independent numpy implementation (heat_numpy.py) reproduces the published reference values
    read in place from tests/data/reference ($HALSONAV_TEST_DATA/reference if set): every row of who/expected_values.csv (healthequal's tests, within their stated
    relative tolerance), phe_sii's SII, RII and intercept point estimates of every block of
    phe/testdata_SII__testdata_SII.csv (1e-12), and phe_sii's Monte Carlo limits of the
    untransformed blocks (10,000 draws, relative 0.05, as PHE's own tests).
(b) With the program path, `halsonav stats MEASURE --input FILE.csv --by set` is compared with numpy
    for every measure on the WHO input files and on 200 random sets (fixed seed; 2..12 groups;
    ordered and non-ordered, favourable and adverse, with and without a reference subgroup, some
    with standard errors absent), at 95 % and at 99 %: estimate and SE within relative 1e-9
    (1e-6 for the iterative SII/RII), the analytic interval bounds too (relative to the larger of
    the bound and the estimate); a set one side computes and the other refuses is a mismatch.
    SEs and intervals are compared in Hälsonav's convention (SE_ON_VALUE_SCALE below).

Every mismatch prints the measure, the set, both values and the relative error; the exit status is
1 when anything differs. Debian's python3 with python3-numpy; nothing else.
"""

from __future__ import annotations

import collections
import concurrent.futures
import csv
import json
import math
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import heat_numpy as heat  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TEST_DATA = os.environ.get("HALSONAV_TEST_DATA", os.path.join(HERE, "..", "data"))
WHO = os.path.join(TEST_DATA, "reference", "who")
PHE = os.path.join(TEST_DATA, "reference", "phe")

# Hälsonav reports every SE on its value's scale and every interval as value -+ z*se
# (docs/METHODS.md); healthequal does not for SII, TI, MLD and PAF. Part (a) checks numpy's
# healthequal figures against the published ones; part (b) compares the C++ output with numpy's
# figures converted to Hälsonav's convention.
SE_ON_VALUE_SCALE = True
TOLERANCE = 1e-9
TOLERANCE_ITERATIVE = 1e-6
SEED = 20240611
RANDOM_SETS = 200

failures: list[str] = []
checks = collections.Counter()


def fail(message: str) -> None:
    failures.append(message)
    print("MISMATCH " + message)


def relative_error(a: float, b: float, floor: float = 0.0) -> float:
    """|a - b| relative to the larger magnitude (and `floor`); 0 if equal, inf for NaN vs number."""
    if (math.isnan(a) and math.isnan(b)) or a == b:
        return 0.0
    if math.isnan(a) or math.isnan(b):
        return math.inf
    return abs(a - b) / max(abs(a), abs(b), floor)


def close(expected: float, actual: float, tolerance: float, floor: float = 0.0) -> bool:
    return relative_error(expected, actual, floor) <= tolerance


def number(text: str) -> float:
    text = (text or "").strip()
    return math.nan if text in ("", "NA", "null") else float(text)


# ---------------------------------------------------------------------------------------------
# Input files: the WHO reference inputs and the random sets, in the shape `halsonav stats` reads.


Group = collections.namedtuple(
    "Group", "set subgroup order pop est se reference ordered favourable scale setting_average")


def read_rows(path: str) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def who_groups() -> dict[str, list[Group]]:
    """The WHO input files as groups, one set per file (named after the file)."""
    files = {}
    for name in ("inputs_ordered_5groups_seed123.csv", "inputs_nonordered_25groups_seed123.csv",
                 "data_OrderedSample.csv", "data_NonorderedSample.csv"):
        rows = read_rows(os.path.join(WHO, name))
        groups = []
        for index, row in enumerate(rows):
            get = lambda *keys: next((row[k] for k in keys if k in row), "")  # noqa: E731
            groups.append(Group(
                set=name.removesuffix(".csv"), subgroup=get("subgroup") or str(index + 1),
                order=int(number(get("subgroup_order") or str(index + 1))),
                pop=number(get("pop", "population")), est=number(get("est", "estimate")),
                se=number(get("se")), reference=int(number(get("reference_subgroup") or "0")),
                ordered=int(number(get("ordered_dimension"))),
                favourable=int(number(get("favourable_indicator"))),
                scale=number(get("scaleval", "indicator_scale")),
                setting_average=number(get("setting_average"))))
        files[name.removesuffix(".csv")] = groups
    return files


def random_groups(rng: np.random.Generator, count: int) -> list[Group]:
    """Deterministic random sets: 2..12 groups, ordered and not, favourable and adverse, scales
    1, 100 and 1000, integer and fractional populations, a reference subgroup in some, standard
    errors absent in a few (whole set or one group). Rows of an ordered set are shuffled so the
    reader has to sort by subgroup_order."""
    groups = []
    for set_index in range(count):
        size = int(rng.integers(2, 13))
        ordered = int(rng.random() < 0.5)
        favourable = int(rng.random() < 0.5)
        scale = float(rng.choice([1.0, 100.0, 100.0, 100.0, 1000.0]))
        pop = rng.uniform(30.0, 5000.0, size)
        if rng.random() < 0.5:
            pop = np.round(pop)
        low, high = (0.02, 0.98) if scale != 1000.0 else (0.12, 0.98)
        est = rng.uniform(low, high, size) * scale
        if scale == 100.0:
            est = np.maximum(est, 1.5)  # keeps healthequal's automatic scale at 100
        se = rng.uniform(0.002, 0.05, size) * scale
        draw = rng.random()
        if draw < 0.06:
            se[:] = np.nan
        elif draw < 0.10:
            se[rng.integers(size)] = np.nan
        reference = -1
        if (not ordered and rng.random() < 0.6) or (ordered and rng.random() < 0.15):
            reference = int(rng.integers(size))
        rows = list(range(size))
        if ordered:
            rng.shuffle(rows)
        for g in rows:
            groups.append(Group(
                set=str(set_index + 1), subgroup=f"group {g + 1}", order=g + 1, pop=float(pop[g]),
                est=float(est[g]), se=float(se[g]), reference=int(g == reference),
                ordered=ordered, favourable=favourable, scale=scale,
                setting_average=math.nan))
    return groups


def cell(value: float) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return str(value)


def write_csv(path: str, groups: list[Group], english: bool = False) -> None:
    """The contract's CSV: WHO's column names, or the English aliases when `english`."""
    with_average = any(not math.isnan(g.setting_average) for g in groups)
    names = ["set", "subgroup", "subgroup_order",
             "population" if english else "pop", "estimate" if english else "est", "se",
             "reference_subgroup", "ordered_dimension", "favourable_indicator",
             "indicator_scale" if english else "scaleval"]
    if with_average:
        names.append("setting_average")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(names)
        for g in groups:
            row = [g.set, g.subgroup, g.order, g.pop, g.est, g.se, g.reference, g.ordered,
                   g.favourable, g.scale]
            if with_average:
                row.append(g.setting_average)
            out.writerow([cell(v) for v in row])


def numpy_results(measure: str, groups: list[Group], conf: float,
                  se_on_value_scale: bool = False) -> dict[str, tuple]:
    """{set: (value, se, lower, upper, error, term scale)} from heat_numpy, sets bucketed by
    size; the term scale is the floor of the estimate's relative error (heat.term_scale)."""
    by_set: dict[str, list[Group]] = collections.OrderedDict()
    for g in groups:
        by_set.setdefault(g.set, []).append(g)
    buckets: dict[int, list[str]] = collections.defaultdict(list)
    for name, members in by_set.items():
        buckets[len(members)].append(name)
    results = {}
    for names in buckets.values():
        members = [by_set[n] for n in names]
        column = lambda field: [[getattr(g, field) for g in m] for m in members]  # noqa: E731
        reference = [next((i for i, g in enumerate(m) if g.reference == 1), -1) for m in members]
        sets = heat.make_sets(
            column("pop"), column("est"), column("se"), column("order"),
            favourable=[m[0].favourable for m in members], scale=[m[0].scale for m in members],
            reference=reference, ordered=[m[0].ordered for m in members],
            setting_average=[m[0].setting_average for m in members])
        result = heat.compute(measure, sets, conf, se_on_value_scale)
        floor = heat.term_scale(measure, sets)
        for i, name in enumerate(names):
            results[name] = (result.value[i], result.se[i], result.lower[i], result.upper[i],
                             result.error[i], floor[i])
    return results


# ---------------------------------------------------------------------------------------------
# (a) numpy against the published values


def check_who_expected() -> None:
    files = who_groups()
    for row in read_rows(os.path.join(WHO, "expected_values.csv")):
        measure = {"covar": "cov"}.get(row["function"], row["function"])
        name = row["input_file"].removesuffix(".csv")
        tolerance = float(row["testthat_tolerance_relative"])
        value, se, lower, upper, error, _ = numpy_results(measure, files[name], 0.95)[name]
        where = f"who/expected_values.csv {measure} on {name}"
        checks["who"] += 1
        if error:
            fail(f"{where}: numpy refused the set: {error}")
            continue
        expected_value = float(row["expected_estimate"])
        expected_se = number(row["expected_se"])
        z = heat.z_value(0.95)
        pairs = [("estimate", expected_value, value)]
        if row["expected_se"].strip() == "NA":
            pairs.append(("se (absent)", math.nan, se))
        elif not math.isnan(expected_se):
            pairs.append(("se", expected_se, se))
        for label, text, actual in (("lower", row["expected_lowerci"], lower),
                                    ("upper", row["expected_upperci"], upper)):
            text = text.strip()
            if text.startswith("est"):  # written as a formula of the expected estimate and SE
                sign = -1.0 if "-" in text else 1.0
                pairs.append((label, expected_value + sign * z * expected_se, actual))
            elif text:
                pairs.append((label, float(text), actual))
        for label, expected, actual in pairs:
            if not close(expected, actual, tolerance):
                fail(f"{where} {label}: published {expected!r}, numpy {actual!r}, relative error "
                     f"{relative_error(expected, actual):.3g} > {tolerance:g}")


def phe_blocks():
    """The blocks of the PHE SII sheet that carry expected values: (description, area, rows)."""
    blocks = collections.OrderedDict()
    for row in read_rows(os.path.join(PHE, "testdata_SII__testdata_SII.csv")):
        blocks.setdefault((row["TestDescription"], row["Area"]), []).append(row)
    for (description, area), rows in blocks.items():
        if rows[0]["sii"]:
            yield description, area, rows


def phe_parameters(description: str, value_type: str):
    """The multiplier and transformation of a block, which the sheet states only in words."""
    match = re.search(r"\(x\s*(-?\d+)\)", description)
    if match:
        multiplier = float(match.group(1))
    elif "negative multip" in description:
        multiplier = -1.0
    else:
        multiplier = 1.0
    transform = {"1": "log", "2": "logit"}[value_type] if "transform" in description else None
    return multiplier, transform


def check_phe_sii() -> None:
    rng = np.random.default_rng(SEED)
    for description, area, rows in phe_blocks():
        multiplier, transform = phe_parameters(description, rows[0]["ValueType"])
        pop = [[float(r["Population"]) for r in rows]]
        value = [[float(r["Value"]) for r in rows]]
        sii, rii, intercept = heat.phe_sii_rii(pop, value, multiplier, transform)
        where = f"phe SII sheet, {description} ({area}, record {rows[0]['RecordNo']})"
        for label, expected, actual in (("sii", rows[0]["sii"], sii[0]),
                                        ("rii", rows[0]["rii"], rii[0]),
                                        ("intercept", rows[0]["Intercept"], intercept[0])):
            if not expected:
                continue
            checks["phe point"] += 1
            if not close(float(expected), actual, 1e-12):
                fail(f"{where} {label}: published {expected}, numpy {actual!r}, relative error "
                     f"{relative_error(float(expected), actual):.3g}")
        # The simulated limits: only untransformed normal values (value_type 0) are reproducible
        # from the sheet's columns; PHE's tests compare them with a relative tolerance of 0.05.
        if rows[0]["ValueType"] != "0":
            continue
        levels = [float(v) for v in re.findall(r"\d+(?:\.\d+)?", rows[0]["Confidence"])]
        se = [[float(r["StandardError"]) for r in rows]]
        for index, level in enumerate(levels, start=1):
            limits = heat.phe_sii_monte_carlo(pop, value, se, 10000, level, multiplier, rng)
            names = (f"sii_lowercl_{index}", f"sii_uppercl_{index}", f"rii_lowercl_{index}",
                     f"rii_uppercl_{index}")
            for name, actual in zip(names, limits):
                if not rows[0][name]:
                    continue
                checks["phe monte carlo"] += 1
                expected = float(rows[0][name])
                if not close(expected, actual[0], 0.05):
                    fail(f"{where} {name} at {level:g} %: published {expected!r}, numpy "
                         f"{actual[0]!r}, relative error "
                         f"{relative_error(expected, actual[0]):.3g} > 0.05")


# ---------------------------------------------------------------------------------------------
# (b) the C++ command against numpy


def run_cli(program: str, measure: str, path: str, conf: float) -> dict:
    command = [program, "stats", measure, "--input", path, "--by", "set", "--conf", repr(conf)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()}")
    try:
        answer = json.loads(done.stdout)
    except json.JSONDecodeError as error:
        raise RuntimeError(f"{' '.join(command)} printed no JSON ({error}): "
                           f"{done.stdout[:300]!r} {done.stderr[:300]!r}") from error
    has_errors = bool(answer.get("errors"))
    if (done.returncode == 1) != has_errors:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode} with "
                           f"{len(answer.get('errors', []))} failed sets")
    return answer


def as_float(value) -> float:
    return math.nan if value is None else float(value)


def compare_cli(answer: dict | RuntimeError, measure: str, groups: list[Group], conf: float,
                label: str) -> None:
    """Compares one answer of `halsonav stats` (or the reason there is none) with numpy."""
    if isinstance(answer, RuntimeError):
        fail(f"{measure} on {label}: {answer}")
        return
    if answer.get("measure") != measure or not close(conf, as_float(answer.get("confidence")),
                                                     1e-12):
        fail(f"{measure} on {label}: the answer names measure {answer.get('measure')!r} at "
             f"confidence {answer.get('confidence')!r}")
    cpp = {}
    for item in answer.get("results", []):
        cpp[str(item["group"].get("set"))] = item
    for item in answer.get("errors", []):
        cpp[str(item["group"].get("set"))] = item
    expected = numpy_results(measure, groups, conf, SE_ON_VALUE_SCALE)
    tolerance = TOLERANCE_ITERATIVE if measure in heat.ITERATIVE else TOLERANCE
    for name, (value, se, lower, upper, error, terms) in expected.items():
        where = f"{measure} on {label}, set {name} (conf {conf:g})"
        checks[f"cli {measure}"] += 1
        item = cpp.get(name)
        if item is None:
            fail(f"{where}: missing from the C++ answer")
            continue
        if "message" in item:
            if not error:
                fail(f"{where}: numpy {value!r} (se {se!r}), C++ refused: {item['message']}")
            else:
                checks["sets both refuse"] += 1
            continue
        if error:
            fail(f"{where}: numpy refused ({error}), C++ {item.get('estimate')!r}")
            continue
        fields = [("estimate", value, as_float(item.get("estimate")), terms),
                  ("se", se, as_float(item.get("se")), 0.0)]
        if measure not in heat.MONTE_CARLO_INTERVAL:
            floor = abs(value) if not math.isnan(value) else 0.0
            fields += [("lower", lower, as_float(item.get("lower")), floor),
                       ("upper", upper, as_float(item.get("upper")), floor)]
        for field, ours, theirs, floor in fields:
            if not close(ours, theirs, tolerance, floor):
                fail(f"{where} {field}: numpy {ours!r}, C++ {theirs!r}, relative error "
                     f"{relative_error(ours, theirs, floor):.3g} > {tolerance:g}")
    for name in cpp:
        if name not in expected:
            fail(f"{measure} on {label}: the C++ answer has an unknown set {name!r}")


def check_cli(program: str) -> None:
    with tempfile.TemporaryDirectory(prefix="halsonav-heat-") as work:
        inputs = []
        for index, (name, groups) in enumerate(who_groups().items()):
            path = os.path.join(work, f"{name}.csv")
            write_csv(path, groups, english=index % 2 == 1)
            inputs.append((path, groups, f"who/{name}"))
        groups = random_groups(np.random.default_rng(SEED), RANDOM_SETS)
        path = os.path.join(work, "random.csv")
        write_csv(path, groups)
        inputs.append((path, groups, f"{RANDOM_SETS} random sets"))
        jobs = [(measure, conf, path, groups, label) for measure in heat.MEASURES
                for conf in (0.95, 0.99) for path, groups, label in inputs]

        def answer(job):
            try:
                return run_cli(program, job[0], job[2], job[1])
            except RuntimeError as error:
                return error

        # The program runs are independent: one per core at a time; compared in order.
        workers = max(1, min(4, os.cpu_count() or 1))
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            for job, result in zip(jobs, pool.map(answer, jobs)):
                measure, conf, _, groups, label = job
                compare_cli(result, measure, groups, conf, label)


def main() -> int:
    if not os.path.isdir(WHO) or not os.path.isdir(PHE):
        print(f"check_heat: the reference data is missing under {TEST_DATA}", file=sys.stderr)
        return 1
    check_who_expected()
    check_phe_sii()
    if len(sys.argv) > 1:
        check_cli(sys.argv[1])
    summary = ", ".join(f"{key} {value}" for key, value in sorted(checks.items()))
    print(f"check_heat: {sum(checks.values())} checks ({summary}); "
          f"{len(failures)} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
