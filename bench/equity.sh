#!/usr/bin/env bash
# The inequality benchmark (`make bench`): the C++ measures (halsonav_bench_equity) beside the
# independent vectorised numpy implementation (tests/reference/heat_numpy.py) on the same input,
# 1,000,000 sets x 5 groups, and PHE's Monte Carlo SII (10,000 areas x 10 deciles x 1,000 draws).
#
# For each measure it prints C++ and numpy nanoseconds per set, their ratio (numpy / C++) and
# whether both give the same values: estimates and SEs (on the value's scale, docs/METHODS.md)
# within relative 1e-9 (1e-6 for the iterative SII and RII; TI's and MLD's relative to the size
# of the terms they sum), NaN where the other has NaN; the largest relative difference is shown.
# It fails only when something does not work (the values differ, a file is missing), never
# because of speed.
#
# Environment: BENCH_SKIP_BUILD=1 uses the existing build (BENCH_BUILD_DIR, default build/bench,
# where the bench preset builds); EQUITY_SETS, EQUITY_GROUPS, EQUITY_SEED, EQUITY_REPEAT go to the
# C++ bench (--sets, --groups, --seed, --repeat), EQUITY_MC_AREAS and EQUITY_MC_DRAWS to both
# Monte Carlo jobs; EQUITY_INPUT=DIR skips the C++ bench and reads a directory an earlier
# `halsonav_bench_equity --write DIR` wrote (its cpp/ results are compared when present);
# BENCH_KEEP=1 keeps the work directory.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build_dir=${BENCH_BUILD_DIR:-build/bench}
sets=${EQUITY_SETS:-1000000}
groups=${EQUITY_GROUPS:-5}
seed=${EQUITY_SEED:-20240611}
repeat=${EQUITY_REPEAT:-3}
mc_areas=${EQUITY_MC_AREAS:-10000}
mc_draws=${EQUITY_MC_DRAWS:-1000}

. bench/lib.sh
bench_work halsonav-equity-bench

if [ -n "${EQUITY_INPUT:-}" ]; then
  input=$EQUITY_INPUT
  [ -f "$input/meta.json" ] || { echo "bench: $input/meta.json is missing" >&2; exit 1; }
  : >"$work/cpp.log"
else
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    echo "== building the bench preset (release, with the benchmark tools)"
    cmake --preset bench >/dev/null
    cmake --build --preset bench
  fi
  bench=$build_dir/halsonav_bench_equity
  [ -x "$bench" ] || { echo "bench: $bench is missing" >&2; exit 1; }
  input=$work/input
  echo "== C++: $sets sets x $groups groups (seed $seed, best of $repeat), inputs in $input"
  "$bench" --write "$input" --sets "$sets" --groups "$groups" --seed "$seed" \
    --repeat "$repeat" --mc-areas "$mc_areas" --mc-draws "$mc_draws" | tee "$work/cpp.log"
fi

echo "== numpy on the same input"
/usr/bin/python3 - "$input" "$work/cpp.log" "$mc_areas" "$mc_draws" <<'EOF'
import json, math, os, re, sys, time
import numpy as np

sys.path.insert(0, os.path.join(os.getcwd(), "tests", "reference"))
import heat_numpy as heat

input_dir, cpp_log = sys.argv[1], sys.argv[2]
mc_areas, mc_draws = int(sys.argv[3]), int(sys.argv[4])
meta = json.load(open(os.path.join(input_dir, "meta.json")))
count, groups = int(meta["sets"]), int(meta["groups"])


def read(name):
    return np.fromfile(os.path.join(input_dir, name), dtype="<f8")


def matrix(name):
    values = read(name)
    if values.size != count * groups:
        sys.exit(f"bench: {name} holds {values.size} values, not {count} x {groups}")
    return values.reshape(count, groups)


pop, est, se = matrix("pop.f64"), matrix("est.f64"), matrix("se.f64")
cpp_ns, cpp_mc = {}, None
for line in open(cpp_log):
    found = re.match(r"measure (\S+) ns_per_set (\S+) total_s (\S+)", line)
    if found:
        cpp_ns[found.group(1)] = float(found.group(2))
    found = re.match(r"mc sii_phe areas (\d+) groups (\d+) draws (\d+) total_s (\S+)", line)
    if found:
        cpp_mc = tuple(float(v) for v in found.groups())
measures = list(cpp_ns) or [m for m in heat.MEASURES
                            if os.path.exists(os.path.join(input_dir, "cpp", f"{m}.est.f64"))]
measures = measures or list(heat.MEASURES)

# Group g has subgroup_order g + 1; one input serves both kinds of dimension, as in the C++
# bench: every measure that applies to ordered dimensions (D, R, PAR and PAF too) reads the sets
# as ordered, the non-ordered-only ones as non-ordered.
def sets_for(measure):
    ordered = meta.get("ordered", 0 if measure in heat.NON_ORDERED_ONLY else 1)
    return heat.make_sets(pop, est, se, None, favourable=int(meta.get("favourable", 1)),
                          scale=float(meta.get("scale", 100)),
                          reference=int(meta.get("reference_group", groups - 1)),
                          ordered=int(ordered))


