#!/usr/bin/python3
"""Independent numpy implementation of Fingertips' recent trend and Open SDG's progress measure.

Usage: trends_numpy.py STATS_TEST

Runs `STATS_TEST --gtest_filter=TrendsDump.Json` with TRENDS_DUMP set, which writes deterministic
series and the C++ results (src/stats/trends.cpp) to a JSON file. This script
  (a) rebuilds the same series from the same integer generator and checks that the C++ side used
      exactly these inputs,
  (b) recomputes every figure here, vectorised over all series, from the formulas of
      docs/METHODS.md ("Trends"), and compares: outcomes exactly, numbers to a relative 1e-9.
It shares no code with the C++ implementation. Exit status 0 when everything agrees.
"""

import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

SEED = 20240611
N_TREND_CASES = 240
N_PROGRESS_CASES = 240
POINTS = 5
Z95 = 1.959963984540054  # the two-sided standard normal quantile at 95 %
Z998 = 3.090232306167813  # ... at 99.8 %
DIRECTIONS = ["higher", "lower", "none"]


class Lcg:
    """The generator of the C++ test: Knuth's MMIX constants, the top 31 bits modulo a bound."""

    def __init__(self, seed):
        self.state = seed

    def next(self, bound):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % 2**64
        return (self.state >> 33) % bound


def build_inputs():
    """The series TrendsDump.Json builds, step for step."""
    lcg = Lcg(SEED)
    trends = []
    for case_idx in range(N_TREND_CASES):
        proportion = case_idx % 2 == 0
        n_points = 5 + lcg.next(3)
        year = 2000 + lcg.next(10)
        gap_after = 1 if lcg.next(4) == 0 else -1
        level = 50 + lcg.next(400)
        step = lcg.next(61) - 30
        points = []
        for point_idx in range(n_points):
            if proportion:
                denominator = 200 + lcg.next(5000)
                per_mille = level + step * point_idx + lcg.next(41) - 20
                numerator = denominator * min(max(per_mille, 1), 999) // 1000
                numerator = min(max(numerator, 1), denominator - 1)
                points.append({"year": year, "value": None, "lower": None, "upper": None,
                               "numerator": float(numerator), "denominator": float(denominator)})
            else:
                centi = 10 * level + step * point_idx + lcg.next(41) - 20
                below = 20 + lcg.next(200)
                above = below + lcg.next(30)
                points.append({"year": year, "value": centi / 100.0,
                               "lower": (centi - below) / 100.0, "upper": (centi + above) / 100.0,
                               "numerator": None, "denominator": None})
            year += 2 if point_idx == gap_after else 1
        trends.append({"method": "chi_square_for_trend" if proportion else "weighted_regression",
                       "direction": DIRECTIONS[case_idx % 3], "points": points})
    progress = []
    for case_idx in range(N_PROGRESS_CASES):
        direction = "higher" if case_idx % 2 == 0 else "lower"
        sign = -1 if lcg.next(6) == 0 else 1
        first_year = 2013 + lcg.next(4)
        n_years = 1 + lcg.next(8)
        series = [[first_year + idx, sign * (1 + lcg.next(1000)) / 10.0] for idx in range(n_years)]
        kind = lcg.next(3)
        target, target_year, limit = None, 2030, None
        if kind == 1:
            target = sign * (1 + lcg.next(1000)) / 10.0
            target_year = 2025 + lcg.next(10)
        elif kind == 2:
            limit = (1 + lcg.next(1000)) / 10.0
        progress.append({"direction": direction, "series": series, "base_year_option": 2015,
                         "target": target, "target_year": target_year, "limit": limit})
    return trends, progress


# ---- Fingertips' recent trend, all series at once ------------------------------------------------

def last_five(case, fields):
    points = sorted(case["points"], key=lambda point: point["year"])[-POINTS:]
    return [np.array([point[field] for point in points], dtype=float) for field in fields]


def line_slopes(t, y, w):
    """Weighted least-squares slopes of y on t, one per row, for the full rows (column 0) and
    with each of the five points left out (columns 1..5), and the full rows' standard errors."""
    keep = np.ones((POINTS + 1, POINTS))
    keep[np.arange(1, POINTS + 1), np.arange(POINTS)] = 0  # row k leaves out point k-1
    # Shapes: (cases, 1 + 5 variants, 5 points).
    w = w[:, None, :] * keep[None, :, :]
    t = t[:, None, :]
    y = y[:, None, :]
    s1 = w.sum(-1)
    swt = (w * t).sum(-1)
    swtt = (w * t * t).sum(-1)
    swy = (w * y).sum(-1)
    swty = (w * t * y).sum(-1)
    det = s1 * swtt - swt**2
    slopes = (s1 * swty - swt * swy) / det
    se = np.sqrt(s1[:, 0] / det[:, 0])
    return slopes, se


