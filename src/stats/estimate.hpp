#pragma once

// The common vocabulary of the statistics engine (docs/METHODS.md): an estimate with its standard
// error and confidence interval, and the confidence level. Pure functions; no I/O.

#include <string_view>

#include "core/error.hpp"
#include "core/statistics.hpp"

namespace halsonav::stats {

// A confidence level as a fraction in (0, 1). PHEindicatormethods also accepts 95 or 99.8; any
// value of 90 or more is divided by 100 (FORMULAS.md), so 95 → 0.95.
struct Confidence {
  double level = 0.95;
  double z = 1.959963984540054;  // the two-sided standard normal quantile for `level`
};

// Checks and normalises a confidence level: 0.95, 95, 0.998 and 99.8 are accepted; anything that
// does not end up strictly between 0 and 1 is an error naming the value.
Result<Confidence> MakeConfidence(double level);

// The standard normal quantile z such that P(|Z| <= z) = level (level in (0, 1)).
double TwoSidedZ(double level);

// The 95 % and 99.8 % levels Fingertips uses for its comparisons.
inline constexpr double kConf95 = 0.95;
inline constexpr double kConf998 = 0.998;

// One estimate. Every field the method does not define stays kAbsent (NaN; JSON null); `note`
// says why a defined field is absent (e.g. Byar's lower limit below 0 for very few events).
struct Estimate {
  double value = kAbsent;
  double se = kAbsent;     // standard error, on the scale `se_scale` names
  double lower = kAbsent;  // confidence interval at `confidence`
  double upper = kAbsent;
  double confidence = kConf95;
  std::string_view method;    // a stable lowercase name, e.g. "wilson", "byar", "exact_poisson"
  std::string_view se_scale;  // empty: the value's scale; e.g. "log" for ln(RII)
  std::string_view note;      // static text, empty when nothing to say
};

}  // namespace halsonav::stats
