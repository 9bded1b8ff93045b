#include "stats/intervals.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <string>
#include <string_view>

// Methods of PHEindicatormethods (ukhsa-collaboration, commit 093fd288, December 2024) and the
// Fingertips technical guidance; docs/METHODS.md gives the formulas and their sources.

namespace halsonav::stats {
namespace {

tl::unexpected<Error> Invalid(std::string message, std::string_view field, double value) {
  nlohmann::json details = {{"field", field}};
  // NaN and infinity have no JSON number; null says "missing".
  details["value"] = std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
  return Fail(ErrorCode::kInvalidValue, std::move(message), std::move(details));
}

// Checks a count or population: present, finite and not negative (or positive).
Result<double> CheckAmount(double value, std::string_view field, std::string_view what,
                           bool must_be_positive) {
  if (std::isnan(value)) return Invalid(fmt::format("the {} is missing", what), field, value);
  if (!std::isfinite(value)) {
    return Invalid(fmt::format("the {} {} is not a finite number", what, value), field, value);
  }
  if (must_be_positive && value <= 0) {
    return Invalid(fmt::format("the {} {} is not greater than 0", what, value), field, value);
  }
  if (value < 0) return Invalid(fmt::format("the {} {} is negative", what, value), field, value);
  return value;
}

Result<double> CheckMultiplier(double multiplier) {
  return CheckAmount(multiplier, "multiplier", "multiplier", true);
}

// Byar's formulas without checks (callers have checked x >= 0, z > 0). Breslow & Day 1987,
// vol. II, p. 69: the cube-root (Wilson–Hilferty) approximation to the Poisson limits.
double ByarLowerUnchecked(double x, double z) {
  if (x <= 0) return kAbsent;
  const double root = 1.0 - 1.0 / (9.0 * x) - z / (3.0 * std::sqrt(x));
  const double lower = x * root * root * root;
  return lower < 0 ? kAbsent : lower;
}

double ByarUpperUnchecked(double x, double z) {
  const double x1 = x + 1.0;
  const double root = 1.0 - 1.0 / (9.0 * x1) + z / (3.0 * std::sqrt(x1));
  return x1 * root * root * root;
}

// The exact Poisson limits for a count x (Ulm 1990): half the chi-square quantiles with 2x and
// 2x + 2 degrees of freedom. For x = 0 the lower limit is 0 (the chi-square with 0 degrees of
// freedom is a point mass at 0).
double ExactPoissonLower(double x, double level) {
  if (x <= 0) return 0.0;
  const boost::math::chi_squared_distribution<double> chi(2.0 * x);
  return boost::math::quantile(chi, (1.0 - level) / 2.0) / 2.0;
}

double ExactPoissonUpper(double x, double level) {
  const boost::math::chi_squared_distribution<double> chi(2.0 * x + 2.0);
  return boost::math::quantile(chi, level + (1.0 - level) / 2.0) / 2.0;
}

}  // namespace

Result<Estimate> Proportion(double x, double n, double conf, double multiplier) {
  auto confidence = MakeConfidence(conf);
  if (!confidence) return tl::unexpected(confidence.error());
  if (auto checked = CheckAmount(x, "numerator", "numerator", false); !checked) {
    return tl::unexpected(checked.error());
  }
  if (auto checked = CheckAmount(n, "denominator", "denominator", true); !checked) {
    return tl::unexpected(checked.error());
  }
  if (auto checked = CheckMultiplier(multiplier); !checked) return tl::unexpected(checked.error());
  if (x > n) {
    return Invalid(fmt::format("the numerator {} is larger than the denominator {}", x, n),
                   "numerator", x);
  }
  // Wilson's score interval, written as PHEindicatormethods' wilson_lower/wilson_upper.
  const double z = confidence->z;
  const double centre = 2.0 * x + z * z;
  const double spread = z * std::sqrt(z * z + 4.0 * x * (1.0 - x / n));
  const double scale = 2.0 * (n + z * z);
  const double p = x / n;
  Estimate estimate;
  estimate.value = p * multiplier;
  estimate.se = std::sqrt(p * (1.0 - p) / n) * multiplier;
  estimate.lower = (centre - spread) / scale * multiplier;
  estimate.upper = (centre + spread) / scale * multiplier;
  estimate.confidence = confidence->level;
  estimate.method = "wilson";
  return estimate;
}

Result<double> ByarLower(double x, double z) {
  if (auto checked = CheckAmount(x, "x", "count", false); !checked) {
    return tl::unexpected(checked.error());
  }
  if (auto checked = CheckAmount(z, "z", "normal quantile z", true); !checked) {
    return tl::unexpected(checked.error());
  }
  return ByarLowerUnchecked(x, z);
}

Result<double> ByarUpper(double x, double z) {
  if (auto checked = CheckAmount(x, "x", "count", false); !checked) {
    return tl::unexpected(checked.error());
  }
  if (auto checked = CheckAmount(z, "z", "normal quantile z", true); !checked) {
    return tl::unexpected(checked.error());
  }
  return ByarUpperUnchecked(x, z);
}

Result<Estimate> Rate(double x, double n, double conf, double multiplier) {
  auto confidence = MakeConfidence(conf);
  if (!confidence) return tl::unexpected(confidence.error());
  if (auto checked = CheckAmount(x, "numerator", "numerator", false); !checked) {
    return tl::unexpected(checked.error());
  }
  if (auto checked = CheckAmount(n, "denominator", "denominator", true); !checked) {
    return tl::unexpected(checked.error());
  }
  if (auto checked = CheckMultiplier(multiplier); !checked) return tl::unexpected(checked.error());
  Estimate estimate;
  estimate.value = x / n * multiplier;
  estimate.se = std::sqrt(x) / n * multiplier;
  estimate.confidence = confidence->level;
  // Byar's approximation is poor for few events; PHE switches to the exact limits below 10.
  if (x < 10) {
    estimate.lower = ExactPoissonLower(x, confidence->level) / n * multiplier;
    estimate.upper = ExactPoissonUpper(x, confidence->level) / n * multiplier;
    estimate.method = "exact_poisson";
  } else {
    estimate.lower = ByarLowerUnchecked(x, confidence->z) / n * multiplier;
    estimate.upper = ByarUpperUnchecked(x, confidence->z) / n * multiplier;
    estimate.method = "byar";
  }
  return estimate;
}

Result<Estimate> MeanFromSummary(double sum, double count, double sd, double conf) {
  auto confidence = MakeConfidence(conf);
  if (!confidence) return tl::unexpected(confidence.error());
  if (auto checked = CheckAmount(count, "value_count", "count of values", true); !checked) {
    return tl::unexpected(checked.error());
  }
  if (count != std::floor(count)) {
    return Invalid(fmt::format("the count of values {} is not a whole number", count),
                   "value_count", count);
  }
  if (!std::isfinite(sum)) {
    return Invalid(std::isnan(sum) ? std::string("the sum of the values is missing")
                                   : fmt::format("the sum of the values {} is not finite", sum),
                   "value_sum", sum);
  }
  Estimate estimate;
  estimate.value = sum / count;
  estimate.confidence = confidence->level;
  estimate.method = "student_t";
  if (count < 2) {
    // One value has no sample standard deviation (n - 1 = 0): nothing to say about spread.
    estimate.note = "one value only: no standard deviation, so no confidence interval";
    return estimate;
  }
  if (auto checked = CheckAmount(sd, "stdev", "standard deviation", false); !checked) {
    return tl::unexpected(checked.error());
  }
  const boost::math::students_t_distribution<double> t(count - 1.0);
  const double t_quantile = boost::math::quantile(t, 1.0 - (1.0 - confidence->level) / 2.0);
  estimate.se = sd / std::sqrt(count);
  estimate.lower = estimate.value - t_quantile * estimate.se;
  estimate.upper = estimate.value + t_quantile * estimate.se;
  return estimate;
}

Result<Estimate> Mean(std::span<const double> values, double conf) {
  if (values.empty()) {
    return Fail(ErrorCode::kInvalidValue, "there are no values to average", {{"field", "values"}});
  }
  for (std::size_t value_idx = 0; value_idx < values.size(); ++value_idx) {
    const double value = values[value_idx];
    if (!std::isfinite(value)) {
      return Invalid(std::isnan(value) ? fmt::format("value {} is missing", value_idx + 1)
                                       : fmt::format("value {} ({}) is not a finite number",
                                                     value_idx + 1, value),
                     "values", value);
    }
  }
  const double count = static_cast<double>(values.size());
  const double sum = std::accumulate(values.begin(), values.end(), 0.0);
  // Two passes (mean, then squared deviations) keep the variance accurate for large values.
  const double mean = sum / count;
  double squares = 0.0;
  for (const double value : values) squares += (value - mean) * (value - mean);
  const double sd = values.size() > 1 ? std::sqrt(squares / (count - 1.0)) : kAbsent;
  return MeanFromSummary(sum, count, sd, conf);
}

Result<Estimate> NormalInterval(double value, double se, double conf) {
  auto confidence = MakeConfidence(conf);
  if (!confidence) return tl::unexpected(confidence.error());
  if (!std::isfinite(value)) {
    return Invalid(std::isnan(value) ? std::string("the estimate is missing")
                                     : fmt::format("the estimate {} is not finite", value),
                   "value", value);
  }
  if (auto checked = CheckAmount(se, "se", "standard error", false); !checked) {
    return tl::unexpected(checked.error());
  }
  Estimate estimate;
  estimate.value = value;
  estimate.se = se;
  estimate.lower = value - confidence->z * se;
  estimate.upper = value + confidence->z * se;
  estimate.confidence = confidence->level;
  estimate.method = "normal";
  return estimate;
}

Result<std::vector<std::optional<int>>> AssignQuantiles(std::span<const double> values,
                                                        int n_quantiles, bool invert) {
  if (n_quantiles < 1) {
    return Fail(ErrorCode::kInvalidValue,
                fmt::format("the number of quantiles {} is not at least 1", n_quantiles),
                {{"field", "nquantiles"}, {"value", n_quantiles}});
  }
  // The present values, sorted by their ranking key (the value, or its negation when inverted).
  std::vector<double> keys;
  keys.reserve(values.size());
  for (std::size_t value_idx = 0; value_idx < values.size(); ++value_idx) {
    const double value = values[value_idx];
    if (std::isnan(value)) continue;
    if (!std::isfinite(value)) {
      return Invalid(fmt::format("value {} ({}) is not a finite number", value_idx + 1, value),
                     "values", value);
    }
    keys.push_back(invert ? -value : value);
  }
  const auto present = static_cast<double>(keys.size());
  if (keys.size() < static_cast<std::size_t>(n_quantiles)) {
    return Fail(ErrorCode::kInvalidValue,
                fmt::format("{} values (not counting missing ones) cannot be split into {} "
                            "quantiles: at least as many values as quantiles are needed",
                            keys.size(), n_quantiles),
                {{"field", "values"}, {"present", keys.size()}, {"nquantiles", n_quantiles}});
  }
  std::sort(keys.begin(), keys.end());
  const double group_size = present / n_quantiles;
  std::vector<std::optional<int>> quantiles(values.size());
  for (std::size_t value_idx = 0; value_idx < values.size(); ++value_idx) {
    const double value = values[value_idx];
    if (std::isnan(value)) continue;
    // R's rank(ties.method = "min"): 1 + the number of keys strictly below this one.
    const double key = invert ? -value : value;
    const auto below = std::lower_bound(keys.begin(), keys.end(), key) - keys.begin();
    const double rank = static_cast<double>(below) + 1.0;
    const double q = std::floor((n_quantiles + 1) - std::ceil((present + 1 - rank) / group_size));
    quantiles[value_idx] = q < 1 ? 1 : static_cast<int>(q);
  }
  return quantiles;
}

}  // namespace halsonav::stats
