#pragma once

// Trends over time (docs/METHODS.md, "Trends"): Fingertips' recent-trend test, Open SDG's
// progress measure and the Västmanland health programme's rule of positive movement between a
// baseline and a follow-up year. Pure functions; thread-safe.
//
// Every function checks its input. Bad input is an error (ErrorCode::kInvalidValue) whose
// message says what and where ("year 2019 appears twice", "the denominator of 2021 is 0");
// `details` holds {"field", "value"} and, for a point, its "year". Data that are merely missing
// (kAbsent) are no error: the outcome then says the figure could not be calculated, and
// `reason` says why.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "core/statistics.hpp"
#include "stats/estimate.hpp"

namespace halsonav::stats {

// ---- Fingertips' recent trend ------------------------------------------------------------------

// Which of Fingertips' two tests: the chi-square test for trend in proportions
// (Cochran–Armitage) from numerators and denominators, or, for every other kind of value (rates,
// means, ratios, life expectancy), the weighted regression of the values on time with weights
// from their confidence intervals. API ids "chi_square_for_trend" and "weighted_regression".
enum class RecentTrendMethod { kProportion, kValueWithInterval };

// One yearly point of a series. The proportion test reads numerator and denominator; the other
// test reads value, lower and upper (an interval at RecentTrendOptions::interval_confidence).
struct TrendPoint {
  int year = 0;
  double value = kAbsent;
  double lower = kAbsent;
  double upper = kAbsent;
  double numerator = kAbsent;
  double denominator = kAbsent;
};

struct RecentTrendOptions {
  RecentTrendMethod method = RecentTrendMethod::kProportion;
  Direction direction = Direction::kNone;  // turns increasing / decreasing into better / worse
  double confidence = kConf998;            // the test's level; Fingertips uses 99.8 %
  double interval_confidence = kConf95;    // the level of the points' intervals
};

// API ids "increasing", "decreasing", "no_significant_change", "could_not_be_calculated".
enum class TrendOutcome { kIncreasing, kDecreasing, kNoSignificantChange, kCouldNotBeCalculated };

// A significant trend judged by the indicator's direction: "getting_better", "getting_worse";
// "not_judged" when there is no significant trend or the indicator has no direction.
enum class TrendJudgement { kGettingBetter, kGettingWorse, kNotJudged };

// Fingertips tests the five most recent points.
inline constexpr std::size_t kRecentTrendPoints = 5;

struct RecentTrend {
  TrendOutcome outcome = TrendOutcome::kCouldNotBeCalculated;
  TrendJudgement judgement = TrendJudgement::kNotJudged;
  std::string_view method;  // "chi_square_for_trend" or "weighted_regression"
  double confidence = kConf998;
  int first_year = 0;  // the years tested (0 when too few points were given)
  int last_year = 0;
  double chi_square = kAbsent;      // the test statistic, 1 degree of freedom
  double critical_value = kAbsent;  // chi-square(1) quantile at `confidence` (9.5495 at 99.8 %)
  double p_value = kAbsent;         // two-sided
  // The fitted slope per year: of the logit of the proportion (proportion test, ordinary least
  // squares) or of the value (weighted regression).
  double slope = kAbsent;
  double slope_se = kAbsent;     // weighted regression only
  std::string_view slope_scale;  // "logit" or "value"
  bool stable = false;  // the slope keeps its sign when any one of the five points is left out
  std::string reason;   // why the trend could not be calculated or is not significant
};

// Fingertips' recent trend of the five most recent points (by year; any order given). A trend is
// significant when the chi-square statistic exceeds the critical value and the slope is stable
// (Fingertips' outlier check). The outcome is kCouldNotBeCalculated with a reason when fewer
// than five points are given, when one of the five lacks a figure the method needs, when an
// interval has zero width, or when a proportion is 0 or 1 (its logit is infinite).
// Errors: a year given twice, a number that is infinite, a negative numerator, a denominator
// that is not above 0, a numerator above its denominator (proportion test), a lower limit above
// its upper limit, a value outside its interval, an invalid confidence level.
Result<RecentTrend> FingertipsRecentTrend(std::span<const TrendPoint> points,
                                          const RecentTrendOptions& options);

// ---- Open SDG's progress measure ---------------------------------------------------------------

struct YearValue {
  int year = 0;
  double value = kAbsent;  // missing values are skipped
};

struct ProgressOptions {
  Direction direction = Direction::kNone;  // required: kHigher (Open SDG "positive") or kLower
  int base_year = 2015;     // Open SDG's default; the next year with a value when it has none
  double target = kAbsent;  // absent: progress without a target
  int target_year = 2030;   // Open SDG's default
  double limit = kAbsent;   // a natural limit (e.g. 100 %); scales the thresholds without target
};

// Open SDG's progress statuses, with Open SDG's ids: "target_achieved",
// "substantial_progress", "moderate_progress", "limited_progress", "deterioration",
// "not_available".
enum class ProgressStatus {
  kTargetAchieved,
  kSubstantialProgress,
  kModerateProgress,
  kLimitedProgress,
  kDeterioration,
  kNotAvailable,
};

struct ProgressMeasure {
  ProgressStatus status = ProgressStatus::kNotAvailable;
  std::string_view method;  // "growth" (no target) or "growth_ratio" (target)
  int base_year = 0;        // the base year used
  int current_year = 0;     // the latest year with a value
  double base_value = kAbsent;
  double current_value = kAbsent;
  double target = kAbsent;
  int target_year = 0;
  double observed_growth = kAbsent;  // compound annual growth rate from base to current year
  double required_growth = kAbsent;  // the rate that reaches the target in the target year
  // The figure compared with the thresholds: the observed growth signed by the direction (no
  // target), or its ratio to the magnitude of the required growth (target).
  double progress_value = kAbsent;
  double coefficient = 1;  // the limit's scaling of the thresholds (1: none)
  double threshold_high = kAbsent;
  double threshold_med = kAbsent;
  double threshold_low = kAbsent;
  std::string note;  // why not available, or what Open SDG substituted (a zero value → 0.001)
};

// Open SDG's progress status of a yearly series (sdg-build ProgressMeasure, Statistics Canada's
// methodology). Not available (with a note) when no year has a value, when the base year is
// after the latest year, when fewer than two years are left, when base and current value have
// different signs, or when the target equals the base value.
// Errors: a year given twice, an infinite value, target or limit infinite, a direction of kNone,
// a target year not after the base year (with a target).
Result<ProgressMeasure> OpenSdgProgress(std::span<const YearValue> series,
                                        const ProgressOptions& options);

// ---- The Västmanland rule: positive movement from a baseline to a follow-up ---------------------

struct YearEstimate {
  int year = 0;
  double value = kAbsent;
  double lower = kAbsent;  // its confidence interval at the `confidence` of AssessChange
  double upper = kAbsent;
};

// The movement of one indicator, by its direction. "significant_improvement",
// "improvement_within_uncertainty", "improvement_uncertainty_unknown" (an interval is
// missing), "no_change" (equal values), "deterioration_uncertainty_unknown",
// "deterioration_within_uncertainty", "significant_deterioration", "not_assessed" (a value is
// missing).
enum class ChangeOutcome {
  kSignificantImprovement,
  kImprovementWithinUncertainty,
  kImprovementUncertaintyUnknown,
  kNoChange,
  kDeteriorationUncertaintyUnknown,
  kDeteriorationWithinUncertainty,
  kSignificantDeterioration,
  kNotAssessed,
};

struct ChangeAssessment {
  ChangeOutcome outcome = ChangeOutcome::kNotAssessed;
  bool positive = false;  // the value moved in the desired direction (Västmanland's criterion)
  double confidence = kConf95;
  int baseline_year = 0;
  int follow_up_year = 0;
  double baseline_value = kAbsent;
  double follow_up_value = kAbsent;
  double change = kAbsent;        // follow-up − baseline
  double change_se = kAbsent;     // sqrt(se_baseline² + se_follow_up²), se = interval width / 2z
  double change_lower = kAbsent;  // the change's interval at `confidence`
  double change_upper = kAbsent;
  double p_value = kAbsent;        // two-sided, normal approximation
  bool intervals_overlap = false;  // the two estimates' intervals overlap (for information)
  std::string reason;              // why not assessed or why the uncertainty is unknown
};

// Judges one indicator's change from `baseline` to `follow_up` with the two estimates'
// intervals (both at `confidence`): the standard errors are read from the interval widths and
// the change is significant when its interval excludes 0 (docs/METHODS.md, "Trends").
// Errors: a direction of kNone, a follow-up year not after the baseline year, an infinite
// number, a lower limit above its upper limit, a value outside its interval, an invalid
// confidence level.
Result<ChangeAssessment> AssessChange(const YearEstimate& baseline, const YearEstimate& follow_up,
                                      Direction direction, double confidence = kConf95);

// The programme goal: "met_significantly" (every indicator improved significantly), "met"
// (every indicator moved positively, not all beyond their uncertainty), "not_met" (at least one
// did not move positively), "not_assessed" (none failed, but at least one could not be
// assessed).
enum class GoalOutcome { kMetSignificantly, kMet, kNotMet, kNotAssessed };

struct GoalAssessment {
  GoalOutcome outcome = GoalOutcome::kNotAssessed;
  std::size_t indicators = 0;
  std::size_t improved = 0;  // moved positively (any improvement outcome)
  std::size_t significantly_improved = 0;
  std::size_t not_improved = 0;  // no change or deterioration
  std::size_t not_assessed = 0;
  std::string reason;
};

// The Västmanland goal rule over the indicators' changes. Error: no changes given.
Result<GoalAssessment> AssessProgrammeGoal(std::span<const ChangeAssessment> changes);

}  // namespace halsonav::stats

