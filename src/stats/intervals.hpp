#pragma once

// Confidence intervals and estimators for single figures: proportions (Wilson), crude rates
// (exact Poisson / Byar), means (Student's t), a normal interval from an estimate and its SE,
// and quantile groups. The methods of PHEindicatormethods (docs/METHODS.md, "Confidence
// intervals and estimators"). Pure functions; thread-safe.
//
// Every function checks its input: a missing (NaN), infinite or impossible value is an error
// (ErrorCode::kInvalidValue) whose message names the value; `details` holds {"field", "value"}.
// `conf` is a confidence level as MakeConfidence accepts it (0.95 or 95, 0.998 or 99.8).

#include <optional>
#include <span>
#include <vector>

#include "stats/estimate.hpp"

namespace halsonav::stats {

// The proportion x/n × multiplier (1 for a proportion, 100 for a percentage) with the Wilson
// score interval (Wilson 1927); `se` is the binomial sqrt(p(1-p)/n) × multiplier. Errors: x or
// n missing, x < 0, n <= 0, x > n, multiplier <= 0. Method "wilson".
Result<Estimate> Proportion(double x, double n, double conf = kConf95, double multiplier = 1);

// Byar's approximation to the lower and upper limits of a Poisson count x (Breslow & Day 1987),
// for the two-sided standard normal quantile z (Confidence::z). The lower limit is kAbsent where
// the formula falls below 0 (very small x, e.g. x = 1 at 99.8 %; always for x = 0).
// Errors: x missing or < 0, z missing or <= 0.
Result<double> ByarLower(double x, double z);
Result<double> ByarUpper(double x, double z);

// The crude rate x/n × multiplier. The interval is the exact Poisson one (chi-square quantiles,
// Ulm 1990; method "exact_poisson") for x < 10 and Byar's otherwise (method "byar"), as
// PHEindicatormethods' phe_rate; `se` is sqrt(x)/n × multiplier. x may exceed n (events per
// person-year). Errors: x or n missing, x < 0, n <= 0, multiplier <= 0.
Result<Estimate> Rate(double x, double n, double conf = kConf95, double multiplier = 100000);

// The mean of `values` with the Student's t interval mean ± t(n-1) × sd/sqrt(n), sd the sample
// standard deviation (n-1); `se` = sd/sqrt(n). With one value the interval is absent (note says
// why). Errors: no values, a missing or infinite value (named by its 1-based position).
// Method "student_t".
Result<Estimate> Mean(std::span<const double> values, double conf = kConf95);

// The same from a summary: the sum of the values, their count and their sample standard
// deviation (PHE's value_sum, value_count, stdev). Errors: count < 1 or not whole, sum missing,
// sd missing (when count > 1) or < 0.
Result<Estimate> MeanFromSummary(double sum, double count, double sd, double conf = kConf95);

// The normal (Wald) interval value ± z × se for an estimate with a known standard error.
// Errors: value or se missing or infinite, se < 0. Method "normal".
Result<Estimate> NormalInterval(double value, double se, double conf = kConf95);

// Assigns each value a quantile group 1..n_quantiles as PHEindicatormethods' phe_quantile: the
// values are ranked (ties take the lowest rank), ascending, or descending when `invert` (so the
// highest value is in group 1), and with N present values
//   q = floor((n_quantiles + 1) - ceil((N + 1 - rank) / (N / n_quantiles))), 0 becoming 1.
// Missing (NaN) values are skipped and get no group (nullopt); the result has one entry per
// value. Errors: n_quantiles < 1, an infinite value, fewer present values than n_quantiles.
Result<std::vector<std::optional<int>>> AssignQuantiles(std::span<const double> values,
                                                        int n_quantiles, bool invert);

}  // namespace halsonav::stats
