// Comparison with a benchmark and trends (src/stats/compare.hpp, src/stats/trends.hpp).
//
// Expected values are of three kinds, each named where it is used:
// - published: the outcomes and statistics Fingertips' own test-suites assert for their data
//   (ukhsa-collaboration/fingertips-open TrendMarkerCalculatorTest and
//   DoubleOverlappingCIsComparerTest; dhsc-govuk/FingertipsNext TrendMarkerCalculatorTests, whose
//   data are real Fingertips series);
// - by hand: worked out from the formulas in docs/METHODS.md (the arithmetic is in the comments);
// - numpy: the deterministic series of TrendsDump.Json are checked by the independent numpy
//   implementation tests/reference/trends_numpy.py (reference.trends_numpy).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "stats/compare.hpp"
#include "stats/trends.hpp"

namespace halsonav::stats {
namespace {

constexpr double kNaN = kAbsent;

// ---- Comparison with a benchmark ---------------------------------------------------------------

// An area of 12 with 95 % interval [10, 14] and 99.8 % interval [9, 15].
const ValueWithIntervals kArea{12, 10, 14, 9, 15};

TEST(CompareWithBenchmarkValue, OutcomesByDirectionAndLevel) {
  struct Case {
    double benchmark;
    Direction direction;
    ComparisonOutcome at_95;
    ComparisonOutcome at_998;
  };
  using enum ComparisonOutcome;
  const Case cases[] = {
      {13, Direction::kHigher, kSimilar, kSimilar},
      // 9.5 lies below the 95 % interval but inside the 99.8 % one.
      {9.5, Direction::kHigher, kBetter, kSimilar},
      {9.5, Direction::kLower, kWorse, kSimilar},
      {9.5, Direction::kNone, kHigher, kSimilar},
      {16, Direction::kHigher, kWorse, kWorse},
      {16, Direction::kLower, kBetter, kBetter},
      {16, Direction::kNone, kLower, kLower},
      {8, Direction::kHigher, kBetter, kBetter},
      // Limits belong to the interval.
      {10, Direction::kHigher, kSimilar, kSimilar},
      {14, Direction::kHigher, kSimilar, kSimilar},
      {15, Direction::kHigher, kWorse, kSimilar},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message()
                 << "benchmark " << c.benchmark << ", direction " << ToString(c.direction));
    const auto result = CompareWithBenchmarkValue(kArea, c.benchmark, c.direction);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->method, "value_in_interval");
    EXPECT_EQ(ToString(result->at_95.outcome), ToString(c.at_95));
    EXPECT_EQ(ToString(result->at_998.outcome), ToString(c.at_998));
    EXPECT_DOUBLE_EQ(result->at_95.confidence, 0.95);
    EXPECT_DOUBLE_EQ(result->at_998.confidence, 0.998);
    EXPECT_EQ(result->at_95.lower, 10);
    EXPECT_EQ(result->at_998.upper, 15);
    EXPECT_TRUE(result->at_95.reason.empty());
  }
}

TEST(CompareWithBenchmarkValue, MissingFiguresAreNotCompared) {
  struct Case {
    ValueWithIntervals area;
    double benchmark;
    std::string reason_95;  // empty: compared
    std::string reason_998;
  };
  const Case cases[] = {
      {{kNaN, 10, 14, 9, 15}, 13, "the area has no value", "the area has no value"},
      {kArea, kNaN, "the benchmark has no value", "the benchmark has no value"},
      {{12, 10, 14, kNaN, kNaN}, 13, "", "the area has no 99.8 % interval"},
      // Byar's lower limit is absent for very few events.
      {{1, 0.2, 5, kNaN, 8}, 0.5, "", "the area has no lower 99.8 % limit"},
      {{12, 10, kNaN, 9, 15}, 13, "the area has no upper 95 % limit", ""},
  };
  for (const Case& c : cases) {
    const auto result = CompareWithBenchmarkValue(c.area, c.benchmark, Direction::kHigher);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->at_95.reason, c.reason_95);
    EXPECT_EQ(result->at_998.reason, c.reason_998);
    EXPECT_EQ(result->at_95.outcome == ComparisonOutcome::kNotCompared, !c.reason_95.empty());
    EXPECT_EQ(result->at_998.outcome == ComparisonOutcome::kNotCompared, !c.reason_998.empty());
  }
}

TEST(CompareWithBenchmarkValue, BadInputIsAnError) {
  struct Case {
    ValueWithIntervals area;
    double benchmark;
    std::string message;
  };
  const double inf = INFINITY;
  const Case cases[] = {
      {{12, 14, 10, 9, 15},
       13,
       "the area's 95 % interval [14, 10] has its lower limit above its upper limit"},
      {{16, 10, 14, 9, 17}, 13, "the area's value 16 lies outside its 95 % interval [10, 14]"},
      {{12, 10, 14, 11, 15},
       13,
       "the area's 99.8 % interval [11, 15] is narrower than its 95 % interval [10, 14]"},
      {{12, 10, inf, 9, 15}, 13, "the area's upper_95 is infinite"},
      {kArea, -inf, "the benchmark value is infinite"},
  };
  for (const Case& c : cases) {
    const auto result = CompareWithBenchmarkValue(c.area, c.benchmark, Direction::kHigher);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidValue);
    EXPECT_EQ(result.error().message, c.message);
  }
}

