"""An independent, vectorised numpy implementation of the HEAT summary measures of inequality.

This module is the second opinion on the C++ statistics engine (src/stats): it was written from
the WHO healthequal package's documented definitions (WHOequity/healthequal, the R functions d, r,
sii, rii, aci, rci, bgv, bgsd, covar, idisu, idisw, mdbu, mdbw, mdmu, mdmw, mdru, mdrw, ti, mld,
parisk, paf), from tests/data/reference/FORMULAS.md and from PHEindicatormethods' phe_sii for
the PHE variant of the SII and RII, without looking at the C++ code.

Every measure works on many subgroup sets at once. A set of G subgroups is one row of 2-D arrays
(sets x groups); `Sets` holds them together with the per-set flags. Sets with different numbers of
groups go into different `Sets` objects. Every measure returns a `Result` of 1-D arrays (one
entry per set): the estimate, the standard error, the confidence interval as healthequal
computes it, and an error message per set ("" when the set computed). A value the method leaves
undefined (an SE when a subgroup's SE is absent, a Monte Carlo interval) is NaN.
`compute(..., se_on_value_scale=True)` gives Hälsonav's convention instead (docs/METHODS.md:
every SE on its value's scale, every interval value -+ z*se), which the C++ follows.

Conventions that follow healthequal, listed here because they decide the numbers:
- Applicability as healthequal documents it: SII, RII, ACI, RCI (and PHE's) for ordered
  dimensions, BGV, BGSD, COV, IDIS*, MD*, TI, MLD for non-ordered ones, D, R, PAR, PAF for any;
  more than two subgroups except for D and R. A set outside that is an error (`validate`).
- p_j = pop_j / sum(pop), mu = sum(p_j * est_j) (the population-weighted setting average).
- z = the standard normal quantile at 1 - (1 - conf)/2.
- D and R (d.R, r.R): ordered dimensions compare the most and the least advantaged subgroup (the
  highest and the lowest subgroup_order; y1/y2 swap for adverse indicators); non-ordered
  dimensions with a reference subgroup compare the reference subgroup with the worst subgroup
  (favourable: ref - min, ref / min; adverse: max - ref, max / ref); without one, max - min and
  max / min. (healthequal's d() returns no value for a favourable indicator without a reference
  subgroup; max - min is what its documentation and r() do.) R's SE is for ln R.
- PAR and PAF (parisk.R, paf.R): the reference is the most advantaged subgroup (highest order) for
  ordered dimensions and the best-performing subgroup (max for favourable, min for adverse
  indicators) for non-ordered ones; a value of the wrong sign is reported as 0. The SE is Walter's
  (1978) formula on a 2x2 table made from scale, pop and est; PAR's SE is |mu| times PAF's.
- BGSD, COV, IDISU/W, MDBU/W, MDMU/W, MDRU/W have no analytic SE in healthequal (their intervals
  are Monte Carlo with R's random numbers): SE and interval are NaN here.
- TI and MLD are reported x1000; their SEs (Ahn et al. 2018) and the interval half-widths are not
  (healthequal adds z*se to the x1000 value): kept as healthequal computes them.
- SII and RII: WHO's glm(cbind(y, pop - y) ~ rank, weights = pop, quasibinomial) with
  pop = ceiling(pop), y = round(est / scale * pop) (R rounds half to even, as numpy does),
  solved by IRLS with the effective prior weights pop^2 exactly as R's glm.fit does (start,
  deviance stop, the last iteration's working weights in the sandwich); SEs by the delta method
  with the HC1 sandwich covariance. The SII SE is on the 0-1 scale (est / scale); its interval
  is scaled back. The RII SE is for ln RII, its interval exp(ln RII +- z*se).
- sii_phe / rii_phe (phe_sii): weighted least squares of est on the cumulative midpoint rank with
  the population shares as weights; SII = slope * multiplier, RII = (intercept + slope) /
  intercept (inverted for a negative multiplier). The interval is PHE's Monte Carlo one
  (`phe_sii_monte_carlo`), so the analytic `Result` leaves SE and interval NaN.

Import it; tests/reference/check_heat.py and bench/equity.sh do.
"""

from __future__ import annotations

import dataclasses
import math
import statistics

import numpy as np

# The stable measure ids, in the order the tests report them.
MEASURES = (
    "d", "r", "sii", "rii", "aci", "rci", "bgv", "bgsd", "cov", "idisu", "idisw", "mdbu", "mdbw",
    "mdmu", "mdmw", "mdru", "mdrw", "ti", "mld", "par", "paf", "sii_phe", "rii_phe",
)
# Measures whose estimate comes from an iteration (compared with a looser tolerance).
ITERATIVE = frozenset({"sii", "rii"})
# Measures whose healthequal interval is Monte Carlo (not reproducible across implementations).
MONTE_CARLO_INTERVAL = frozenset(
    {"bgsd", "cov", "idisu", "idisw", "mdbu", "mdbw", "mdmu", "mdmw", "mdru", "mdrw", "sii_phe",
     "rii_phe"})