def expected_trends(cases):
    """Outcome, X², p, slope and stability for every case (all have five complete points)."""
    critical = Z998**2
    results = [None] * len(cases)
    for method in ("chi_square_for_trend", "weighted_regression"):
        idxs = [idx for idx, case in enumerate(cases) if case["method"] == method]
        if method == "chi_square_for_trend":
            rows = [last_five(cases[idx], ["year", "numerator", "denominator"]) for idx in idxs]
            years, x, n = (np.array(column) for column in zip(*rows))
            t = years - years[:, :1] + 1
            big_n, big_x = n.sum(1), x.sum(1)
            departure = big_n * (x * t).sum(1) - big_x * (n * t).sum(1)
            chi = big_n * departure**2 / (
                big_x * (big_n - big_x) * (big_n * (n * t * t).sum(1) - (n * t).sum(1) ** 2))
            slopes, _ = line_slopes(t, np.log(x / (n - x)), np.ones_like(x))
            increasing = departure > 0
            agree = increasing == (slopes[:, 0] > 0)
        else:
            rows = [last_five(cases[idx], ["year", "value", "lower", "upper"]) for idx in idxs]
            years, value, lower, upper = (np.array(column) for column in zip(*rows))
            t = years - years[:, :1] + 1
            weight = 1 / ((upper - lower) / (2 * Z95)) ** 2
            slopes, se = line_slopes(t, value, weight)
            chi = (slopes[:, 0] / se) ** 2
            increasing = slopes[:, 0] > 0
            agree = np.ones_like(increasing)
        signs = np.where(slopes < 0, -1, 1)
        stable = np.all(signs == signs[:, :1], axis=1)
        significant = (chi > critical) & stable & agree
        p_value = np.array([math.erfc(math.sqrt(value / 2)) for value in chi])
        for row, idx in enumerate(idxs):
            outcome = "no_significant_change"
            judgement = "not_judged"
            if significant[row]:
                outcome = "increasing" if increasing[row] else "decreasing"
                direction = cases[idx]["direction"]
                if direction != "none":
                    better = increasing[row] == (direction == "higher")
                    judgement = "getting_better" if better else "getting_worse"
            results[idx] = {"outcome": outcome, "judgement": judgement, "chi_square": chi[row],
                            "p_value": p_value[row], "slope": slopes[row, 0],
                            "stable": bool(stable[row]), "first_year": int(years[row, 0]),
                            "last_year": int(years[row, -1])}
    return results


# ---- Open SDG's progress measure, all series at once --------------------------------------------

def expected_progress(cases):
    count = len(cases)
    direction = np.array([1.0 if case["direction"] == "higher" else -1.0 for case in cases])
    has_target = np.array([case["target"] is not None for case in cases])
    target = np.array([case["target"] if case["target"] is not None else np.nan for case in cases])
    target = np.where(target == 0, 0.001, target)
    target_year = np.array([case["target_year"] for case in cases], dtype=float)
    limit = np.array([case["limit"] if case["limit"] is not None else np.nan for case in cases])
    base_option = np.array([case["base_year_option"] for case in cases])
    # Base year: the option if it has a value, else the first later year; current: the latest.
    base_year = np.zeros(count, dtype=int)
    base_value = np.full(count, np.nan)
    current_year = np.array([max(year for year, _ in case["series"]) for case in cases])
    current_value = np.array([dict(case["series"])[year]
                              for case, year in zip(cases, current_year)])
    for idx, case in enumerate(cases):
        later = [(year, value) for year, value in case["series"] if year >= base_option[idx]]
        if later:
            base_year[idx], base_value[idx] = min(later)
    found = base_year > 0

    base_abs, lim_abs = np.abs(base_value), np.abs(limit)
    with np.errstate(divide="ignore", invalid="ignore"):
        coefficient = np.where(base_abs >= 2 * lim_abs, 1.0,
                               np.where(base_abs <= lim_abs, 1 - (base_abs / lim_abs) ** 4.44,
                                        1 - ((2 * lim_abs - base_abs) / lim_abs) ** 4.44))
    coefficient = np.where(np.isnan(limit) | has_target, 1.0, coefficient)
    high = np.where(has_target, 0.95, 0.015 * coefficient)
    med = np.where(has_target, 0.6, 0.005 * coefficient)
    low = np.zeros(count)

    achieved = has_target & np.where(direction > 0, current_value >= target,
                                     current_value <= target)
    base_used = np.where(base_value == 0, 0.001, base_value)
    sign = np.where(base_used < 0, -1.0, 1.0)
    same_sign = (base_used > 0) == (current_value > 0)
    span = current_year - base_year
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = (current_value / base_used) ** (1.0 / span) - 1
        required = (target / base_used) ** (1.0 / (target_year - base_year)) - 1
        progress_value = np.where(has_target, sign * direction * observed / np.abs(required),
                                  sign * direction * observed)
    # Which figures exist: the observed growth needs a base year before the latest with a value
    # of the current value's sign; the required growth a target of the base value's sign; the
    # ratio a required growth other than 0.
    observed_ok = found & same_sign & (span >= 1)
    required_ok = observed_ok & has_target & ((target > 0) == (base_used > 0))
    valid = observed_ok & (~has_target | (required_ok & (required != 0)))
    status = np.select(
        [achieved, ~valid, progress_value >= high, progress_value >= med, progress_value >= low],
        ["target_achieved", "not_available", "substantial_progress", "moderate_progress",
         "limited_progress"], "deterioration")
    results = []
    for idx in range(count):
        results.append({
            "status": str(status[idx]),
            "base_year": int(base_year[idx]),
            "current_year": int(current_year[idx]),
            "observed_growth": observed[idx] if observed_ok[idx] else None,
            "required_growth": required[idx] if required_ok[idx] else None,
            "progress_value": progress_value[idx] if valid[idx] else None,
            "coefficient": coefficient[idx] if found[idx] else 1.0,
        })
    return results