// Published: fingertips-open DoubleOverlappingCIsComparerTest (polarity 0 = "RAG - low is good").
TEST(CompareIntervalOverlap, FingertipsPublishedCases) {
  const ValueWithIntervals d1{3.0, 2.7, 3.6, 2.5, 3.8};
  const ValueWithIntervals d2{4.0, 3.5, 4.5, 3.3, 4.7};
  const ValueWithIntervals d1_wide{3.0, 2.7, 4.1, 2.5, 4.3};
  const ValueWithIntervals d1_narrow{3.0, 2.7, 3.1, 2.6, 3.2};
  using enum ComparisonOutcome;
  struct Case {
    ValueWithIntervals area, benchmark;
    ComparisonOutcome expected;
  };
  const Case cases[] = {
      {d2, d1, kSimilar},      {d1, d2, kSimilar},      {d1_wide, d2, kSimilar},
      {d2, d1_wide, kSimilar}, {d2, d1_narrow, kWorse}, {d1_narrow, d2, kBetter},
  };
  for (const Case& c : cases) {
    const auto result = CompareIntervalOverlap(c.area, c.benchmark, Direction::kLower);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->method, "interval_overlap");
    EXPECT_EQ(ToString(result->at_95.outcome), ToString(c.expected));
  }
}

TEST(CompareIntervalOverlap, LevelsTouchingAndMissing) {
  // By hand: the 95 % intervals [10, 14] and [14.5, 17] are disjoint; the 99.8 % ones
  // [9, 15] and [14, 18] overlap. Touching intervals count as overlapping.
  const ValueWithIntervals other{16, 14.5, 17, 14, 18};
  auto result = CompareIntervalOverlap(kArea, other, Direction::kHigher);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->at_95.outcome, ComparisonOutcome::kWorse);
  EXPECT_EQ(result->at_998.outcome, ComparisonOutcome::kSimilar);
  EXPECT_EQ(result->at_95.benchmark_lower, 14.5);
  EXPECT_EQ(result->benchmark, 16);

  const ValueWithIntervals touching{16, 14, 17, 13, 18};
  result = CompareIntervalOverlap(kArea, touching, Direction::kNone);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->at_95.outcome, ComparisonOutcome::kSimilar);

  const ValueWithIntervals no_998{16, 14.5, 17, kNaN, kNaN};
  result = CompareIntervalOverlap(kArea, no_998, Direction::kNone);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->at_95.outcome, ComparisonOutcome::kLower);
  EXPECT_EQ(result->at_998.outcome, ComparisonOutcome::kNotCompared);
  EXPECT_EQ(result->at_998.reason, "the benchmark has no 99.8 % interval");

  const ValueWithIntervals bad{16, 17, 14.5, 14, 18};
  const auto error = CompareIntervalOverlap(kArea, bad, Direction::kNone);
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error().message,
            "the benchmark's 95 % interval [17, 14.5] has its lower limit above its upper limit");
}

// ---- Fingertips' recent trend ------------------------------------------------------------------

TrendPoint Counts(int year, double numerator, double denominator) {
  return {year, kNaN, kNaN, kNaN, numerator, denominator};
}

TrendPoint Interval(int year, double value, double lower, double upper) {
  return {year, value, lower, upper, kNaN, kNaN};
}

RecentTrendOptions Options(RecentTrendMethod method, Direction direction = Direction::kNone,
                           double confidence = kConf998) {
  return {method, direction, confidence, kConf95};
}

// Published: fingertips-open TrendMarkerCalculatorTest, data set 1 (2014–2018).
std::vector<TrendPoint> FingertipsSet1() {
  return {
      {2018, 30.6, 28.98, 32.25, 1367, 44701}, {2017, 30.2, 28.63, 31.9, 1332, 44064},
      {2016, 28, 26.44, 29.64, 1199, 42811},   {2015, 24.6, 23.15, 26.19, 1023, 41527},
      {2014, 24.67, 23.16, 26.25, 994, 40299},
  };
}

TEST(FingertipsRecentTrend, PublishedFingertipsSet1) {
  const std::vector<TrendPoint> points = FingertipsSet1();
  // Fingertips asserts Math.Round(ChiSquare, 2) == 47.9 for the proportion test...
  auto trend = FingertipsRecentTrend(points, Options(RecentTrendMethod::kProportion));
  ASSERT_TRUE(trend) << trend.error().message;
  EXPECT_NEAR(trend->chi_square, 47.90, 0.005);
  EXPECT_EQ(trend->outcome, TrendOutcome::kIncreasing);
  EXPECT_EQ(trend->method, "chi_square_for_trend");
  EXPECT_EQ(trend->slope_scale, "logit");
  EXPECT_TRUE(trend->stable);
  EXPECT_EQ(trend->first_year, 2014);
  EXPECT_EQ(trend->last_year, 2018);
  EXPECT_NEAR(trend->critical_value, 9.54953570608324, 1e-12);  // Fingertips' constant
  // ... and == 46.77 for the weighted regression on the values and their 95 % intervals.
  // Fingertips reads se = (upper − lower) / 3.92, z rounded to 1.96; Hälsonav divides by 2z
  // with the exact z = 1.959964, so its X² is smaller by (2z / 3.92)² and is 46.7636. Scaled
  // back to Fingertips' divisor it is Fingertips' 46.7653.
  trend = FingertipsRecentTrend(points, Options(RecentTrendMethod::kValueWithInterval));
  ASSERT_TRUE(trend) << trend.error().message;
  const double fingertips_scale = std::pow(3.92 / (2 * TwoSidedZ(0.95)), 2);
  EXPECT_NEAR(trend->chi_square * fingertips_scale, 46.77, 0.005);
  EXPECT_NEAR(trend->chi_square, 46.7636, 0.00005);
  EXPECT_EQ(trend->outcome, TrendOutcome::kIncreasing);
  EXPECT_EQ(trend->method, "weighted_regression");
  EXPECT_EQ(trend->slope_scale, "value");
}