# healthequal's "Applicability": measures for ordered dimensions only, for non-ordered ones only;
# D, R, PAR and PAF apply to any dimension.
ORDERED_ONLY = frozenset({"sii", "rii", "aci", "rci", "sii_phe", "rii_phe"})
NON_ORDERED_ONLY = frozenset({"bgv", "bgsd", "cov", "idisu", "idisw", "mdbu", "mdbw", "mdmu",
                              "mdmw", "mdru", "mdrw", "ti", "mld"})
# Measures defined for two subgroups; every other measure needs more than two.
TWO_GROUPS_ENOUGH = frozenset({"d", "r"})


def z_value(conf: float) -> float:
    """The two-sided standard normal quantile for a confidence level (0.95 or 95)."""
    if conf >= 90:
        conf = conf / 100.0
    if not 0.0 < conf < 1.0:
        raise ValueError(f"confidence level {conf} is not between 0 and 1")
    return statistics.NormalDist().inv_cdf(1.0 - (1.0 - conf) / 2.0)


@dataclasses.dataclass
class Sets:
    """Many subgroup sets of the same size: 2-D arrays (sets x groups) and per-set flags.

    Groups are kept sorted by subgroup_order within each set (the constructor `make_sets` sorts
    them). `se` is NaN where a subgroup's standard error is absent. `reference` is the column of
    the reference subgroup, -1 when the set has none. `setting_average` is NaN when not given.
    """

    pop: np.ndarray
    est: np.ndarray
    se: np.ndarray
    order: np.ndarray
    favourable: np.ndarray  # bool (sets,)
    scale: np.ndarray  # float (sets,)
    reference: np.ndarray  # int (sets,)
    ordered: np.ndarray  # bool (sets,)
    setting_average: np.ndarray  # float (sets,)

    @property
    def count(self) -> int:
        return self.pop.shape[0]

    @property
    def groups(self) -> int:
        return self.pop.shape[1]


def make_sets(pop, est, se=None, order=None, favourable=1, scale=100.0, reference=-1, ordered=1,
              setting_average=math.nan) -> Sets:
    """Builds `Sets` from array-likes; scalars are broadcast to every set.

    pop, est, se, order: (sets, groups). Groups are re-sorted by `order` (default 1..G);
    `reference` is a column index in the caller's column order and follows its group.
    """
    pop = np.atleast_2d(np.asarray(pop, dtype=float))
    est = np.atleast_2d(np.asarray(est, dtype=float))
    count, groups = est.shape
    se = np.full_like(est, np.nan) if se is None else np.atleast_2d(np.asarray(se, dtype=float))
    if order is None:
        order = np.broadcast_to(np.arange(1, groups + 1, dtype=float), est.shape)
    order = np.atleast_2d(np.asarray(order, dtype=float))

    def per_set(value, dtype):
        return np.broadcast_to(np.asarray(value, dtype=dtype), (count,)).copy()

    reference = per_set(reference, np.int64)
    permutation = np.argsort(order, axis=1, kind="stable")
    if not np.all(permutation == np.arange(groups)):
        inverse = np.argsort(permutation, axis=1)
        rows = np.arange(count)
        has_reference = reference >= 0
        reference[has_reference] = inverse[rows[has_reference], reference[has_reference]]
        pop, est, se, order = (np.take_along_axis(a, permutation, axis=1)
                               for a in (pop, est, se, order))
    return Sets(pop=np.ascontiguousarray(pop), est=np.ascontiguousarray(est),
                se=np.ascontiguousarray(se), order=np.ascontiguousarray(order),
                favourable=per_set(favourable, bool), scale=per_set(scale, float),
                reference=reference, ordered=per_set(ordered, bool),
                setting_average=per_set(setting_average, float))


@dataclasses.dataclass
class Result:
    """One entry per set. `error` is "" where the set computed, else the reason (values NaN)."""

    value: np.ndarray
    se: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    error: np.ndarray  # object array of str


# ---------------------------------------------------------------------------------------------
# Helpers


def _nan(count: int) -> np.ndarray:
    return np.full(count, np.nan)


def _shares(sets: Sets):
    """Population shares p (sets x groups) and the weighted mean mu (sets,)."""
    p = sets.pop / sets.pop.sum(axis=1, keepdims=True)
    mu = np.einsum("ij,ij->i", p, sets.est)
    return p, mu


def _symmetric(value, se, z):
    return value - z * se, value + z * se


def _pick(matrix: np.ndarray, column: np.ndarray) -> np.ndarray:
    return np.take_along_axis(matrix, column[:, None], axis=1)[:, 0]


def _midpoint_rank(pop: np.ndarray) -> np.ndarray:
    """The cumulative midpoint rank of each group (groups sorted by order): in (0, 1)."""
    cumulative = np.cumsum(pop, axis=1)
    return (cumulative - 0.5 * pop) / cumulative[:, -1:]


def _weighted_line(weight, x, y):
    """Weighted least squares of y on (1, x) per set; returns intercept, slope, sxx, xbar.

    Centred sums keep the slope accurate when x is far from 0.
    """
    w_sum = weight.sum(axis=1)
    xbar = np.einsum("ij,ij->i", weight, x) / w_sum
    ybar = np.einsum("ij,ij->i", weight, y) / w_sum
    dx = x - xbar[:, None]
    sxx = np.einsum("ij,ij,ij->i", weight, dx, dx)
    slope = np.einsum("ij,ij,ij->i", weight, dx, y) / sxx
    intercept = ybar - slope * xbar
    return intercept, slope, sxx, xbar, w_sum