def max_relative(ours, theirs, floor=None):
    """The largest relative difference (relative to the larger value, or to `floor` where that
    is larger: heat.term_scale), and whether NaNs sit in the same places."""
    nan_ours, nan_theirs = np.isnan(ours), np.isnan(theirs)
    same_nan = bool(np.array_equal(nan_ours, nan_theirs))
    both = ~nan_ours & ~nan_theirs
    a, b = ours[both], theirs[both]
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.maximum(np.abs(a), np.abs(b))
        if floor is not None:
            scale = np.maximum(scale, floor[both])
        rel = np.where(a == b, 0.0, np.abs(a - b) / scale)
    return (float(rel.max()) if rel.size else 0.0), same_nan


rows, broken = [], []
for measure in measures:
    if measure not in heat.FUNCTIONS:  # the C++ bench also times measures beyond HEAT's
        rows.append((measure, cpp_ns.get(measure), None, "-", "(no numpy implementation)"))
        continue
    sets = sets_for(measure)
    best = math.inf
    for _ in range(3):
        started = time.perf_counter()
        result = heat.compute(measure, sets, se_on_value_scale=True)
        best = min(best, time.perf_counter() - started)
    ns = best / count * 1e9
    verdict, detail = "-", "(no C++ values)"
    est_path = os.path.join(input_dir, "cpp", f"{measure}.est.f64")
    se_path = os.path.join(input_dir, "cpp", f"{measure}.se.f64")
    if os.path.exists(est_path) and os.path.exists(se_path):
        tolerance = 1e-6 if measure in heat.ITERATIVE else 1e-9
        cpp_est, cpp_se = read(est_path), read(se_path)
        if cpp_est.size != count or cpp_se.size != count:
            verdict, detail = "no", f"C++ wrote {cpp_est.size}/{cpp_se.size} values, not {count}"
        else:
            rel_est, nan_est = max_relative(result.value, cpp_est,
                                            heat.term_scale(measure, sets))
            rel_se, nan_se = max_relative(result.se, cpp_se)
            same = nan_est and nan_se and rel_est <= tolerance and rel_se <= tolerance
            verdict = "yes" if same else "no"
            detail = f"est {rel_est:.1e}, se {rel_se:.1e}"
            if not (nan_est and nan_se):
                detail += " (NaN in different places)"
        if verdict == "no":
            broken.append(f"{measure}: {detail}")
    elif cpp_ns:
        verdict, detail = "no", "C++ values missing"
        broken.append(f"{measure}: {est_path} or {se_path} is missing")
    rows.append((measure, cpp_ns.get(measure), ns, verdict, detail))

# PHE's Monte Carlo SII: value ~ N(value, se) per decile and draw; limits from the sorted draws.
rng = np.random.default_rng(20240611)
mc_groups = 10
mc_pop = rng.uniform(5000.0, 30000.0, (mc_areas, mc_groups))
mc_value = np.sort(rng.uniform(60.0, 90.0, (mc_areas, mc_groups)), axis=1)
mc_se = rng.uniform(0.2, 2.0, (mc_areas, mc_groups))
started = time.perf_counter()
limits = heat.phe_sii_monte_carlo(mc_pop, mc_value, mc_se, mc_draws, 0.95, 1.0, rng)
mc_seconds = time.perf_counter() - started
if not np.all(limits[0] <= limits[1]):
    broken.append("numpy Monte Carlo: a lower limit above its upper limit")

print()
print(f"{count} sets x {groups} groups; nanoseconds per set (numpy: best of 3)")
print(f"{'measure':<14} {'C++ ns/set':>11} {'numpy ns/set':>13} {'numpy/C++':>10}  "
      f"{'same values':<11} max relative difference")
for measure, cpp, ns, verdict, detail in rows:
    cpp_text = f"{cpp:11.1f}" if cpp is not None else f"{'-':>11}"
    ns_text = f"{ns:13.1f}" if ns is not None else f"{'-':>13}"
    ratio = f"{ns / cpp:10.1f}" if cpp and ns is not None else f"{'-':>10}"
    print(f"{measure:<14} {cpp_text} {ns_text} {ratio}  {verdict:<11} {detail}")
cpp_mc_text = f"{cpp_mc[3]:.2f} s" if cpp_mc else "-"
ratio = f"{mc_seconds / cpp_mc[3]:.1f}" if cpp_mc and cpp_mc[3] > 0 else "-"
print(f"\nMonte Carlo SII (PHE), {mc_areas} areas x {mc_groups} deciles x {mc_draws} draws: "
      f"C++ {cpp_mc_text}, numpy {mc_seconds:.2f} s, numpy/C++ {ratio}")
if cpp_mc and (int(cpp_mc[0]), int(cpp_mc[2])) != (mc_areas, mc_draws):
    print(f"(the C++ job ran {int(cpp_mc[0])} areas x {int(cpp_mc[2])} draws)")
if broken:
    print("\nbench: the implementations disagree or something is missing:", file=sys.stderr)
    for line in broken:
        print("  " + line, file=sys.stderr)
    sys.exit(1)
EOF