TEST(FingertipsRecentTrend, PublishedFingertipsSet2NotSignificant) {
  const std::vector<TrendPoint> points = {
      {2014, 20.5506, 18.1803, 23.1427, 209, 1017}, {2015, 19.5952, 17.3444, 22.0602, 213, 1087},
      {2016, 19.0349, 16.8421, 21.4394, 213, 1119}, {2017, 21.3966, 19.0918, 23.8975, 239, 1117},
      {2018, 18.4372, 16.2925, 20.7941, 210, 1139},
  };
  const auto trend = FingertipsRecentTrend(points, Options(RecentTrendMethod::kValueWithInterval));
  ASSERT_TRUE(trend) << trend.error().message;
  EXPECT_EQ(trend->outcome, TrendOutcome::kNoSignificantChange);
  EXPECT_EQ(trend->judgement, TrendJudgement::kNotJudged);
}

TEST(FingertipsRecentTrend, PublishedProportionOfHundredPercentCannotBeCalculated) {
  // fingertips-open: a count equal to its denominator makes the trend "cannot be calculated".
  const std::vector<TrendPoint> points = {Counts(2012, 5, 5), Counts(2013, 3, 5),
                                          Counts(2014, 1, 5), Counts(2015, 1, 4),
                                          Counts(2016, 2, 4)};
  const auto trend = FingertipsRecentTrend(points, Options(RecentTrendMethod::kProportion));
  ASSERT_TRUE(trend) << trend.error().message;
  EXPECT_EQ(trend->outcome, TrendOutcome::kCouldNotBeCalculated);
  EXPECT_EQ(trend->reason,
            "the proportion of 2012 is 100 %: its logit, needed for the stability check, is "
            "infinite");
  EXPECT_TRUE(std::isnan(trend->chi_square));
}

// Published: FingertipsNext TrendMarkerCalculatorTests, real Fingertips series (value and 95 %
// interval) with the marker Fingertips shows.
TEST(FingertipsRecentTrend, PublishedFingertipsNextSeries) {
  struct Case {
    std::string name;
    std::vector<TrendPoint> points;
    TrendOutcome expected;
  };
  const Case cases[] = {
      {"241 Diabetes: QOF prevalence",
       {Interval(2024, 7.6554, 7.6481, 7.6669), Interval(2023, 7.4528, 7.4456, 7.4643),
        Interval(2022, 7.2571, 7.2499, 7.2684), Interval(2021, 7.1085, 7.1013, 7.1199),
        Interval(2020, 7.0826, 7.0754, 7.094)},
       TrendOutcome::kIncreasing},
      {"30309 MMR one dose (2 years), Yorkshire and the Humber",
       {Interval(2024, 90.1013, 89.8578, 90.3396), Interval(2023, 90.017, 89.7694, 90.2594),
        Interval(2022, 90.8708, 90.6358, 91.1004), Interval(2021, 92.3221, 92.1072, 92.5315),
        Interval(2020, 92.6254, 92.4168, 92.8288)},
       TrendOutcome::kDecreasing},
      {"41203 Preventable sight loss from diabetic eye disease",
       {Interval(2024, 3.0121, 2.8616, 3.1683), Interval(2023, 2.8701, 2.7225, 3.0237),
        Interval(2022, 2.7567, 2.6113, 2.9082), Interval(2021, 1.93028, 1.8085, 2.058),
        Interval(2020, 2.935, 2.7841, 3.0919)},
       TrendOutcome::kIncreasing},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const auto trend =
        FingertipsRecentTrend(c.points, Options(RecentTrendMethod::kValueWithInterval));
    ASSERT_TRUE(trend) << trend.error().message;
    EXPECT_EQ(ToString(trend->outcome), ToString(c.expected));
  }
}

TEST(FingertipsRecentTrend, ChiSquareForTrendByHand) {
  // x = 10, 20, 30, 40, 50 of n = 100 each, t = 1..5: N = 500, X = 150, Σxt = 550, Σnt = 1500,
  // Σnt² = 5500; X² = 500·(500·550 − 150·1500)² / (150·350·(500·5500 − 1500²)) = 1000/21.
  std::vector<TrendPoint> points = {Counts(2019, 50, 100), Counts(2015, 10, 100),
                                    Counts(2017, 30, 100), Counts(2016, 20, 100),
                                    Counts(2018, 40, 100)};
  auto trend =
      FingertipsRecentTrend(points, Options(RecentTrendMethod::kProportion, Direction::kHigher));
  ASSERT_TRUE(trend) << trend.error().message;
  EXPECT_NEAR(trend->chi_square, 1000.0 / 21.0, 1e-10);
  EXPECT_NEAR(trend->p_value, 5.176309056990185e-12, 1e-20);  // erfc(sqrt(X²/2))
  EXPECT_EQ(trend->outcome, TrendOutcome::kIncreasing);
  EXPECT_EQ(trend->judgement, TrendJudgement::kGettingBetter);
  // logit slope: OLS of ln(p/(1−p)) on t; the logits are symmetric about 0.3's, slope > 0.
  EXPECT_GT(trend->slope, 0);

  // With a gap (2018 missing, 2020 added) the time scores are the years: t = 1, 2, 3, 5, 6,
  // Σxt = 640, Σnt = 1700, Σnt² = 7500: X² = 500·65000² / (52500·860000) = 46.788482834994…
  points = {Counts(2015, 10, 100), Counts(2016, 20, 100), Counts(2017, 30, 100),
            Counts(2019, 40, 100), Counts(2020, 50, 100)};
  trend = FingertipsRecentTrend(points, Options(RecentTrendMethod::kProportion, Direction::kLower));
  ASSERT_TRUE(trend) << trend.error().message;
  EXPECT_NEAR(trend->chi_square, 46.78848283499446, 1e-10);
  EXPECT_EQ(trend->judgement, TrendJudgement::kGettingWorse);
}