def validate(measure: str, sets: Sets) -> np.ndarray:
    """The input errors of each set for a measure, as messages ("" where the set is fine).

    The rules are healthequal's stops and documented applicability (and phe_sii's for the PHE
    variant): the dimension ordered or not as the measure requires, populations positive,
    estimates present, more than two subgroups except for D and R, one reference subgroup for
    MDRU/MDRW, different estimates for the SII/RII, y = round(est/scale*pop) within [0, pop] for
    WHO's SII/RII, 5 to 100 quantiles and every SE present for PHE's, positive estimates where a
    logarithm or a ratio is taken.
    """
    errors = np.full(sets.count, "", dtype=object)

    def fail(mask, message):
        fresh = mask & (errors == "")
        errors[fresh] = message

    if measure in ORDERED_ONLY:
        fail(~sets.ordered, "the dimension is not ordered")
    if measure in NON_ORDERED_ONLY:
        fail(sets.ordered, "the dimension is ordered")
    fail(~np.all(np.isfinite(sets.est), axis=1), "an estimate is missing")
    fail(~np.all(np.isfinite(sets.pop) & (sets.pop > 0), axis=1),
         "a population is missing, zero or negative")
    fail(np.any(sets.se < 0, axis=1), "a standard error is negative")
    if sets.groups < 2 or (sets.groups < 3 and measure not in TWO_GROUPS_ENOUGH):
        fail(np.ones(sets.count, dtype=bool), "too few subgroups")
    if measure in ("mdru", "mdrw"):
        fail(sets.reference < 0, "no reference subgroup")
    if measure in ("sii", "rii", "sii_phe", "rii_phe"):
        fail(np.all(sets.est == sets.est[:, :1], axis=1), "all estimates are equal")
    if measure in ("sii_phe", "rii_phe"):  # phe_sii's stops
        if not 5 <= sets.groups <= 100:
            fail(np.ones(sets.count, dtype=bool), "phe_sii needs 5 to 100 quantiles")
        fail(~np.all(np.isfinite(sets.se), axis=1), "a standard error is missing")
    if measure in ("sii", "rii"):
        pop = np.ceil(sets.pop)
        cases = np.round(sets.est / _auto_scale(sets.est)[:, None] * pop)
        fail(np.any((cases < 0) | (cases > pop), axis=1), "an estimate is outside the scale")
    if measure in ("r", "ti", "mld", "rci", "idisu", "idisw", "cov", "paf", "rii_phe"):
        fail(np.any(sets.est < 0, axis=1), "an estimate is negative")
    return errors


def _finish(measure: str, sets: Sets, value, se, lower, upper) -> Result:
    errors = validate(measure, sets)
    bad = errors != ""
    arrays = []
    for array in (value, se, lower, upper):
        array = np.array(np.broadcast_to(array, (sets.count,)), dtype=float)
        array[bad] = np.nan
        arrays.append(array)
    return Result(*arrays, error=errors)


# ---------------------------------------------------------------------------------------------
# Simple measures: D, R, PAR, PAF


def _two_groups(sets: Sets):
    """Columns (y1, y2) of the two subgroups D and R compare, following healthequal."""
    count, groups = sets.count, sets.groups
    fav = sets.favourable
    argmax = np.argmax(sets.est, axis=1)
    argmin = np.argmin(sets.est, axis=1)
    lowest = np.zeros(count, dtype=np.int64)  # groups are sorted by order
    highest = np.full(count, groups - 1, dtype=np.int64)
    has_ref = sets.reference >= 0
    ref = np.where(has_ref, sets.reference, 0)
    # Non-ordered dimensions.
    y1 = np.where(has_ref & fav, ref, argmax)
    y2 = np.where(has_ref & ~fav, ref, argmin)
    # Ordered dimensions.
    y1 = np.where(sets.ordered, np.where(fav, highest, lowest), y1)
    y2 = np.where(sets.ordered, np.where(fav, lowest, highest), y2)
    return y1, y2


def measure_d(sets: Sets, conf: float = 0.95) -> Result:
    y1, y2 = _two_groups(sets)
    value = _pick(sets.est, y1) - _pick(sets.est, y2)
    se = np.hypot(_pick(sets.se, y1), _pick(sets.se, y2))
    return _finish("d", sets, value, se, *_symmetric(value, se, z_value(conf)))


def measure_r(sets: Sets, conf: float = 0.95) -> Result:
    y1, y2 = _two_groups(sets)
    top, bottom = _pick(sets.est, y1), _pick(sets.est, y2)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = top / bottom
        se_r = np.sqrt((_pick(sets.se, y1) ** 2 + value**2 * _pick(sets.se, y2) ** 2) / bottom**2)
        se_log = se_r / value
        z = z_value(conf)
        lower = np.exp(np.log(value) - z * se_log)
        upper = np.exp(np.log(value) + z * se_log)
    return _finish("r", sets, value, se_log, lower, upper)