namespace halsonav {

template <>
struct EnumNames<stats::RecentTrendMethod> {
  static constexpr std::array<std::pair<stats::RecentTrendMethod, std::string_view>, 2> kValues{{
      {stats::RecentTrendMethod::kProportion, "chi_square_for_trend"},
      {stats::RecentTrendMethod::kValueWithInterval, "weighted_regression"},
  }};
};

template <>
struct EnumNames<stats::TrendOutcome> {
  static constexpr std::array<std::pair<stats::TrendOutcome, std::string_view>, 4> kValues{{
      {stats::TrendOutcome::kIncreasing, "increasing"},
      {stats::TrendOutcome::kDecreasing, "decreasing"},
      {stats::TrendOutcome::kNoSignificantChange, "no_significant_change"},
      {stats::TrendOutcome::kCouldNotBeCalculated, "could_not_be_calculated"},
  }};
};

template <>
struct EnumNames<stats::TrendJudgement> {
  static constexpr std::array<std::pair<stats::TrendJudgement, std::string_view>, 3> kValues{{
      {stats::TrendJudgement::kGettingBetter, "getting_better"},
      {stats::TrendJudgement::kGettingWorse, "getting_worse"},
      {stats::TrendJudgement::kNotJudged, "not_judged"},
  }};
};

template <>
struct EnumNames<stats::ProgressStatus> {
  static constexpr std::array<std::pair<stats::ProgressStatus, std::string_view>, 6> kValues{{
      {stats::ProgressStatus::kTargetAchieved, "target_achieved"},
      {stats::ProgressStatus::kSubstantialProgress, "substantial_progress"},
      {stats::ProgressStatus::kModerateProgress, "moderate_progress"},
      {stats::ProgressStatus::kLimitedProgress, "limited_progress"},
      {stats::ProgressStatus::kDeterioration, "deterioration"},
      {stats::ProgressStatus::kNotAvailable, "not_available"},
  }};
};

template <>
struct EnumNames<stats::ChangeOutcome> {
  static constexpr std::array<std::pair<stats::ChangeOutcome, std::string_view>, 8> kValues{{
      {stats::ChangeOutcome::kSignificantImprovement, "significant_improvement"},
      {stats::ChangeOutcome::kImprovementWithinUncertainty, "improvement_within_uncertainty"},
      {stats::ChangeOutcome::kImprovementUncertaintyUnknown, "improvement_uncertainty_unknown"},
      {stats::ChangeOutcome::kNoChange, "no_change"},
      {stats::ChangeOutcome::kDeteriorationUncertaintyUnknown, "deterioration_uncertainty_unknown"},
      {stats::ChangeOutcome::kDeteriorationWithinUncertainty, "deterioration_within_uncertainty"},
      {stats::ChangeOutcome::kSignificantDeterioration, "significant_deterioration"},
      {stats::ChangeOutcome::kNotAssessed, "not_assessed"},
  }};
};

template <>
struct EnumNames<stats::GoalOutcome> {
  static constexpr std::array<std::pair<stats::GoalOutcome, std::string_view>, 4> kValues{{
      {stats::GoalOutcome::kMetSignificantly, "met_significantly"},
      {stats::GoalOutcome::kMet, "met"},
      {stats::GoalOutcome::kNotMet, "not_met"},
      {stats::GoalOutcome::kNotAssessed, "not_assessed"},
  }};
};

}  // namespace halsonav