TEST(FingertipsRecentTrend, WeightedRegressionByHand) {
  // Equal standard errors of 1 (95 % interval value ± z): ordinary least squares. y = 10, 11,
  // 13, 12, 14 on t = 1..5: slope = Σ(t−3)(y−12)/10 = 0.9, se = sqrt(5/(5·55 − 15²)) =
  // sqrt(0.1), X² = 0.81/0.1 = 8.1, p = erfc(sqrt(4.05)) = 0.004426525857919833.
  const double z = TwoSidedZ(0.95);
  std::vector<TrendPoint> points;
  const double values[] = {10, 11, 13, 12, 14};
  for (int idx = 0; idx < 5; ++idx) {
    points.push_back(Interval(2015 + idx, values[idx], values[idx] - z, values[idx] + z));
  }
  // Below the 99.8 % critical value 9.5495: no significant change.
  auto trend = FingertipsRecentTrend(points, Options(RecentTrendMethod::kValueWithInterval));
  ASSERT_TRUE(trend) << trend.error().message;
  EXPECT_NEAR(trend->slope, 0.9, 1e-12);
  EXPECT_NEAR(trend->slope_se, std::sqrt(0.1), 1e-12);
  EXPECT_NEAR(trend->chi_square, 8.1, 1e-10);
  EXPECT_NEAR(trend->p_value, 0.004426525857919833, 1e-12);
  EXPECT_EQ(trend->outcome, TrendOutcome::kNoSignificantChange);
  EXPECT_EQ(trend->reason, "the chi-square statistic 8.1 does not exceed 9.55 (99.8 %)");
  // Above the 95 % critical value 3.8415: increasing; lower is better, so getting worse.
  trend = FingertipsRecentTrend(
      points, Options(RecentTrendMethod::kValueWithInterval, Direction::kLower, 95));
  ASSERT_TRUE(trend) << trend.error().message;
  EXPECT_EQ(trend->outcome, TrendOutcome::kIncreasing);
  EXPECT_EQ(trend->judgement, TrendJudgement::kGettingWorse);
  EXPECT_TRUE(trend->stable);
}

TEST(FingertipsRecentTrend, OutlierCheckByHand) {
  // y = 1, 0, 0, 0, 10 with se 0.1: slope 1.8, X² = 3240, far above 9.55, but without the last
  // point the slope is negative (1, 0, 0, 0): Fingertips' outlier check says no trend.
  const double z = TwoSidedZ(0.95);
  std::vector<TrendPoint> points;
  const double values[] = {1, 0, 0, 0, 10};
  for (int idx = 0; idx < 5; ++idx) {
    points.push_back(
        Interval(2015 + idx, values[idx], values[idx] - 0.1 * z, values[idx] + 0.1 * z));
  }
  const auto trend = FingertipsRecentTrend(points, Options(RecentTrendMethod::kValueWithInterval));
  ASSERT_TRUE(trend) << trend.error().message;
  EXPECT_NEAR(trend->slope, 1.8, 1e-12);
  EXPECT_NEAR(trend->chi_square, 3240, 1e-8);
  EXPECT_FALSE(trend->stable);
  EXPECT_EQ(trend->outcome, TrendOutcome::kNoSignificantChange);
  EXPECT_EQ(trend->reason,
            "the slope changes sign when the point of 2019 is left out (Fingertips' outlier "
            "check)");
}

TEST(FingertipsRecentTrend, OnlyTheLastFivePointsCount) {
  std::vector<TrendPoint> points = {Counts(2015, 10, 100), Counts(2016, 20, 100),
                                    Counts(2017, 30, 100), Counts(2018, 40, 100),
                                    Counts(2019, 50, 100)};
  // An older point, even one without counts, changes nothing.
  points.insert(points.begin(), Counts(2014, kNaN, kNaN));
  auto trend = FingertipsRecentTrend(points, Options(RecentTrendMethod::kProportion));
  ASSERT_TRUE(trend) << trend.error().message;
  EXPECT_NEAR(trend->chi_square, 1000.0 / 21.0, 1e-10);
  EXPECT_EQ(trend->first_year, 2015);
  // A missing count among the five makes the trend impossible to calculate.
  points.push_back(Counts(2020, kNaN, 100));
  trend = FingertipsRecentTrend(points, Options(RecentTrendMethod::kProportion));
  ASSERT_TRUE(trend) << trend.error().message;
  EXPECT_EQ(trend->outcome, TrendOutcome::kCouldNotBeCalculated);
  EXPECT_EQ(trend->reason, "the numerator of 2020 is missing");
  EXPECT_EQ(trend->first_year, 2016);
}

TEST(FingertipsRecentTrend, CouldNotBeCalculated) {
  struct Case {
    std::vector<TrendPoint> points;
    RecentTrendMethod method;
    std::string reason;
  };
  const Case cases[] = {
      {{Counts(2015, 1, 10), Counts(2016, 2, 10), Counts(2017, 3, 10), Counts(2018, 4, 10)},
       RecentTrendMethod::kProportion,
       "fewer than 5 points (4 given)"},
      {{}, RecentTrendMethod::kProportion, "fewer than 5 points (0 given)"},
      {{Counts(2015, 1, 10), Counts(2016, 2, 10), Counts(2017, 0, 10), Counts(2018, 4, 10),
        Counts(2019, 4, 10)},
       RecentTrendMethod::kProportion,
       "the proportion of 2017 is 0 %: its logit, needed for the stability check, is infinite"},
      {{Counts(2015, 1, 10), Counts(2016, 2, kNaN), Counts(2017, 3, 10), Counts(2018, 4, 10),
        Counts(2019, 4, 10)},
       RecentTrendMethod::kProportion,
       "the denominator of 2016 is missing"},
      {{Interval(2015, 1, 0, 2), Interval(2016, 1, 0, 2), Interval(2017, 1, kNaN, kNaN),
        Interval(2018, 1, 0, 2), Interval(2019, 1, 0, 2)},
       RecentTrendMethod::kValueWithInterval,
       "the 95 % interval of 2017 is missing"},
      {{Interval(2015, 1, 0, 2), Interval(2016, 1, 1, 1), Interval(2017, 1, 0, 2),
        Interval(2018, 1, 0, 2), Interval(2019, 1, 0, 2)},
       RecentTrendMethod::kValueWithInterval,
       "the 95 % interval of 2016 has zero width"},
      {{Interval(2015, 1, 0, 2), Interval(2016, 1, 0, 2), Interval(2017, 1, 0, 2),
        Interval(2018, 1, 0, 2), Interval(2019, kNaN, 0, 2)},
       RecentTrendMethod::kValueWithInterval,
       "the value of 2019 is missing"},
  };
  for (const Case& c : cases) {
    const auto trend = FingertipsRecentTrend(c.points, Options(c.method, Direction::kHigher));
    ASSERT_TRUE(trend) << trend.error().message;
    EXPECT_EQ(trend->outcome, TrendOutcome::kCouldNotBeCalculated);
    EXPECT_EQ(trend->judgement, TrendJudgement::kNotJudged);
    EXPECT_EQ(trend->reason, c.reason);
    EXPECT_EQ(ToString(trend->outcome), "could_not_be_calculated");
  }
}