# ---- Comparison ----------------------------------------------------------------------------------

def close(actual, expected, rel=1e-9):
    if expected is None or actual is None:
        return expected is None and actual is None
    return math.isclose(actual, expected, rel_tol=rel, abs_tol=1e-300)


def compare(kind, dumped, expected, fields, problems):
    for idx, (got, want) in enumerate(zip(dumped, expected)):
        for field in fields:
            if isinstance(want[field], (str, bool, int)) and not isinstance(want[field], float):
                same = got[field] == want[field]
            else:
                same = close(got[field], None if want[field] is None else float(want[field]))
            if not same:
                problems.append(f"{kind} case {idx}: {field} is {got[field]!r} in C++, "
                                f"{want[field]!r} in numpy")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory() as tmp:
        dump_path = os.path.join(tmp, "trends.json")
        run = subprocess.run([sys.argv[1], "--gtest_filter=TrendsDump.Json"],
                             env={**os.environ, "TRENDS_DUMP": dump_path},
                             capture_output=True, text=True, check=False)
        if run.returncode != 0 or not os.path.exists(dump_path):
            sys.exit(f"stats_test failed:\n{run.stdout}\n{run.stderr}")
        with open(dump_path, encoding="utf-8") as dump_file:
            dump = json.load(dump_file)

    trends, progress = build_inputs()
    problems = []
    if len(dump["trends"]) != len(trends) or len(dump["progress"]) != len(progress):
        sys.exit("the dump does not hold the expected number of cases")
    for idx, (got, want) in enumerate(zip(dump["trends"], trends)):
        for field in ("method", "direction", "points"):
            if got[field] != want[field]:
                problems.append(f"trend case {idx}: input {field} differs from the generator's")
    for idx, (got, want) in enumerate(zip(dump["progress"], progress)):
        for field in want:
            if got[field] != want[field]:
                problems.append(f"progress case {idx}: input {field} differs from the generator's")

    compare("trend", dump["trends"], expected_trends(trends),
            ["outcome", "judgement", "chi_square", "p_value", "slope", "stable", "first_year",
             "last_year"], problems)
    compare("progress", dump["progress"], expected_progress(progress),
            ["status", "base_year", "current_year", "observed_growth", "required_growth",
             "progress_value", "coefficient"], problems)

    outcomes = {}
    for case in dump["trends"]:
        outcomes[case["outcome"]] = outcomes.get(case["outcome"], 0) + 1
    statuses = {}
    for case in dump["progress"]:
        statuses[case["status"]] = statuses.get(case["status"], 0) + 1
    print(f"trends: {len(trends)} series, outcomes {outcomes}")
    print(f"progress: {len(progress)} series, statuses {statuses}")
    if problems:
        print(f"{len(problems)} disagreements:")
        for problem in problems[:40]:
            print("  " + problem)
        sys.exit(1)
    print("C++ and numpy agree")


if __name__ == "__main__":
    main()