def _attributable(sets: Sets):
    """PAR-family pieces: reference estimate and population, mu, and Walter's SE of the PAF."""
    groups = sets.groups
    _, mu = _shares(sets)
    best = np.where(sets.favourable, np.argmax(sets.est, axis=1), np.argmin(sets.est, axis=1))
    ref = np.where(sets.ordered, groups - 1, best)
    ref_est = _pick(sets.est, ref)
    ref_pop = _pick(sets.pop, ref)
    total = sets.pop.sum(axis=1)
    scale = sets.scale
    # Walter's 2x2 table: c exposed cases in the reference group, a cases elsewhere.
    c = ref_est / scale * ref_pop
    d = ref_pop - c
    a = mu / scale * total - c
    b = total - a - ref_pop
    n = a + b + c + d
    with np.errstate(divide="ignore", invalid="ignore"):
        paf_se = np.sqrt((c * n * (a * d * (n - c) + b * c**2)) / ((a + c) ** 3 * (c + d) ** 3))
    diff = ref_est - mu
    wrong_sign = np.where(sets.favourable, diff < 0, diff > 0)
    return mu, diff, wrong_sign, paf_se


def measure_par(sets: Sets, conf: float = 0.95) -> Result:
    mu, diff, wrong_sign, paf_se = _attributable(sets)
    value = np.where(wrong_sign, 0.0, diff)
    # healthequal: |mu * ((paf + z*se) - (paf - z*se))| / (2 z) = |mu| * se.
    se = np.abs(mu) * paf_se
    return _finish("par", sets, value, se, *_symmetric(value, se, z_value(conf)))


def measure_paf(sets: Sets, conf: float = 0.95) -> Result:
    mu, diff, wrong_sign, paf_se = _attributable(sets)
    value = np.where(wrong_sign, 0.0, 100.0 * diff / mu)
    return _finish("paf", sets, value, paf_se, *_symmetric(value, paf_se, z_value(conf)))


# ---------------------------------------------------------------------------------------------
# Non-ordered complex measures


def _bgv_parts(sets: Sets):
    p, mu = _shares(sets)
    dev = sets.est - mu[:, None]
    bgv = np.einsum("ij,ij,ij->i", p, dev, dev)
    return p, mu, dev, bgv


def measure_bgv(sets: Sets, conf: float = 0.95) -> Result:
    p, mu, dev, bgv = _bgv_parts(sets)
    p2s2 = p**2 * sets.se**2
    se2 = np.einsum("ij,ij,ij->i", p2s2, dev, dev)
    s2 = p2s2.sum(axis=1)
    s4 = (p2s2**2).sum(axis=1)
    se4 = (p2s2 * (1.0 - p) ** 2 * sets.se**2).sum(axis=1)
    se = np.sqrt(4.0 * se2 + 2.0 * (s2**2 - s4 + se4))
    return _finish("bgv", sets, bgv, se, *_symmetric(bgv, se, z_value(conf)))


def measure_bgsd(sets: Sets, conf: float = 0.95) -> Result:
    value = np.sqrt(_bgv_parts(sets)[3])
    return _finish("bgsd", sets, value, np.nan, np.nan, np.nan)


def measure_cov(sets: Sets, conf: float = 0.95) -> Result:
    _, mu, _, bgv = _bgv_parts(sets)
    value = np.sqrt(bgv) / mu * 100.0
    return _finish("cov", sets, value, np.nan, np.nan, np.nan)


def _mean_or_setting_average(sets: Sets):
    """healthequal's idisu/mdmu use the setting average when one is given, else mu."""
    _, mu = _shares(sets)
    return np.where(np.isfinite(sets.setting_average), sets.setting_average, mu)


def measure_idisu(sets: Sets, conf: float = 0.95) -> Result:
    mean = _mean_or_setting_average(sets)
    value = 100.0 * np.abs(sets.est - mean[:, None]).mean(axis=1) / mean
    return _finish("idisu", sets, value, np.nan, np.nan, np.nan)


def measure_idisw(sets: Sets, conf: float = 0.95) -> Result:
    p, mu = _shares(sets)
    value = 100.0 * np.einsum("ij,ij->i", p, np.abs(sets.est - mu[:, None])) / mu
    return _finish("idisw", sets, value, np.nan, np.nan, np.nan)


def _best(sets: Sets):
    return np.where(sets.favourable, sets.est.max(axis=1), sets.est.min(axis=1))


def measure_mdbu(sets: Sets, conf: float = 0.95) -> Result:
    value = np.abs(sets.est - _best(sets)[:, None]).mean(axis=1)
    return _finish("mdbu", sets, value, np.nan, np.nan, np.nan)


def measure_mdbw(sets: Sets, conf: float = 0.95) -> Result:
    p, _ = _shares(sets)
    value = np.einsum("ij,ij->i", p, np.abs(sets.est - _best(sets)[:, None]))
    return _finish("mdbw", sets, value, np.nan, np.nan, np.nan)


def measure_mdmu(sets: Sets, conf: float = 0.95) -> Result:
    mean = _mean_or_setting_average(sets)
    value = np.abs(sets.est - mean[:, None]).mean(axis=1)
    return _finish("mdmu", sets, value, np.nan, np.nan, np.nan)