TEST(FingertipsRecentTrend, BadInputIsAnError) {
  struct Case {
    std::vector<TrendPoint> points;
    RecentTrendMethod method;
    std::string message;
  };
  const Case cases[] = {
      {{Counts(2019, 1, 10), Counts(2020, 1, 10), Counts(2019, 2, 10)},
       RecentTrendMethod::kProportion,
       "year 2019 appears twice"},
      {{Counts(2020, 1, 10), Counts(2021, 0, 0)},
       RecentTrendMethod::kProportion,
       "the denominator of 2021 is 0"},
      {{Counts(2021, 1, -5)},
       RecentTrendMethod::kProportion,
       "the denominator of 2021 is negative (-5)"},
      {{Counts(2021, -1, 5)},
       RecentTrendMethod::kProportion,
       "the numerator of 2021 is negative (-1)"},
      {{Counts(2021, 12, 10)},
       RecentTrendMethod::kProportion,
       "the numerator of 2021 (12) is larger than its denominator (10)"},
      {{Counts(2021, INFINITY, 10)},
       RecentTrendMethod::kProportion,
       "the numerator of 2021 is infinite"},
      {{Interval(2021, 5, 6, 4)},
       RecentTrendMethod::kValueWithInterval,
       "the interval of 2021 [6, 4] has its lower limit above its upper limit"},
      {{Interval(2021, 7, 4, 6)},
       RecentTrendMethod::kValueWithInterval,
       "the value 7 of 2021 lies outside its interval [4, 6]"},
  };
  for (const Case& c : cases) {
    const auto trend = FingertipsRecentTrend(c.points, Options(c.method));
    ASSERT_FALSE(trend);
    EXPECT_EQ(trend.error().code, ErrorCode::kInvalidValue);
    EXPECT_EQ(trend.error().message, c.message);
  }
  const auto bad_level = FingertipsRecentTrend(
      FingertipsSet1(), Options(RecentTrendMethod::kProportion, Direction::kNone, 1.5));
  ASSERT_FALSE(bad_level);
}

// ---- Open SDG's progress measure ---------------------------------------------------------------

Result<ProgressMeasure> Progress(std::vector<YearValue> series, Direction direction,
                                 double target = kNaN, double limit = kNaN) {
  ProgressOptions options;
  options.direction = direction;
  options.target = target;
  options.limit = limit;
  return OpenSdgProgress(series, options);
}

TEST(OpenSdgProgress, WithoutTargetByHand) {
  // CAGR = (current/base)^(1/5) − 1 from 2015 to 2020, against 1.5 %, 0.5 % and 0.
  struct Case {
    double base, current;
    Direction direction;
    double progress;
    ProgressStatus status;
  };
  using enum ProgressStatus;
  const Case cases[] = {
      {100, 110, Direction::kHigher, 0.019244876491456564, kSubstantialProgress},
      {100, 104, Direction::kHigher, 0.007874988517892145, kModerateProgress},
      {100, 101, Direction::kHigher, 0.001992047666533381, kLimitedProgress},
      {100, 99, Direction::kHigher, -0.002008048338574153, kDeterioration},
      {100, 90, Direction::kLower, 0.0208516376390232, kSubstantialProgress},
      {100, 110, Direction::kLower, -0.019244876491456564, kDeterioration},
      // Negative values: −100 → −90 is an increase; the base's sign flips the direction.
      {-100, -90, Direction::kHigher, 0.0208516376390232, kSubstantialProgress},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << c.base << " -> " << c.current);
    const auto measure = Progress(
        {{2015, c.base}, {2017, (c.base + c.current) / 2}, {2020, c.current}}, c.direction);
    ASSERT_TRUE(measure) << measure.error().message;
    EXPECT_NEAR(measure->progress_value, c.progress, 1e-14);
    EXPECT_EQ(ToString(measure->status), ToString(c.status));
    EXPECT_EQ(measure->method, "growth");
    EXPECT_EQ(measure->base_year, 2015);
    EXPECT_EQ(measure->current_year, 2020);
    EXPECT_DOUBLE_EQ(measure->threshold_high, 0.015);
    EXPECT_TRUE(std::isnan(measure->required_growth));
  }
}

