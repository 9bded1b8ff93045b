#pragma once

// Comparison of an area's value with a benchmark (the county, Riket or another area) as England's
// Fingertips does it (docs/METHODS.md, "Comparison with a benchmark"). Pure functions;
// thread-safe.
//
// Both functions compare at the two levels Fingertips shows, 95 % and 99.8 %, each with the
// intervals the caller gives for that level. A value or interval that is missing (kAbsent) is no
// error: that level's outcome is kNotCompared and `reason` says what is missing. Bad input is an
// error (ErrorCode::kInvalidValue) whose message says what and where: an infinite number, a lower
// limit above its upper limit, a value outside its own interval, a 99.8 % interval narrower than
// the 95 % one.

#include <string>
#include <string_view>

#include "core/statistics.hpp"
#include "stats/estimate.hpp"

namespace halsonav::stats {

// The outcome at one level. An indicator with a direction (Direction::kHigher: higher is better,
// kLower: lower is better) is better / similar / worse than its benchmark; one without a
// direction (kNone) is higher / similar / lower. The API id is ToString(outcome): "better",
// "similar", "worse", "higher", "lower", "not_compared".
enum class ComparisonOutcome { kBetter, kSimilar, kWorse, kHigher, kLower, kNotCompared };

// A value with its 95 % and its 99.8 % confidence interval. Any field may be kAbsent (e.g.
// Byar's lower limit for very few events): the comparisons that need it are then not made.
struct ValueWithIntervals {
  double value = kAbsent;
  double lower_95 = kAbsent;
  double upper_95 = kAbsent;
  double lower_998 = kAbsent;
  double upper_998 = kAbsent;
};

// The comparison at one confidence level, with the figures it used.
struct LevelComparison {
  double confidence = kConf95;  // 0.95 or 0.998
  ComparisonOutcome outcome = ComparisonOutcome::kNotCompared;
  double lower = kAbsent;  // the area's interval at this level
  double upper = kAbsent;
  double benchmark_lower = kAbsent;  // the benchmark's interval (interval overlap only)
  double benchmark_upper = kAbsent;
  std::string reason;  // why the level was not compared; empty when it was
};

// Both levels of one comparison.
struct BenchmarkComparison {
  std::string_view method;  // "value_in_interval" or "interval_overlap"
  Direction direction = Direction::kNone;
  double value = kAbsent;      // the area's value
  double benchmark = kAbsent;  // the benchmark's value
  LevelComparison at_95;
  LevelComparison at_998;
};

// Fingertips' default rule, "confidence interval overlapping the benchmark value": at each level
// the area is similar when the benchmark value lies within the area's interval (limits
// included); otherwise it is higher or lower (better or worse by `direction`) as its value is
// above or below the benchmark. The benchmark's own interval plays no part. Method
// "value_in_interval".
Result<BenchmarkComparison> CompareWithBenchmarkValue(const ValueWithIntervals& area,
                                                      double benchmark, Direction direction);

// Fingertips' "overlapping confidence intervals" rule for comparing with a benchmark that has its
// own interval (e.g. two areas): at each level the two are similar when their intervals overlap
// (touching counts as overlapping); otherwise the area is higher or lower as its value is above or
// below the benchmark's. Conservative: two 95 % intervals that just touch correspond to a
// difference significant well beyond 95 % (docs/METHODS.md). Method "interval_overlap".
Result<BenchmarkComparison> CompareIntervalOverlap(const ValueWithIntervals& area,
                                                   const ValueWithIntervals& benchmark,
                                                   Direction direction);

}  // namespace halsonav::stats

namespace halsonav {

template <>
struct EnumNames<stats::ComparisonOutcome> {
  static constexpr std::array<std::pair<stats::ComparisonOutcome, std::string_view>, 6> kValues{{
      {stats::ComparisonOutcome::kBetter, "better"},
      {stats::ComparisonOutcome::kSimilar, "similar"},
      {stats::ComparisonOutcome::kWorse, "worse"},
      {stats::ComparisonOutcome::kHigher, "higher"},
      {stats::ComparisonOutcome::kLower, "lower"},
      {stats::ComparisonOutcome::kNotCompared, "not_compared"},
  }};
};

}  // namespace halsonav
