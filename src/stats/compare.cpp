#include "stats/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

// The rules are those of Fingertips (Public Health England, now OHID/UKHSA): the comparators
// "CI overlapping reference value" and "overlapping CIs" of the Fingertips source
// (ukhsa-collaboration/fingertips-open, PholioVisualisation.Analysis: SingleOverlappingCIsComparer
// and DoubleOverlappingCIsComparer) and the PHE Technical Guide "RAG rating indicator values"
// (2017). See docs/METHODS.md, "Comparison with a benchmark".

namespace halsonav::stats {
namespace {

// One interval of a ValueWithIntervals, by level.
struct Interval {
  double lower = kAbsent;
  double upper = kAbsent;
};

Interval At(const ValueWithIntervals& figure, double confidence) {
  return confidence == kConf95 ? Interval{figure.lower_95, figure.upper_95}
                               : Interval{figure.lower_998, figure.upper_998};
}

std::string_view LevelLabel(double confidence) { return confidence == kConf95 ? "95 %" : "99.8 %"; }

tl::unexpected<Error> Invalid(std::string message, std::string_view field, double value) {
  return Fail(ErrorCode::kInvalidValue, std::move(message), {{"field", field}, {"value", value}});
}

// Checks one figure (the area's or the benchmark's): finite numbers, ordered limits, the value
// inside each interval, the 99.8 % interval at least as wide as the 95 % one.
std::optional<tl::unexpected<Error>> CheckFigure(const ValueWithIntervals& figure,
                                                 std::string_view who) {
  const std::pair<double, std::string_view> fields[] = {
      {figure.value, "value"},         {figure.lower_95, "lower_95"},
      {figure.upper_95, "upper_95"},   {figure.lower_998, "lower_998"},
      {figure.upper_998, "upper_998"},
  };
  for (const auto& [number, field] : fields) {
    if (std::isinf(number)) {
      return Invalid(fmt::format("the {}'s {} is infinite", who, field),
                     fmt::format("{}.{}", who, field), number);
    }
  }
  for (const double confidence : {kConf95, kConf998}) {
    const Interval interval = At(figure, confidence);
    const std::string_view level = LevelLabel(confidence);
    if (Present(interval.lower) && Present(interval.upper) && interval.lower > interval.upper) {
      return Invalid(fmt::format("the {}'s {} interval [{}, {}] has its lower limit above its "
                                 "upper limit",
                                 who, level, interval.lower, interval.upper),
                     fmt::format("{}.lower", who), interval.lower);
    }
    const bool below = Present(interval.lower) && figure.value < interval.lower;
    const bool above = Present(interval.upper) && figure.value > interval.upper;
    if (Present(figure.value) && (below || above)) {
      return Invalid(fmt::format("the {}'s value {} lies outside its {} interval [{}, {}]", who,
                                 figure.value, level, interval.lower, interval.upper),
                     fmt::format("{}.value", who), figure.value);
    }
  }
  // The same estimate at a higher confidence has the wider interval; equal limits are allowed
  // because published limits are rounded.
  const bool narrower_below =
      Present(figure.lower_95) && Present(figure.lower_998) && figure.lower_998 > figure.lower_95;
  const bool narrower_above =
      Present(figure.upper_95) && Present(figure.upper_998) && figure.upper_998 < figure.upper_95;
  if (narrower_below || narrower_above) {
    return Invalid(
        fmt::format("the {}'s 99.8 % interval [{}, {}] is narrower than its 95 % "
                    "interval [{}, {}]",
                    who, figure.lower_998, figure.upper_998, figure.lower_95, figure.upper_95),
        fmt::format("{}.lower_998", who), figure.lower_998);
  }
  return std::nullopt;
}

// What is missing for a comparison at `confidence`, in words; empty when nothing is.
std::string MissingInterval(const Interval& interval, std::string_view who, double confidence) {
  const std::string_view level = LevelLabel(confidence);
  if (!Present(interval.lower) && !Present(interval.upper)) {
    return fmt::format("the {} has no {} interval", who, level);
  }
  if (!Present(interval.lower)) return fmt::format("the {} has no lower {} limit", who, level);
  if (!Present(interval.upper)) return fmt::format("the {} has no upper {} limit", who, level);
  return {};
}

// "Higher" or "lower" turned into better / worse by the indicator's direction.
ComparisonOutcome Judge(bool higher, Direction direction) {
  switch (direction) {
    case Direction::kHigher:
      return higher ? ComparisonOutcome::kBetter : ComparisonOutcome::kWorse;
    case Direction::kLower:
      return higher ? ComparisonOutcome::kWorse : ComparisonOutcome::kBetter;
    case Direction::kNone:
      break;
  }
  return higher ? ComparisonOutcome::kHigher : ComparisonOutcome::kLower;
}

LevelComparison ValueInInterval(const ValueWithIntervals& area, double benchmark,
                                Direction direction, double confidence) {
  const Interval interval = At(area, confidence);
  LevelComparison level{confidence, ComparisonOutcome::kNotCompared, interval.lower,
                        interval.upper};
  if (!Present(area.value)) {
    level.reason = "the area has no value";
  } else if (!Present(benchmark)) {
    level.reason = "the benchmark has no value";
  } else if (std::string missing = MissingInterval(interval, "area", confidence);
             !missing.empty()) {
    level.reason = std::move(missing);
  } else if (interval.lower <= benchmark && benchmark <= interval.upper) {
    level.outcome = ComparisonOutcome::kSimilar;
  } else {
    level.outcome = Judge(area.value > benchmark, direction);
  }
  return level;
}

LevelComparison Overlap(const ValueWithIntervals& area, const ValueWithIntervals& benchmark,
                        Direction direction, double confidence) {
  const Interval interval = At(area, confidence);
  const Interval other = At(benchmark, confidence);
  LevelComparison level{confidence,     ComparisonOutcome::kNotCompared,
                        interval.lower, interval.upper,
                        other.lower,    other.upper};
  if (!Present(area.value)) {
    level.reason = "the area has no value";
  } else if (!Present(benchmark.value)) {
    level.reason = "the benchmark has no value";
  } else if (std::string missing = MissingInterval(interval, "area", confidence);
             !missing.empty()) {
    level.reason = std::move(missing);
  } else if (std::string other_missing = MissingInterval(other, "benchmark", confidence);
             !other_missing.empty()) {
    level.reason = std::move(other_missing);
  } else if (std::max(interval.lower, other.lower) <= std::min(interval.upper, other.upper)) {
    level.outcome = ComparisonOutcome::kSimilar;
  } else {
    // Disjoint intervals each holding their value: the values differ in the same sense.
    level.outcome = Judge(area.value > benchmark.value, direction);
  }
  return level;
}

}  // namespace

Result<BenchmarkComparison> CompareWithBenchmarkValue(const ValueWithIntervals& area,
                                                      double benchmark, Direction direction) {
  if (auto error = CheckFigure(area, "area")) return *error;
  if (std::isinf(benchmark))
    return Invalid("the benchmark value is infinite", "benchmark", benchmark);
  return BenchmarkComparison{"value_in_interval",
                             direction,
                             area.value,
                             benchmark,
                             ValueInInterval(area, benchmark, direction, kConf95),
                             ValueInInterval(area, benchmark, direction, kConf998)};
}

Result<BenchmarkComparison> CompareIntervalOverlap(const ValueWithIntervals& area,
                                                   const ValueWithIntervals& benchmark,
                                                   Direction direction) {
  if (auto error = CheckFigure(area, "area")) return *error;
  if (auto error = CheckFigure(benchmark, "benchmark")) return *error;
  return BenchmarkComparison{"interval_overlap",
                             direction,
                             area.value,
                             benchmark.value,
                             Overlap(area, benchmark, direction, kConf95),
                             Overlap(area, benchmark, direction, kConf998)};
}

}  // namespace halsonav::stats