TEST(OpenSdgProgress, WithTargetByHand) {
  // Higher is better, 50 in 2015, target 80 in 2030: required growth 1.6^(1/15) − 1 =
  // 0.03182963934979388; the ratio of the observed growth to it against 0.95, 0.6 and 0.
  struct Case {
    double current;
    double ratio;
    ProgressStatus status;
  };
  using enum ProgressStatus;
  const Case cases[] = {
      {60, 1.1667518104281838, kSubstantialProgress},
      {55, 0.604621255049853, kModerateProgress},
      {52, 0.24741054811678667, kLimitedProgress},
      {48, -0.2554587762706255, kDeterioration},
  };
  for (const Case& c : cases) {
    const auto measure = Progress({{2015, 50}, {2020, c.current}}, Direction::kHigher, 80);
    ASSERT_TRUE(measure) << measure.error().message;
    EXPECT_NEAR(measure->required_growth, 0.03182963934979388, 1e-15);
    EXPECT_NEAR(measure->progress_value, c.ratio, 1e-13);
    EXPECT_EQ(ToString(measure->status), ToString(c.status));
    EXPECT_EQ(measure->method, "growth_ratio");
  }
  // Reaching the target wins whatever the growth.
  auto measure = Progress({{2015, 50}, {2020, 81}}, Direction::kHigher, 80);
  ASSERT_TRUE(measure);
  EXPECT_EQ(measure->status, ProgressStatus::kTargetAchieved);
  // Lower is better: 20 → 18 (2015–2020), target 10 in 2030: −0.0208516 / 0.0451584 → 0.4617.
  measure = Progress({{2015, 20}, {2020, 18}}, Direction::kLower, 10);
  ASSERT_TRUE(measure);
  EXPECT_NEAR(measure->progress_value, 0.46174442506014873, 1e-13);
  EXPECT_EQ(measure->status, ProgressStatus::kLimitedProgress);
}

TEST(OpenSdgProgress, LimitScalesTheThresholds) {
  // Base 95 with a natural limit of 100: C = 1 − 0.95^4.44 = 0.2036704944377239, so the
  // thresholds become 0.0030551 and 0.0010184; (96/95)^(1/5) − 1 = 0.0020965 is moderate
  // progress (it would be limited without the limit).
  auto measure = Progress({{2015, 95}, {2020, 96}}, Direction::kHigher, kNaN, 100);
  ASSERT_TRUE(measure);
  EXPECT_NEAR(measure->coefficient, 0.2036704944377239, 1e-14);
  EXPECT_NEAR(measure->threshold_high, 0.003055057416565858, 1e-15);
  EXPECT_NEAR(measure->progress_value, 0.0020964544675570185, 1e-15);
  EXPECT_EQ(measure->status, ProgressStatus::kModerateProgress);
  measure = Progress({{2015, 95}, {2020, 96}}, Direction::kHigher);
  ASSERT_TRUE(measure);
  EXPECT_EQ(measure->status, ProgressStatus::kLimitedProgress);
}

TEST(OpenSdgProgress, BaseYearAndNotAvailable) {
  // No value in 2015: the next year with a value is the base; missing values are skipped.
  auto measure = Progress({{2014, 1}, {2016, 100}, {2019, 110}, {2020, kNaN}}, Direction::kHigher);
  ASSERT_TRUE(measure);
  EXPECT_EQ(measure->base_year, 2016);
  EXPECT_EQ(measure->current_year, 2019);
  EXPECT_NEAR(measure->observed_growth, std::pow(1.1, 1.0 / 3) - 1, 1e-15);

  struct Case {
    std::vector<YearValue> series;
    std::string note;
  };
  const Case cases[] = {
      {{}, "no year has a value"},
      {{{2014, 3}}, "no value in or after the base year 2015 (the latest is 2014)"},
      {{{2016, 3}}, "fewer than two years: the base year 2016 is the latest year"},
      {{{2015, 3}, {2020, -1}}, "the base value 3 and the current value -1 have different signs"},
  };
  for (const Case& c : cases) {
    measure = Progress(c.series, Direction::kHigher);
    ASSERT_TRUE(measure);
    EXPECT_EQ(ToString(measure->status), "not_available");
    EXPECT_EQ(measure->note, c.note);
  }
  // Open SDG replaces a base value of 0 by 0.001.
  measure = Progress({{2015, 0}, {2020, 1}}, Direction::kLower);
  ASSERT_TRUE(measure);
  EXPECT_EQ(measure->base_value, 0.001);
  EXPECT_EQ(measure->note, "the base value 0 is replaced by 0.001, as Open SDG does");
  EXPECT_EQ(measure->status, ProgressStatus::kDeterioration);
}

TEST(OpenSdgProgress, BadInputIsAnError) {
  EXPECT_EQ(Progress({{2015, 1}, {2020, 2}}, Direction::kNone).error().message,
            "Open SDG's progress measure needs the indicator's direction (higher or lower is "
            "better)");
  EXPECT_EQ(Progress({{2015, 1}, {2015, 2}}, Direction::kHigher).error().message,
            "year 2015 appears twice");
  EXPECT_EQ(Progress({{2015, 1}, {2020, INFINITY}}, Direction::kHigher).error().message,
            "the value of 2020 is infinite");
  ProgressOptions options;
  options.direction = Direction::kHigher;
  options.target = 5;
  options.target_year = 2015;
  const std::vector<YearValue> series = {{2015, 1}, {2020, 2}};
  EXPECT_EQ(OpenSdgProgress(series, options).error().message,
            "the target year 2015 is not after the base year 2015");
}

// ---- The Västmanland rule ----------------------------------------------------------------------