def measure_mdmw(sets: Sets, conf: float = 0.95) -> Result:
    p, mu = _shares(sets)
    value = np.einsum("ij,ij->i", p, np.abs(sets.est - mu[:, None]))
    return _finish("mdmw", sets, value, np.nan, np.nan, np.nan)


def _reference_estimate(sets: Sets):
    return _pick(sets.est, np.maximum(sets.reference, 0))


def measure_mdru(sets: Sets, conf: float = 0.95) -> Result:
    value = np.abs(sets.est - _reference_estimate(sets)[:, None]).mean(axis=1)
    return _finish("mdru", sets, value, np.nan, np.nan, np.nan)


def measure_mdrw(sets: Sets, conf: float = 0.95) -> Result:
    p, _ = _shares(sets)
    value = np.einsum("ij,ij->i", p, np.abs(sets.est - _reference_estimate(sets)[:, None]))
    return _finish("mdrw", sets, value, np.nan, np.nan, np.nan)


def _theil_parts(sets: Sets):
    """healthequal replaces an estimate of exactly 0 by 1e-6 before taking logarithms."""
    est = np.where(sets.est == 0, 1e-6, sets.est)
    p = sets.pop / sets.pop.sum(axis=1, keepdims=True)
    mu = np.einsum("ij,ij->i", p, est)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = est / mu[:, None]
        log_ratio = np.log(ratio)
    return p, mu, ratio, log_ratio


def measure_ti(sets: Sets, conf: float = 0.95) -> Result:
    p, mu, ratio, log_ratio = _theil_parts(sets)
    value = 1000.0 * np.einsum("ij,ij,ij->i", p, ratio, log_ratio)
    centre = np.einsum("ij,ij->i", p, ratio * (1.0 + log_ratio))
    term = (1.0 + log_ratio - centre[:, None]) ** 2 * (p**2 * sets.se**2 / mu[:, None] ** 2)
    se = np.sqrt(term.sum(axis=1))
    return _finish("ti", sets, value, se, *_symmetric(value, se, z_value(conf)))


def measure_mld(sets: Sets, conf: float = 0.95) -> Result:
    p, mu, ratio, log_ratio = _theil_parts(sets)
    value = -1000.0 * np.einsum("ij,ij->i", p, log_ratio)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = sets.se**2 * p**2 / mu[:, None] ** 2 * (1.0 - 1.0 / ratio) ** 2
    se = np.sqrt(term.sum(axis=1))
    return _finish("mld", sets, value, se, *_symmetric(value, se, z_value(conf)))


# ---------------------------------------------------------------------------------------------
# Ordered complex measures: ACI, RCI (the "convenient regression"), SII and RII (WHO's glm)


def _concentration(sets: Sets, absolute: bool, conf: float, measure: str) -> Result:
    """healthequal's OLS without constant of lhs on [rank*sqrt(pop), sqrt(pop)].

    Dividing every row by sqrt(pop) makes it weighted least squares of lhs/sqrt(pop) on
    (1, rank) with weights pop; the coefficient of rank is the index, its ordinary OLS SE uses
    the residual variance with n - 2 degrees of freedom.
    """
    p, mu = _shares(sets)
    rank = _midpoint_rank(sets.pop)
    sigma1 = np.einsum("ij,ij->i", p, (rank - 0.5) ** 2)
    target = 2.0 * sigma1[:, None] * sets.est
    if not absolute:
        target = target / mu[:, None]
    intercept, slope, sxx, _, _ = _weighted_line(sets.pop, rank, target)
    residual = target - intercept[:, None] - slope[:, None] * rank
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma2 = np.einsum("ij,ij,ij->i", sets.pop, residual, residual) / (sets.groups - 2)
        se = np.sqrt(sigma2 / sxx)
    return _finish(measure, sets, slope, se, *_symmetric(slope, se, z_value(conf)))


def measure_aci(sets: Sets, conf: float = 0.95) -> Result:
    return _concentration(sets, True, conf, "aci")


def measure_rci(sets: Sets, conf: float = 0.95) -> Result:
    return _concentration(sets, False, conf, "rci")


def _auto_scale(est: np.ndarray) -> np.ndarray:
    """healthequal's automatic scale: the smallest of 1, 100, 1e3 ... 1e6 above each estimate,
    the largest over the set."""
    bounds = np.array([1.0, 100.0, 1e3, 1e4, 1e5])
    per_group = np.where(est <= 1.0, 1.0, 1e6)
    for lower, upper in zip(bounds[:-1], bounds[1:]):
        per_group = np.where((est > lower) & (est <= upper), upper, per_group)
    return per_group.max(axis=1)


@dataclasses.dataclass
class LogisticFit:
    """WHO's quasibinomial logistic fit of one `Sets`: coefficients, HC1 covariance, scale."""

    b0: np.ndarray
    b1: np.ndarray
    cov: np.ndarray  # (sets, 2, 2)
    scale: np.ndarray
    iterations: int
    converged: np.ndarray


