#pragma once

// Summary measures of health inequality between the subgroups of one population (docs/METHODS.md,
// "Measures of inequality"): the 21 measures of WHO's Health Equity Assessment Toolkit (HEAT) as
// the R package healthequal computes them, PHE's slope and relative index of inequality
// (PHEindicatormethods::phe_sii) and simple gaps between two subgroups. Pure functions; no I/O.
//
// Thread safety: every function may be called from many threads at once. The functions keep no
// state between calls except a per-thread buffer for simulation draws.
//
// Speed: the analytic path of every measure (everything but the simulated intervals) allocates
// nothing when the set has at most 64 subgroups, so a loop over millions of sets runs at the
// speed of arithmetic; errors allocate their message.

#include <cstdint>
#include <span>
#include <string_view>

#include "stats/estimate.hpp"

namespace halsonav::stats {

// The subgroups of one population for one indicator (e.g. the five wealth quintiles, or the
// 21 regions, of Sweden for one indicator and year). Spans point at the caller's arrays, which
// must outlive the call; all non-empty per-subgroup spans have the same length as `estimate`.
struct SubgroupSet {
  std::span<const double> estimate;    // required; every entry present and finite
  std::span<const double> se;          // empty: none; a NaN entry: that subgroup has none
  std::span<const double> population;  // empty: not given; else every entry finite and >= 0
  std::span<const int> order;          // subgroup_order, from most disadvantaged (lowest) to
                                       // most advantaged; required and distinct if `ordered`
  std::span<const double> lower;       // optional 95 % limits of each estimate (PHE derives its
  std::span<const double> upper;       // standard errors from them); empty or both given
  int reference = -1;                  // index of the reference subgroup; -1: none
  bool ordered = false;                // the dimension is ordered (wealth, education)
  bool favourable = true;  // higher is better (skilled birth attendance); false: adverse
  double scale = kAbsent;  // indicator scale: 100 for %, 1000 per 1,000; absent: healthequal's
                           // automatic rule (the smallest of 1, 100, 1000, ... that holds
                           // every estimate)
  double setting_average = kAbsent;  // optional national average (IDISU, MDMU; PAR and PAF
                                     // when populations are not given)
};

// How PHE's SII treats the indicator (PHEindicatormethods `value_type`).
enum class PheValueType {
  kNormal,      // 0: values and limits used as they are (e.g. life expectancy)
  kRate,        // 1: log scale for the simulation (and the fit when `phe_transform`)
  kProportion,  // 2: logit of estimate/scale for the simulation (and the fit)
};

// Options for all measures: a typed struct with defaults that follow WHO and PHE.
struct MeasureOptions {
  Confidence confidence;        // level and z; build with MakeConfidence (default 95 %)
  int who_simulations = 100;    // draws for WHO's simulated intervals (BGSD, COV, IDIS*, MD*);
                                // 0: no simulated interval
  std::uint64_t seed = 123456;  // seed of every simulation (healthequal's default)
  PheValueType phe_value_type = PheValueType::kNormal;
  bool phe_transform = false;    // fit PHE's regression on the log/logit scale (rates and
                                 // proportions) and back-transform at ranks 0 and 1
  double phe_multiplier = 1;     // PHE's multiplier of the SII; negative also inverts the RII
  int phe_repetitions = 100000;  // Monte Carlo draws of PHE's interval; 0: point estimate only
  int gap_first = -1;            // gap_difference and gap_ratio: first minus / over second
  int gap_second = -1;           // subgroup index; -1: the default pair (see GapDifference)
};

// The signature every measure shares.
using MeasureFunction = Result<Estimate> (*)(const SubgroupSet&, const MeasureOptions&);

// One entry of the registry of measures.
struct MeasureInfo {
  std::string_view id;    // stable lowercase id: "sii", "bgv", "gap_ratio"
  std::string_view name;  // English name
  bool ordered;           // applicable to ordered dimensions
  bool non_ordered;       // applicable to non-ordered dimensions
  bool has_se;            // reports a standard error (else at most a simulated interval)
  bool simulated;         // its interval is simulated (Monte Carlo), given se or limits
  int min_groups;         // fewest subgroups it accepts
  MeasureFunction compute;
};

// All measures, in a fixed order (the 21 HEAT measures, then PHE's two, then the gaps).
std::span<const MeasureInfo> Measures();

// The registry entry of `id`, or nullptr.
const MeasureInfo* FindMeasure(std::string_view id);

// Computes measure `id` for `set`. Errors (kInvalidParameter for an unknown id, kInvalidValue
// for the rest) say what is wrong and where: an unknown id, a measure that does not apply to the
// set's kind of dimension (SII for regions), too few subgroups, missing or non-finite estimates,
// negative or missing populations, negative standard errors, duplicate or missing orders, a
// reference index out of range, a missing reference where one is needed, a bad confidence level.
// A value the method itself leaves undefined (a ratio over 0) is kAbsent with `note` saying why.
Result<Estimate> ComputeMeasure(std::string_view id, const SubgroupSet& set,
                                const MeasureOptions& options);

// ---- The measures one by one (what ComputeMeasure calls) ---------------------------------------
// p_j = population share, mu = sum p_j y_j. Every Estimate's `se` is on the scale of its value
// unless `se_scale` says "log" (then it is the SE of the logarithm and the interval is
// exp(log value -+ z se)). healthequal reports the SEs of TI and MLD without their factor 1000
// and the SE of PAF as a fraction, and that of SII on the 0-1 scale; here all are multiplied to
// the value's scale, so that every interval is value -+ z se (docs/METHODS.md).

// D: y1 - y2. Ordered: most minus least advantaged (highest minus lowest order) for a favourable
// indicator, least minus most advantaged for an adverse one. Non-ordered without a reference:
// highest minus lowest estimate; with one: reference minus lowest (favourable) or highest minus
// reference (adverse). SE sqrt(se1^2 + se2^2) when both are given.
Result<Estimate> Difference(const SubgroupSet& set, const MeasureOptions& options);
// R: y1 / y2 with the pair of D; SE of ln R sqrt(se1^2/y1^2 + se2^2/y2^2) (se_scale "log").
Result<Estimate> Ratio(const SubgroupSet& set, const MeasureOptions& options);
// SII (WHO): logistic (quasibinomial) regression of round(y/scale*pop) events out of pop on the
// midpoint rank with weights pop; SII = (expit(b0+b1) - expit(b0)) * scale; SE by the delta
// method with the HC1 sandwich covariance. Ordered only.
Result<Estimate> Sii(const SubgroupSet& set, const MeasureOptions& options);
// RII (WHO): expit(b0+b1) / expit(b0) of the same fit; SE of ln RII (se_scale "log").
Result<Estimate> Rii(const SubgroupSet& set, const MeasureOptions& options);
// ACI: 2 sum p (rank - 0.5)(y - mu) by the "convenient regression"; OLS SE. Ordered only.
Result<Estimate> Aci(const SubgroupSet& set, const MeasureOptions& options);
// RCI: ACI / mu (not times 100), SE likewise.
Result<Estimate> Rci(const SubgroupSet& set, const MeasureOptions& options);
// BGV: sum p (y - mu)^2 with WHO's (Ahn 2018) SE. Non-ordered only, as the rest below to Mld.
Result<Estimate> Bgv(const SubgroupSet& set, const MeasureOptions& options);
// BGSD: sqrt(BGV); simulated interval.
Result<Estimate> Bgsd(const SubgroupSet& set, const MeasureOptions& options);
// COV: 100 * BGSD / mu; simulated interval.
Result<Estimate> Cov(const SubgroupSet& set, const MeasureOptions& options);
// IDISU: 100 * mean |y - m| / m, m = the setting average if given, else mu; simulated interval.
Result<Estimate> Idisu(const SubgroupSet& set, const MeasureOptions& options);
// IDISW: 100 * sum p |y - mu| / mu; simulated interval.
Result<Estimate> Idisw(const SubgroupSet& set, const MeasureOptions& options);
// MDBU / MDBW: mean (unweighted / population-weighted) |y - best|, best = the highest estimate
// (favourable) or the lowest (adverse); simulated interval.
Result<Estimate> Mdbu(const SubgroupSet& set, const MeasureOptions& options);
Result<Estimate> Mdbw(const SubgroupSet& set, const MeasureOptions& options);
// MDMU: mean |y - m| (m as for IDISU); MDMW: sum p |y - mu|; simulated interval.
Result<Estimate> Mdmu(const SubgroupSet& set, const MeasureOptions& options);
Result<Estimate> Mdmw(const SubgroupSet& set, const MeasureOptions& options);
// MDRU / MDRW: mean |y - y_reference|, unweighted / weighted; need a reference subgroup.
Result<Estimate> Mdru(const SubgroupSet& set, const MeasureOptions& options);
Result<Estimate> Mdrw(const SubgroupSet& set, const MeasureOptions& options);
// TI: 1000 * sum p r ln r, r = y / mu (an estimate of 0 counts as 1e-6, as in healthequal).
Result<Estimate> Theil(const SubgroupSet& set, const MeasureOptions& options);
// MLD: 1000 * sum p (-ln r).
Result<Estimate> Mld(const SubgroupSet& set, const MeasureOptions& options);
// PAR: y_ref - mu, 0 when its sign says no improvement is possible; y_ref = the highest order
// (ordered) or the best estimate (non-ordered). SE mu * (Walter's SE of the fraction).
Result<Estimate> Par(const SubgroupSet& set, const MeasureOptions& options);
// PAF: 100 * PAR / mu (before the 0 rule: same rule), SE 100 * Walter's SE.
Result<Estimate> Paf(const SubgroupSet& set, const MeasureOptions& options);
// PHE's SII: weighted least squares of y on the cumulative midpoint rank (weights = population
// shares) times `phe_multiplier`; interval from `phe_repetitions` Monte Carlo draws of every
// subgroup (seeded: the same seed gives the same interval). Ordered only, at least 5 quantiles.
Result<Estimate> SiiPhe(const SubgroupSet& set, const MeasureOptions& options);
// PHE's RII: (b0 + b1) / b0 of the same fit (inverted for a negative multiplier).
Result<Estimate> RiiPhe(const SubgroupSet& set, const MeasureOptions& options);
// The difference of two subgroups (women - men, lowest - highest education): options.gap_first
// minus options.gap_second. Default pair: ordered, the lowest order minus the highest; non-ordered
// with exactly two subgroups, the non-reference minus the reference (else the first minus the
// second); with more than two subgroups the pair must be given. SE sqrt(se1^2 + se2^2).
Result<Estimate> GapDifference(const SubgroupSet& set, const MeasureOptions& options);
// The ratio of the same pair, with its interval on the log scale when both estimates are > 0.
Result<Estimate> GapRatio(const SubgroupSet& set, const MeasureOptions& options);

// healthequal's automatic indicator scale for these estimates: 1 if all are <= 1, else 100 if all
// are <= 100, then 1000, 10^4, 10^5, else 10^6.
double AutomaticScale(std::span<const double> estimate);

}  // namespace halsonav::stats