TEST(AssessChange, ByHand) {
  // 70 [68, 72] in 2020 → 74 [72, 76] in 2023, higher is better. se = 4/(2z) each, the change's
  // se = 4√2/(2z), its interval 4 ± 2√2 = [1.1716, 6.8284]: a significant improvement although
  // the two intervals touch.
  auto change = AssessChange({2020, 70, 68, 72}, {2023, 74, 72, 76}, Direction::kHigher);
  ASSERT_TRUE(change) << change.error().message;
  EXPECT_EQ(ToString(change->outcome), "significant_improvement");
  EXPECT_TRUE(change->positive);
  EXPECT_EQ(change->change, 4);
  EXPECT_NEAR(change->change_lower, 4 - 2 * std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(change->change_upper, 4 + 2 * std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(change->p_value, 0.005574596680784432, 1e-12);
  EXPECT_TRUE(change->intervals_overlap);

  struct Case {
    YearEstimate baseline, follow_up;
    Direction direction;
    ChangeOutcome outcome;
  };
  using enum ChangeOutcome;
  const Case cases[] = {
      // 70 → 71: change 1, interval 1 ± 2√2 includes 0.
      {{2020, 70, 68, 72}, {2023, 71, 69, 73}, Direction::kHigher, kImprovementWithinUncertainty},
      {{2020, 70, 68, 72}, {2023, 69, 67, 71}, Direction::kHigher, kDeteriorationWithinUncertainty},
      {{2020, 74, 72, 76}, {2023, 70, 68, 72}, Direction::kHigher, kSignificantDeterioration},
      {{2020, 74, 72, 76}, {2023, 70, 68, 72}, Direction::kLower, kSignificantImprovement},
      // Decayed teeth, lower is better: 2.0 [1.8, 2.2] → 1.5 [1.3, 1.7]: −0.5 ± 0.2828.
      {{2020, 2.0, 1.8, 2.2}, {2023, 1.5, 1.3, 1.7}, Direction::kLower, kSignificantImprovement},
      {{2020, 70, 68, 72}, {2023, 70, 67, 73}, Direction::kHigher, kNoChange},
      {{2020, 70, kNaN, kNaN},
       {2023, 71, 69, 73},
       Direction::kHigher,
       kImprovementUncertaintyUnknown},
      {{2020, 70, 68, 72},
       {2023, 60, kNaN, 65},
       Direction::kHigher,
       kDeteriorationUncertaintyUnknown},
      {{2020, kNaN, kNaN, kNaN}, {2023, 71, 69, 73}, Direction::kHigher, kNotAssessed},
  };
  for (const Case& c : cases) {
    change = AssessChange(c.baseline, c.follow_up, c.direction);
    ASSERT_TRUE(change) << change.error().message;
    EXPECT_EQ(ToString(change->outcome), ToString(c.outcome));
  }
  change = AssessChange({2020, 2.0, 1.8, 2.2}, {2023, 1.5, 1.3, 1.7}, Direction::kLower);
  EXPECT_NEAR(change->change_lower, -0.782842712474619, 1e-12);
  EXPECT_NEAR(change->change_upper, -0.217157287525381, 1e-12);
  change = AssessChange({2020, 70, kNaN, kNaN}, {2023, 71, 69, 73}, Direction::kHigher);
  EXPECT_EQ(change->reason, "the baseline (2020) has no interval");
  change = AssessChange({2020, 70, 68, 72}, {2023, kNaN, kNaN, kNaN}, Direction::kHigher);
  EXPECT_EQ(change->reason, "the follow-up (2023) has no value");
}

TEST(AssessChange, BadInputIsAnError) {
  EXPECT_EQ(AssessChange({2023, 1, 0, 2}, {2020, 1, 0, 2}, Direction::kHigher).error().message,
            "the follow-up year 2020 is not after the baseline year 2023");
  EXPECT_EQ(AssessChange({2020, 1, 0, 2}, {2023, 1, 0, 2}, Direction::kNone).error().message,
            "a positive movement needs the indicator's direction (higher or lower is better)");
  EXPECT_EQ(AssessChange({2020, 1, 2, 0}, {2023, 1, 0, 2}, Direction::kHigher).error().message,
            "the baseline interval of 2020 [2, 0] has its lower limit above its upper limit");
  EXPECT_EQ(AssessChange({2020, 1, 0, 2}, {2023, 3, 0, 2}, Direction::kHigher).error().message,
            "the follow-up value 3 of 2023 lies outside its interval [0, 2]");
  EXPECT_FALSE(AssessChange({2020, 1, 0, 2}, {2023, 1, 0, 2}, Direction::kHigher, 0));
}

TEST(AssessProgrammeGoal, EveryIndicatorMustMovePositively) {
  auto make = [](ChangeOutcome outcome) {
    ChangeAssessment change;
    change.outcome = outcome;
    return change;
  };
  using enum ChangeOutcome;
  struct Case {
    std::vector<ChangeAssessment> changes;
    GoalOutcome outcome;
    std::string reason;
  };
  const Case cases[] = {
      {{make(kSignificantImprovement), make(kSignificantImprovement)},
       GoalOutcome::kMetSignificantly,
       ""},
      {{make(kSignificantImprovement), make(kImprovementWithinUncertainty),
        make(kImprovementUncertaintyUnknown)},
       GoalOutcome::kMet,
       "2 of 3 improvements are within the uncertainty or of unknown uncertainty"},
      {{make(kSignificantImprovement), make(kNoChange), make(kNotAssessed)},
       GoalOutcome::kNotMet,
       "1 of 3 indicators did not move positively"},
      {{make(kSignificantImprovement), make(kNotAssessed)},
       GoalOutcome::kNotAssessed,
       "1 of 2 indicators could not be assessed"},
      {{make(kDeteriorationWithinUncertainty)},
       GoalOutcome::kNotMet,
       "1 of 1 indicators did not move positively"},
  };
  for (const Case& c : cases) {
    const auto goal = AssessProgrammeGoal(c.changes);
    ASSERT_TRUE(goal) << goal.error().message;
    EXPECT_EQ(ToString(goal->outcome), ToString(c.outcome));
    EXPECT_EQ(goal->reason, c.reason);
    EXPECT_EQ(goal->indicators, c.changes.size());
  }
  EXPECT_FALSE(AssessProgrammeGoal({}));
}

// ---- The numpy reference (tests/reference/trends_numpy.py) -------------------------------------

// A 64-bit linear congruential generator (Knuth's MMIX constants) that trends_numpy.py repeats
// exactly, so that both sides build the same series from integers alone.
class Lcg {
 public:
  explicit Lcg(std::uint64_t seed) : state_(seed) {}
  // A whole number in [0, bound).
  int Next(int bound) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>((state_ >> 33) % static_cast<std::uint64_t>(bound));
  }

 private:
  std::uint64_t state_;
};

nlohmann::json Number(double value) { return Present(value) ? nlohmann::json(value) : nullptr; }

// Writes deterministic series, inputs and C++ results, to the file TRENDS_DUMP names; skipped
// when it is unset. trends_numpy.py rebuilds the same inputs, recomputes every figure with numpy
// and compares.
TEST(TrendsDump, Json) {
  const char* path = std::getenv("TRENDS_DUMP");
  if (path == nullptr) GTEST_SKIP() << "TRENDS_DUMP is not set (reference.trends_numpy sets it)";
  Lcg lcg(20240611);
  const Direction directions[] = {Direction::kHigher, Direction::kLower, Direction::kNone};
  nlohmann::json trends = nlohmann::json::array();
  for (int case_idx = 0; case_idx < 240; ++case_idx) {
    const bool proportion = case_idx % 2 == 0;
    const int n_points = 5 + lcg.Next(3);
    int year = 2000 + lcg.Next(10);
    const int gap_after = lcg.Next(4) == 0 ? 1 : -1;
    const int level = 50 + lcg.Next(400);  // per mille, or the value in hundredths / 10
    const int step = lcg.Next(61) - 30;
    std::vector<TrendPoint> points;
    for (int point_idx = 0; point_idx < n_points; ++point_idx) {
      if (proportion) {
        const int denominator = 200 + lcg.Next(5000);
        const int per_mille = level + step * point_idx + lcg.Next(41) - 20;
        const int numerator =
            std::clamp(denominator * std::clamp(per_mille, 1, 999) / 1000, 1, denominator - 1);
        points.push_back(Counts(year, numerator, denominator));
      } else {
        const int centi = 10 * level + step * point_idx + lcg.Next(41) - 20;
        const int below = 20 + lcg.Next(200);
        const int above = below + lcg.Next(30);
        points.push_back(
            Interval(year, centi / 100.0, (centi - below) / 100.0, (centi + above) / 100.0));
      }
      year += point_idx == gap_after ? 2 : 1;
    }
    const Direction direction = directions[case_idx % 3];
    const RecentTrendMethod method =
        proportion ? RecentTrendMethod::kProportion : RecentTrendMethod::kValueWithInterval;
    const auto trend = FingertipsRecentTrend(points, Options(method, direction));
    ASSERT_TRUE(trend) << trend.error().message;
    nlohmann::json inputs = nlohmann::json::array();
    for (const TrendPoint& point : points) {
      inputs.push_back({{"year", point.year},
                        {"value", Number(point.value)},
                        {"lower", Number(point.lower)},
                        {"upper", Number(point.upper)},
                        {"numerator", Number(point.numerator)},
                        {"denominator", Number(point.denominator)}});
    }
    trends.push_back({{"method", ToString(method)},
                      {"direction", ToString(direction)},
                      {"points", inputs},
                      {"outcome", ToString(trend->outcome)},
                      {"judgement", ToString(trend->judgement)},
                      {"chi_square", Number(trend->chi_square)},
                      {"p_value", Number(trend->p_value)},
                      {"slope", Number(trend->slope)},
                      {"stable", trend->stable},
                      {"first_year", trend->first_year},
                      {"last_year", trend->last_year}});
  }
  nlohmann::json progress = nlohmann::json::array();
  for (int case_idx = 0; case_idx < 240; ++case_idx) {
    const Direction direction = case_idx % 2 == 0 ? Direction::kHigher : Direction::kLower;
    const int sign = lcg.Next(6) == 0 ? -1 : 1;
    const int first_year = 2013 + lcg.Next(4);
    const int n_years = 1 + lcg.Next(8);
    std::vector<YearValue> series;
    for (int year_idx = 0; year_idx < n_years; ++year_idx) {
      series.push_back({first_year + year_idx, sign * (1 + lcg.Next(1000)) / 10.0});
    }
    ProgressOptions options;
    options.direction = direction;
    const int kind = lcg.Next(3);  // 0: no target, 1: target, 2: no target with a limit
    if (kind == 1) {
      options.target = sign * (1 + lcg.Next(1000)) / 10.0;
      options.target_year = 2025 + lcg.Next(10);
    } else if (kind == 2) {
      options.limit = (1 + lcg.Next(1000)) / 10.0;
    }
    const auto measure = OpenSdgProgress(series, options);
    ASSERT_TRUE(measure) << measure.error().message;
    nlohmann::json inputs = nlohmann::json::array();
    for (const YearValue& point : series) inputs.push_back({point.year, point.value});
    progress.push_back({{"direction", ToString(direction)},
                        {"series", inputs},
                        {"base_year_option", options.base_year},
                        {"target", Number(options.target)},
                        {"target_year", options.target_year},
                        {"limit", Number(options.limit)},
                        {"status", ToString(measure->status)},
                        {"base_year", measure->base_year},
                        {"current_year", measure->current_year},
                        {"observed_growth", Number(measure->observed_growth)},
                        {"required_growth", Number(measure->required_growth)},
                        {"progress_value", Number(measure->progress_value)},
                        {"coefficient", measure->coefficient}});
  }
  std::ofstream out(path);
  ASSERT_TRUE(out) << "cannot write " << path;
  out << nlohmann::json{{"seed", 20240611}, {"trends", trends}, {"progress", progress}}.dump(1)
      << '\n';
  ASSERT_TRUE(out.good());
}

}  // namespace
}  // namespace halsonav::stats