def _binomial_deviance(share, mu, prior):
    """R's binomial()$dev.resids summed per set (y log y taken as 0 at y = 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ones = np.where(share > 0, share * np.log(share / mu), 0.0)
        zeros = np.where(share < 1, (1.0 - share) * np.log((1.0 - share) / (1.0 - mu)), 0.0)
    return 2.0 * np.einsum("ij,ij->i", prior, ones + zeros)


def fit_logistic(sets: Sets, method: str = "glm") -> LogisticFit:
    """IRLS for glm(cbind(y, pop - y) ~ rank, weights = pop, quasibinomial), all sets at once.

    method "glm" is R's glm.fit, which produced healthequal's numbers: R's start
    (mu = (y + 0.5) / (n + 1)), a set stops when its deviance changes by less than 1e-8
    relative (|dev - dev_old| / (|dev| + 0.1)) or after 25 iterations, and the sandwich pairs the
    working weights of the last iteration (sandwich's estfun and bread read them from the fit)
    with the residuals of the final coefficients. Those weights are one step stale, which moves
    an SE by up to ~1e-4 (relative) from the fully converged fit's on small, steep sets.
    method "exact" iterates until the coefficients stop moving (1e-10 relative; the next step
    would move them by ~1e-20) and evaluates the sandwich at the converged fit.
    Each iteration works only on the sets that have not stopped yet.
    """
    if method not in ("glm", "exact"):
        raise ValueError(f"unknown method {method!r}")
    pop = np.ceil(sets.pop)
    scale = _auto_scale(sets.est)
    cases = np.round(sets.est / scale[:, None] * pop)
    share = cases / pop  # the response y/n
    prior = pop * pop  # weights = pop times the binomial totals n = pop
    rank = _midpoint_rank(pop)
    count = sets.count
    b0 = np.zeros(count)
    b1 = np.zeros(count)
    last_weight = np.zeros_like(pop)  # the working weights of each set's last iteration
    final_mu = np.zeros_like(pop)
    converged = np.zeros(count, dtype=bool)
    mu = (cases + 0.5) / (pop + 1.0)
    eta = np.log(mu / (1.0 - mu))
    deviance_old = _binomial_deviance(share, mu, prior)
    active = np.arange(count)
    iterations = 0
    for iterations in range(1, (25 if method == "glm" else 50) + 1):
        a_rank, a_prior, a_share = rank[active], prior[active], share[active]
        variance = mu * (1.0 - mu)
        weight = a_prior * variance
        working = eta + (a_share - mu) / variance
        new_b0, new_b1, _, _, _ = _weighted_line(weight, a_rank, working)
        new_eta = new_b0[:, None] + new_b1[:, None] * a_rank
        new_mu = 1.0 / (1.0 + np.exp(-new_eta))
        if method == "glm":
            deviance = _binomial_deviance(a_share, new_mu, a_prior)
            change = np.abs(deviance - deviance_old) / (np.abs(deviance) + 0.1)
            threshold = 1e-8
        else:
            change = np.maximum(np.abs(new_b0 - b0[active]) / (np.abs(new_b0) + 1e-3),
                                np.abs(new_b1 - b1[active]) / (np.abs(new_b1) + 1e-3))
            threshold = 1e-10
        b0[active] = new_b0
        b1[active] = new_b1
        last_weight[active] = weight
        final_mu[active] = new_mu
        done = ~(change >= threshold)  # NaN (a degenerate set) stops too
        converged[active[done & np.isfinite(change)]] = True
        keep = ~done
        active = active[keep]
        if active.size == 0:
            break
        eta, mu = new_eta[keep], new_mu[keep]
        if method == "glm":
            deviance_old = deviance[keep]
    mu = final_mu
    if method == "exact":
        last_weight = prior * mu * (1.0 - mu)
    # HC1 sandwich: n/(n-k) * B M B, B = (X'WX)^-1, M = sum (w*(y - mu)/(mu(1-mu)))^2 x x'
    # (at the converged fit w*(y - mu)/(mu(1-mu)) = prior*(y - mu)).
    weight = last_weight
    s0 = weight.sum(axis=1)
    xbar = np.einsum("ij,ij->i", weight, rank) / s0
    dx = rank - xbar[:, None]
    det = s0 * np.einsum("ij,ij,ij->i", weight, dx, dx)  # s0*s2 - s1^2 without the cancellation
    b00 = (det / s0 + s0 * xbar * xbar) / det  # s2 / det
    b01 = -s0 * xbar / det
    b11 = s0 / det
    score = weight * (share - mu) / (mu * (1.0 - mu))
    score2 = score * score
    m00 = score2.sum(axis=1)
    m01 = np.einsum("ij,ij->i", score2, rank)
    m11 = np.einsum("ij,ij,ij->i", score2, rank, rank)
    left00 = b00 * m00 + b01 * m01  # (B M) row by row
    left01 = b00 * m01 + b01 * m11
    left10 = b01 * m00 + b11 * m01
    left11 = b01 * m01 + b11 * m11
    sandwich = np.empty((sets.count, 2, 2))
    sandwich[:, 0, 0] = left00 * b00 + left01 * b01
    sandwich[:, 0, 1] = sandwich[:, 1, 0] = left00 * b01 + left01 * b11
    sandwich[:, 1, 1] = left10 * b01 + left11 * b11
    groups = np.float64(sets.groups)  # two groups: HC1's n/(n-k) is infinite, and so the SE
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = groups / (groups - 2.0) * sandwich
    return LogisticFit(b0=b0, b1=b1, cov=cov, scale=scale, iterations=iterations,
                       converged=converged)


def _delta_se(fit: LogisticFit, g0, g1):
    c = fit.cov
    with np.errstate(invalid="ignore"):
        variance = g0 * g0 * c[:, 0, 0] + 2.0 * g0 * g1 * c[:, 0, 1] + g1 * g1 * c[:, 1, 1]
        return np.sqrt(variance)


def measure_sii(sets: Sets, conf: float = 0.95, fit: LogisticFit | None = None) -> Result:
    fit = fit or fit_logistic(sets)
    p0 = 1.0 / (1.0 + np.exp(-fit.b0))
    p1 = 1.0 / (1.0 + np.exp(-(fit.b0 + fit.b1)))
    difference = p1 - p0
    se = _delta_se(fit, p1 * (1.0 - p1) - p0 * (1.0 - p0), p1 * (1.0 - p1))
    lower, upper = _symmetric(difference, se, z_value(conf))
    return _finish("sii", sets, difference * fit.scale, se, lower * fit.scale, upper * fit.scale)


def measure_rii(sets: Sets, conf: float = 0.95, fit: LogisticFit | None = None) -> Result:
    fit = fit or fit_logistic(sets)
    p0 = 1.0 / (1.0 + np.exp(-fit.b0))
    p1 = 1.0 / (1.0 + np.exp(-(fit.b0 + fit.b1)))
    log_rii = np.log(p1) - np.log(p0)
    se = _delta_se(fit, p0 - p1, 1.0 - p1)
    lower, upper = _symmetric(log_rii, se, z_value(conf))
    return _finish("rii", sets, np.exp(log_rii), se, np.exp(lower), np.exp(upper))


# ---------------------------------------------------------------------------------------------
# PHE's SII and RII (phe_sii)


def phe_coefficients(pop: np.ndarray):
    """The linear functionals of phe_sii's weighted least squares, per set.

    slope = sum(c1 * y), intercept = sum(c0 * y): WLS of y on the cumulative midpoint rank with
    the population shares as weights. Being linear in y, they also serve the Monte Carlo draws.
    """
    share = pop / pop.sum(axis=1, keepdims=True)
    rank = _midpoint_rank(pop)
    xbar = np.einsum("ij,ij->i", share, rank)
    dx = rank - xbar[:, None]
    sxx = np.einsum("ij,ij,ij->i", share, dx, dx)
    c1 = share * dx / sxx[:, None]
    c0 = share - xbar[:, None] * c1
    return c0, c1


def phe_sii_rii(pop, value, multiplier=1.0, transform: str | None = None):
    """phe_sii's point estimates: (SII, RII, intercept) per set.

    `transform` None regresses the values themselves; "log" (rates) and "logit" (proportions)
    regress the transformed values and transform the fitted line back at ranks 0 and 1
    (phe_sii's transform = TRUE).
    """
    pop = np.atleast_2d(np.asarray(pop, dtype=float))
    value = np.atleast_2d(np.asarray(value, dtype=float))
    multiplier = np.asarray(multiplier, dtype=float)
    c0, c1 = phe_coefficients(pop)
    if transform is None:
        intercept = np.einsum("ij,ij->i", c0, value)
        slope = np.einsum("ij,ij->i", c1, value)
        at0, at1 = intercept, intercept + slope
    else:
        forward = {"log": np.log, "logit": lambda v: np.log(v / (1.0 - v))}[transform]
        back = {"log": np.exp, "logit": lambda t: 1.0 / (1.0 + np.exp(-t))}[transform]
        t = forward(value)
        t0 = np.einsum("ij,ij->i", c0, t)
        t1 = t0 + np.einsum("ij,ij->i", c1, t)
        at0, at1 = back(t0), back(t1)
        intercept = at0
    sii = (at1 - at0) * multiplier
    rii = at1 / at0
    rii = np.where(multiplier < 0, 1.0 / rii, rii)
    return sii, rii, intercept


def measure_sii_phe(sets: Sets, conf: float = 0.95, multiplier: float = 1.0) -> Result:
    sii, _, _ = phe_sii_rii(sets.pop, sets.est, multiplier)
    return _finish("sii_phe", sets, sii, np.nan, np.nan, np.nan)


def measure_rii_phe(sets: Sets, conf: float = 0.95, multiplier: float = 1.0) -> Result:
    _, rii, _ = phe_sii_rii(sets.pop, sets.est, multiplier)
    return _finish("rii_phe", sets, rii, np.nan, np.nan, np.nan)


def phe_sii_monte_carlo(pop, value, se, draws: int, conf: float = 0.95, multiplier: float = 1.0,
                        rng: np.random.Generator | None = None, chunk: int = 1000):
    """PHE's simulated SII and RII intervals: value_j ~ N(value_j, se_j) per draw.

    The limits are the sorted simulated SIIs (RIIs) at positions round(draws*(1-c)) and
    round(draws*c) (1-based), c = conf + (1-conf)/2, as phe_sii does. Returns
    (sii_lower, sii_upper, rii_lower, rii_upper), one entry per set; `chunk` sets at a time.
    """
    rng = rng or np.random.default_rng()
    pop = np.atleast_2d(np.asarray(pop, dtype=float))
    value = np.atleast_2d(np.asarray(value, dtype=float))
    se = np.atleast_2d(np.asarray(se, dtype=float))
    if conf >= 90:
        conf /= 100.0
    c = conf + (1.0 - conf) / 2.0
    low_position = int(round(draws * (1.0 - c))) - 1
    high_position = int(round(draws * c)) - 1
    c0, c1 = phe_coefficients(pop)
    count = pop.shape[0]
    out = [np.empty(count) for _ in range(4)]
    for start in range(0, count, chunk):
        part = slice(start, min(start + chunk, count))
        simulated = value[part, None, :] + se[part, None, :] * rng.standard_normal(
            (part.stop - part.start, draws, pop.shape[1]))
        intercept = np.einsum("idj,ij->id", simulated, c0[part])
        slope = np.einsum("idj,ij->id", simulated, c1[part])
        sii = slope * multiplier
        rii = (intercept + slope) / intercept
        if multiplier < 0:
            rii = 1.0 / rii
        for offset, sims in ((0, sii), (2, rii)):
            ordered = np.partition(sims, (low_position, high_position), axis=1)
            out[offset][part] = ordered[:, low_position]
            out[offset + 1][part] = ordered[:, high_position]
    return tuple(out)


# ---------------------------------------------------------------------------------------------

FUNCTIONS = {
    "d": measure_d, "r": measure_r, "sii": measure_sii, "rii": measure_rii, "aci": measure_aci,
    "rci": measure_rci, "bgv": measure_bgv, "bgsd": measure_bgsd, "cov": measure_cov,
    "idisu": measure_idisu, "idisw": measure_idisw, "mdbu": measure_mdbu, "mdbw": measure_mdbw,
    "mdmu": measure_mdmu, "mdmw": measure_mdmw, "mdru": measure_mdru, "mdrw": measure_mdrw,
    "ti": measure_ti, "mld": measure_mld, "par": measure_par, "paf": measure_paf,
    "sii_phe": measure_sii_phe, "rii_phe": measure_rii_phe,
}


def term_scale(measure: str, sets: Sets) -> np.ndarray:
    """The size of the terms a measure's estimate sums, per set (0 where that is the value).

    Some estimates are small differences of large terms when the subgroups are close to each
    other: TI and MLD (sums of p r ln r and p ln r), PAR and PAF (y_ref - mu), ACI and RCI and
    PHE's SII (weighted sums of deviations). Two correct implementations then differ by ~1e-16
    of the terms, which can be 1e-9 of the result. Comparisons use this as the floor of the
    relative error.
    """
    if measure in ("ti", "mld"):
        p, _, ratio, log_ratio = _theil_parts(sets)
        terms = np.abs(ratio * log_ratio) if measure == "ti" else np.abs(log_ratio)
        return 1000.0 * np.einsum("ij,ij->i", p, terms)
    if measure in ("par", "paf"):
        _, mu = _shares(sets)
        size = np.maximum(np.abs(sets.est).max(axis=1), np.abs(mu))
        return size if measure == "par" else 100.0 * size / np.abs(mu)
    if measure in ("aci", "rci"):
        p, mu = _shares(sets)
        rank = _midpoint_rank(sets.pop)
        sigma1 = np.einsum("ij,ij->i", p, (rank - 0.5) ** 2)
        target = 2.0 * sigma1[:, None] * np.abs(sets.est)
        if measure == "rci":
            target = target / np.abs(mu)[:, None]
        dx = np.abs(rank - np.einsum("ij,ij->i", p, rank)[:, None])
        return np.einsum("ij,ij,ij->i", p, dx, target) / np.einsum("ij,ij,ij->i", p, dx, dx)
    if measure == "sii_phe":
        _, c1 = phe_coefficients(sets.pop)
        return np.einsum("ij,ij->i", np.abs(c1), np.abs(sets.est))
    return np.zeros(sets.count)


def compute(measure: str, sets: Sets, conf: float = 0.95, se_on_value_scale: bool = False
            ) -> Result:
    """Computes one measure (by its stable id) for every set.

    By default SEs and intervals are healthequal's. With `se_on_value_scale` they follow
    Hälsonav's convention (docs/METHODS.md, src/stats/inequality.hpp): every SE on the scale of
    its value (SII's times the indicator scale, TI's and MLD's times 1000, PAF's times 100) and
    every interval value -+ z*se. SII's interval is the same either way; TI's, MLD's and PAF's
    are not (healthequal adds the unscaled SE to the scaled value).
    """
    result = FUNCTIONS[measure](sets, conf)
    factor = {"ti": 1000.0, "mld": 1000.0, "paf": 100.0}.get(measure)
    if measure == "sii":
        factor = _auto_scale(sets.est)
    if not se_on_value_scale or factor is None:
        return result
    se = result.se * factor
    lower, upper = _symmetric(result.value, se, z_value(conf))
    return Result(result.value, se, lower, upper, result.error)

