#include "stats/trends.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace halsonav::stats {
namespace {

tl::unexpected<Error> Invalid(std::string message, std::string_view field, double value) {
  return Fail(ErrorCode::kInvalidValue, std::move(message), {{"field", field}, {"value", value}});
}

tl::unexpected<Error> InvalidAt(std::string message, std::string_view field, double value,
                                int year) {
  return Fail(ErrorCode::kInvalidValue, std::move(message),
              {{"field", field}, {"value", value}, {"year", year}});
}

// "95 %", "99.8 %".
std::string LevelLabel(double level) { return fmt::format("{:g} %", level * 100); }

// The two-sided p-value of a chi-square statistic with one degree of freedom: P(|Z| > sqrt(x)).
double ChiSquare1PValue(double chi_square) { return std::erfc(std::sqrt(chi_square / 2)); }

// +1 or -1 as Fingertips counts a slope's sign (a slope of exactly 0 counts as positive).
int SlopeSign(double slope) { return slope < 0 ? -1 : 1; }

// The first year that appears twice in `years` (sorted), if any.
template <typename T>
std::optional<int> RepeatedYear(const std::vector<T>& sorted) {
  for (std::size_t idx = 1; idx < sorted.size(); ++idx) {
    if (sorted[idx].year == sorted[idx - 1].year) return sorted[idx].year;
  }
  return std::nullopt;
}

// ---- Fingertips' recent trend ------------------------------------------------------------------
//
// Source: Fingertips "Trend markers" technical guidance
// (fingertips.phe.org.uk/static-reports/public-health-technical-guidance/Presentation/
// Trend_markers.html) and its implementation (ukhsa-collaboration/fingertips-open,
// PholioVisualisation.Analysis.TrendMarkers.TrendMarkerCalculator; dhsc-govuk/FingertipsNext,
// trend-analysis). See docs/METHODS.md, "Trends".

std::optional<tl::unexpected<Error>> CheckTrendPoint(const TrendPoint& point,
                                                     RecentTrendMethod method) {
  const std::pair<double, std::string_view> fields[] = {
      {point.value, "value"},
      {point.lower, "lower"},
      {point.upper, "upper"},
      {point.numerator, "numerator"},
      {point.denominator, "denominator"},
  };
  for (const auto& [number, field] : fields) {
    if (std::isinf(number)) {
      return InvalidAt(fmt::format("the {} of {} is infinite", field, point.year), field, number,
                       point.year);
    }
  }
  if (Present(point.numerator) && point.numerator < 0) {
    return InvalidAt(
        fmt::format("the numerator of {} is negative ({})", point.year, point.numerator),
        "numerator", point.numerator, point.year);
  }
  if (Present(point.denominator) && point.denominator <= 0) {
    return InvalidAt(point.denominator == 0 ? fmt::format("the denominator of {} is 0", point.year)
                                            : fmt::format("the denominator of {} is negative ({})",
                                                          point.year, point.denominator),
                     "denominator", point.denominator, point.year);
  }
  if (method == RecentTrendMethod::kProportion && Present(point.numerator) &&
      Present(point.denominator) && point.numerator > point.denominator) {
    return InvalidAt(fmt::format("the numerator of {} ({}) is larger than its denominator ({})",
                                 point.year, point.numerator, point.denominator),
                     "numerator", point.numerator, point.year);
  }
  if (Present(point.lower) && Present(point.upper) && point.lower > point.upper) {
    return InvalidAt(fmt::format("the interval of {} [{}, {}] has its lower limit above its upper "
                                 "limit",
                                 point.year, point.lower, point.upper),
                     "lower", point.lower, point.year);
  }
  if (Present(point.value) && ((Present(point.lower) && point.value < point.lower) ||
                               (Present(point.upper) && point.value > point.upper))) {
    return InvalidAt(fmt::format("the value {} of {} lies outside its interval [{}, {}]",
                                 point.value, point.year, point.lower, point.upper),
                     "value", point.value, point.year);
  }
  return std::nullopt;
}

// A straight-line fit of y on t with weights w over the points not left out (`left_out` < 0:
// none): slope = (S1·Swty − Swt·Swy) / (S1·Swtt − Swt²), its standard error
// sqrt(S1 / (S1·Swtt − Swt²)) when the weights are inverse variances.
struct LineFit {
  double slope = kAbsent;
  double se = kAbsent;
};

LineFit WeightedFit(const std::array<double, kRecentTrendPoints>& t,
                    const std::array<double, kRecentTrendPoints>& y,
                    const std::array<double, kRecentTrendPoints>& w, int left_out) {
  double s1 = 0, swt = 0, swtt = 0, swy = 0, swty = 0;
  for (std::size_t idx = 0; idx < kRecentTrendPoints; ++idx) {
    if (static_cast<int>(idx) == left_out) continue;
    s1 += w[idx];
    swt += w[idx] * t[idx];
    swtt += w[idx] * t[idx] * t[idx];
    swy += w[idx] * y[idx];
    swty += w[idx] * t[idx] * y[idx];
  }
  const double det = s1 * swtt - swt * swt;
  return {(s1 * swty - swt * swy) / det, std::sqrt(s1 / det)};
}

// Fingertips' outlier check: the slope fitted to all five points and the five slopes fitted
// with one point left out must all have the same sign. Returns the year whose omission flips
// the sign, if any.
std::optional<int> UnstableYear(const std::array<double, kRecentTrendPoints>& t,
                                const std::array<double, kRecentTrendPoints>& y,
                                const std::array<double, kRecentTrendPoints>& w, int first_year) {
  const int sign = SlopeSign(WeightedFit(t, y, w, -1).slope);
  for (std::size_t idx = 0; idx < kRecentTrendPoints; ++idx) {
    if (SlopeSign(WeightedFit(t, y, w, static_cast<int>(idx)).slope) != sign) {
      return first_year + static_cast<int>(t[idx]) - 1;
    }
  }
  return std::nullopt;
}

// The proportion test: the chi-square test for trend in proportions (Cochran 1954, Armitage
// 1955) with time scores t, as Fingertips computes it:
//   X² = N (N Σ x t − X Σ n t)² / (X (N − X) (N Σ n t² − (Σ n t)²)),  N = Σ n, X = Σ x,
// and the stability check on the ordinary least-squares slope of logit(x/n) on t.
void ProportionTrend(std::span<const TrendPoint> five, RecentTrend& trend) {
  for (const TrendPoint& point : five) {
    std::string_view missing = !Present(point.numerator)     ? "numerator"
                               : !Present(point.denominator) ? "denominator"
                                                             : "";
    if (!missing.empty()) {
      trend.reason = fmt::format("the {} of {} is missing", missing, point.year);
      return;
    }
    if (point.numerator == 0 || point.numerator == point.denominator) {
      trend.reason = fmt::format(
          "the proportion of {} is {} %: its logit, needed for the stability check, is infinite",
          point.year, point.numerator == 0 ? 0 : 100);
      return;
    }
  }
  std::array<double, kRecentTrendPoints> t{}, logit{}, ones{};
  double sum_n = 0, sum_x = 0, sum_xt = 0, sum_nt = 0, sum_ntt = 0;
  for (std::size_t idx = 0; idx < kRecentTrendPoints; ++idx) {
    const TrendPoint& point = five[idx];
    t[idx] = point.year - trend.first_year + 1;
    logit[idx] = std::log(point.numerator / (point.denominator - point.numerator));
    ones[idx] = 1;
    sum_n += point.denominator;
    sum_x += point.numerator;
    sum_xt += point.numerator * t[idx];
    sum_nt += point.denominator * t[idx];
    sum_ntt += point.denominator * t[idx] * t[idx];
  }
  const double departure = sum_n * sum_xt - sum_x * sum_nt;
  trend.chi_square = sum_n * departure * departure /
                     (sum_x * (sum_n - sum_x) * (sum_n * sum_ntt - sum_nt * sum_nt));
  trend.p_value = ChiSquare1PValue(trend.chi_square);
  trend.slope = WeightedFit(t, logit, ones, -1).slope;
  trend.slope_scale = "logit";
  const std::optional<int> unstable = UnstableYear(t, logit, ones, trend.first_year);
  trend.stable = !unstable;
  if (trend.chi_square <= trend.critical_value) {
    trend.outcome = TrendOutcome::kNoSignificantChange;
    trend.reason =
        fmt::format("the chi-square statistic {:.4g} does not exceed {:.4g} ({})", trend.chi_square,
                    trend.critical_value, LevelLabel(trend.confidence));
  } else if (unstable) {
    trend.outcome = TrendOutcome::kNoSignificantChange;
    trend.reason = fmt::format(
        "the slope changes sign when the point of {} is left out (Fingertips' outlier check)",
        *unstable);
  } else if ((departure > 0) != (trend.slope > 0)) {
    // Not seen in practice: the weighted linear departure and the logit slope disagree.
    trend.outcome = TrendOutcome::kNoSignificantChange;
    trend.reason = "the chi-square departure and the logit slope point in opposite directions";
  } else {
    trend.outcome = departure > 0 ? TrendOutcome::kIncreasing : TrendOutcome::kDecreasing;
  }
}

// The test for every other kind of value: the weighted least-squares slope of the values on
// time with weights 1/se², se = (upper − lower) / (2 z) from the points' intervals, and
// X² = (slope / se(slope))²; the same stability check on the weighted slopes.
void IntervalTrend(std::span<const TrendPoint> five, double interval_z, double interval_level,
                   RecentTrend& trend) {
  std::array<double, kRecentTrendPoints> t{}, value{}, weight{};
  for (std::size_t idx = 0; idx < kRecentTrendPoints; ++idx) {
    const TrendPoint& point = five[idx];
    if (!Present(point.value)) {
      trend.reason = fmt::format("the value of {} is missing", point.year);
      return;
    }
    if (!Present(point.lower) || !Present(point.upper)) {
      trend.reason =
          fmt::format("the {} interval of {} is missing", LevelLabel(interval_level), point.year);
      return;
    }
    const double se = (point.upper - point.lower) / (2 * interval_z);
    if (se == 0) {
      trend.reason = fmt::format("the {} interval of {} has zero width", LevelLabel(interval_level),
                                 point.year);
      return;
    }
    t[idx] = point.year - trend.first_year + 1;
    value[idx] = point.value;
    weight[idx] = 1 / (se * se);
  }
  const LineFit fit = WeightedFit(t, value, weight, -1);
  trend.slope = fit.slope;
  trend.slope_se = fit.se;
  trend.slope_scale = "value";
  trend.chi_square = (fit.slope / fit.se) * (fit.slope / fit.se);
  trend.p_value = ChiSquare1PValue(trend.chi_square);
  const std::optional<int> unstable = UnstableYear(t, value, weight, trend.first_year);
  trend.stable = !unstable;
  if (trend.chi_square <= trend.critical_value) {
    trend.outcome = TrendOutcome::kNoSignificantChange;
    trend.reason =
        fmt::format("the chi-square statistic {:.4g} does not exceed {:.4g} ({})", trend.chi_square,
                    trend.critical_value, LevelLabel(trend.confidence));
  } else if (unstable) {
    trend.outcome = TrendOutcome::kNoSignificantChange;
    trend.reason = fmt::format(
        "the slope changes sign when the point of {} is left out (Fingertips' outlier check)",
        *unstable);
  } else {
    trend.outcome = fit.slope > 0 ? TrendOutcome::kIncreasing : TrendOutcome::kDecreasing;
  }
}

// ---- Open SDG ----------------------------------------------------------------------------------
//
// Source: open-sdg/sdg-build sdg/ProgressMeasure.py and the Open SDG documentation
// "Progress Measurement Methodology" (docs/progress-methodology.md, after Statistics Canada).

// Open SDG replaces a zero base value or target by this, as the exponential model needs it.
constexpr double kOpenSdgZeroSubstitute = 0.001;

// The compound annual growth rate from `from` in `from_year` to `to` in `to_year`.
double GrowthRate(double to, double from, double to_year, double from_year) {
  return std::pow(to / from, 1 / (to_year - from_year)) - 1;
}

// Statistics Canada's scaling of the no-target thresholds near a natural limit (exponent 4.44).
double LimitCoefficient(double base_value, double limit) {
  const double base = std::abs(base_value);
  const double lim = std::abs(limit);
  // Checked first so that a base value and a limit of 0 give 1, as sdg-build does.
  if (base >= 2 * lim) return 1;
  if (base <= lim) return 1 - std::pow(base / lim, 4.44);
  return 1 - std::pow((2 * lim - base) / lim, 4.44);
}

ProgressStatus StatusFor(double progress_value, const ProgressMeasure& measure) {
  if (progress_value >= measure.threshold_high) return ProgressStatus::kSubstantialProgress;
  if (progress_value >= measure.threshold_med) return ProgressStatus::kModerateProgress;
  if (progress_value >= measure.threshold_low) return ProgressStatus::kLimitedProgress;
  return ProgressStatus::kDeterioration;
}

void AddNote(std::string& note, std::string_view text) {
  if (!note.empty()) note += "; ";
  note += text;
}

// ---- Västmanland -------------------------------------------------------------------------------

std::optional<tl::unexpected<Error>> CheckEstimate(const YearEstimate& estimate,
                                                   std::string_view which) {
  const std::pair<double, std::string_view> fields[] = {
      {estimate.value, "value"}, {estimate.lower, "lower"}, {estimate.upper, "upper"}};
  for (const auto& [number, field] : fields) {
    if (std::isinf(number)) {
      return InvalidAt(fmt::format("the {} {} of {} is infinite", which, field, estimate.year),
                       field, number, estimate.year);
    }
  }
  if (Present(estimate.lower) && Present(estimate.upper) && estimate.lower > estimate.upper) {
    return InvalidAt(fmt::format("the {} interval of {} [{}, {}] has its lower limit above its "
                                 "upper limit",
                                 which, estimate.year, estimate.lower, estimate.upper),
                     "lower", estimate.lower, estimate.year);
  }
  if (Present(estimate.value) && ((Present(estimate.lower) && estimate.value < estimate.lower) ||
                                  (Present(estimate.upper) && estimate.value > estimate.upper))) {
    return InvalidAt(fmt::format("the {} value {} of {} lies outside its interval [{}, {}]", which,
                                 estimate.value, estimate.year, estimate.lower, estimate.upper),
                     "value", estimate.value, estimate.year);
  }
  return std::nullopt;
}

bool HasInterval(const YearEstimate& estimate) {
  return Present(estimate.lower) && Present(estimate.upper);
}

}  // namespace

Result<RecentTrend> FingertipsRecentTrend(std::span<const TrendPoint> points,
                                          const RecentTrendOptions& options) {
  const auto confidence = MakeConfidence(options.confidence);
  if (!confidence) return tl::unexpected(confidence.error());
  const auto interval_confidence = MakeConfidence(options.interval_confidence);
  if (!interval_confidence) return tl::unexpected(interval_confidence.error());

  std::vector<TrendPoint> sorted(points.begin(), points.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const TrendPoint& a, const TrendPoint& b) { return a.year < b.year; });
  if (const auto year = RepeatedYear(sorted)) {
    return InvalidAt(fmt::format("year {} appears twice", *year), "year", *year, *year);
  }
  for (const TrendPoint& point : sorted) {
    if (auto error = CheckTrendPoint(point, options.method)) return *error;
  }

  RecentTrend trend;
  trend.method = ToString(options.method);
  trend.confidence = confidence->level;
  // The chi-square(1) quantile is the square of the two-sided normal quantile.
  trend.critical_value = confidence->z * confidence->z;
  if (sorted.size() < kRecentTrendPoints) {
    trend.reason =
        fmt::format("fewer than {} points ({} given)", kRecentTrendPoints, sorted.size());
    return trend;
  }
  const std::span<const TrendPoint> five(sorted.data() + sorted.size() - kRecentTrendPoints,
                                         kRecentTrendPoints);
  trend.first_year = five.front().year;
  trend.last_year = five.back().year;
  if (options.method == RecentTrendMethod::kProportion) {
    ProportionTrend(five, trend);
  } else {
    IntervalTrend(five, interval_confidence->z, interval_confidence->level, trend);
  }
  const bool increasing = trend.outcome == TrendOutcome::kIncreasing;
  if ((increasing || trend.outcome == TrendOutcome::kDecreasing) &&
      options.direction != Direction::kNone) {
    const bool better = increasing == (options.direction == Direction::kHigher);
    trend.judgement = better ? TrendJudgement::kGettingBetter : TrendJudgement::kGettingWorse;
  }
  return trend;
}

Result<ProgressMeasure> OpenSdgProgress(std::span<const YearValue> series,
                                        const ProgressOptions& options) {
  if (options.direction == Direction::kNone) {
    return Fail(ErrorCode::kInvalidValue,
                "Open SDG's progress measure needs the indicator's direction (higher or lower is "
                "better)",
                {{"field", "direction"}, {"value", "none"}});
  }
  const bool has_target = Present(options.target);
  if (std::isinf(options.target))
    return Invalid("the target is infinite", "target", options.target);
  if (std::isinf(options.limit)) return Invalid("the limit is infinite", "limit", options.limit);
  if (has_target && options.target_year <= options.base_year) {
    return Invalid(fmt::format("the target year {} is not after the base year {}",
                               options.target_year, options.base_year),
                   "target_year", options.target_year);
  }
  std::vector<YearValue> sorted(series.begin(), series.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const YearValue& a, const YearValue& b) { return a.year < b.year; });
  if (const auto year = RepeatedYear(sorted)) {
    return InvalidAt(fmt::format("year {} appears twice", *year), "year", *year, *year);
  }
  for (const YearValue& point : sorted) {
    if (std::isinf(point.value)) {
      return InvalidAt(fmt::format("the value of {} is infinite", point.year), "value", point.value,
                       point.year);
    }
  }
  std::erase_if(sorted, [](const YearValue& point) { return !Present(point.value); });

  const double direction = options.direction == Direction::kHigher ? 1 : -1;
  ProgressMeasure measure;
  measure.method = has_target ? "growth_ratio" : "growth";
  if (has_target) {
    measure.target = options.target;
    measure.target_year = options.target_year;
    if (measure.target == 0) {
      measure.target = kOpenSdgZeroSubstitute;
      AddNote(measure.note, "the target 0 is replaced by 0.001, as Open SDG does");
    }
  }
  if (sorted.empty()) {
    AddNote(measure.note, "no year has a value");
    return measure;
  }
  measure.current_year = sorted.back().year;
  measure.current_value = sorted.back().value;
  // Reaching the target is the status whatever else can or cannot be computed.
  const bool target_achieved =
      has_target && (direction > 0 ? measure.current_value >= measure.target
                                   : measure.current_value <= measure.target);
  if (target_achieved) measure.status = ProgressStatus::kTargetAchieved;
  // The base year, or the first later year with a value.
  const auto base = std::find_if(sorted.begin(), sorted.end(), [&](const YearValue& point) {
    return point.year >= options.base_year;
  });
  if (base == sorted.end()) {
    AddNote(measure.note, fmt::format("no value in or after the base year {} (the latest is {})",
                                      options.base_year, measure.current_year));
    return measure;
  }
  measure.base_year = base->year;
  measure.base_value = base->value;

  if (has_target) {
    measure.threshold_high = 0.95;
    measure.threshold_med = 0.6;
    measure.threshold_low = 0;
    if (Present(options.limit)) AddNote(measure.note, "the limit is ignored: a target is given");
  } else {
    measure.threshold_high = 0.015;
    measure.threshold_med = 0.005;
    measure.threshold_low = 0;
    if (Present(options.limit)) {
      measure.coefficient = LimitCoefficient(measure.base_value, options.limit);
      measure.threshold_high *= measure.coefficient;
      measure.threshold_med *= measure.coefficient;
      measure.threshold_low *= measure.coefficient;
    }
  }
  if (measure.base_value == 0) {
    measure.base_value = kOpenSdgZeroSubstitute;
    AddNote(measure.note, "the base value 0 is replaced by 0.001, as Open SDG does");
  }
  const double sign = measure.base_value < 0 ? -1 : 1;
  if ((measure.base_value > 0 && measure.current_value < 0) ||
      (measure.base_value < 0 && measure.current_value > 0)) {
    AddNote(measure.note, fmt::format("the base value {} and the current value {} have different "
                                      "signs",
                                      measure.base_value, measure.current_value));
    return measure;
  }
  if (measure.current_year == measure.base_year) {
    AddNote(measure.note, fmt::format("fewer than two years: the base year {} is the latest year",
                                      measure.base_year));
    return measure;
  }
  measure.observed_growth = GrowthRate(measure.current_value, measure.base_value,
                                       measure.current_year, measure.base_year);
  if (!has_target) {
    measure.progress_value = sign * direction * measure.observed_growth;
  } else {
    if (measure.target_year <= measure.base_year) {
      AddNote(measure.note, fmt::format("the base year used, {}, is not before the target year {}",
                                        measure.base_year, measure.target_year));
      return measure;
    }
    if ((measure.target > 0) != (measure.base_value > 0)) {
      AddNote(measure.note, fmt::format("the target {} and the base value {} have different signs",
                                        measure.target, measure.base_value));
      return measure;
    }
    measure.required_growth =
        GrowthRate(measure.target, measure.base_value, measure.target_year, measure.base_year);
    if (measure.required_growth == 0) {
      AddNote(measure.note, "the target equals the base value: no growth is required");
      return measure;
    }
    measure.progress_value =
        sign * direction * measure.observed_growth / std::abs(measure.required_growth);
  }
  if (!target_achieved) measure.status = StatusFor(measure.progress_value, measure);
  return measure;
}

// The Västmanland rule. Source: Region Västmanland, Program för hälsoinriktning 2021–2022
// ("en positiv förflyttning ske inom samtliga", values of 2020 compared with 2023; quoted in
// docs/METHODS.md). The standard errors read from the intervals and the test of the difference
// of two independent estimates follow Altman & Bland (2003), BMJ 326:219.
Result<ChangeAssessment> AssessChange(const YearEstimate& baseline, const YearEstimate& follow_up,
                                      Direction direction, double confidence) {
  const auto level = MakeConfidence(confidence);
  if (!level) return tl::unexpected(level.error());
  if (direction == Direction::kNone) {
    return Fail(ErrorCode::kInvalidValue,
                "a positive movement needs the indicator's direction (higher or lower is better)",
                {{"field", "direction"}, {"value", "none"}});
  }
  if (follow_up.year <= baseline.year) {
    return Invalid(fmt::format("the follow-up year {} is not after the baseline year {}",
                               follow_up.year, baseline.year),
                   "follow_up.year", follow_up.year);
  }
  if (auto error = CheckEstimate(baseline, "baseline")) return *error;
  if (auto error = CheckEstimate(follow_up, "follow-up")) return *error;

  ChangeAssessment change;
  change.confidence = level->level;
  change.baseline_year = baseline.year;
  change.follow_up_year = follow_up.year;
  change.baseline_value = baseline.value;
  change.follow_up_value = follow_up.value;
  if (!Present(baseline.value) || !Present(follow_up.value)) {
    change.reason =
        fmt::format("the {} ({}) has no value", Present(baseline.value) ? "follow-up" : "baseline",
                    Present(baseline.value) ? follow_up.year : baseline.year);
    return change;
  }
  change.change = follow_up.value - baseline.value;
  const double desired = direction == Direction::kHigher ? change.change : -change.change;
  change.positive = desired > 0;
  const bool both_intervals = HasInterval(baseline) && HasInterval(follow_up);
  if (both_intervals) {
    change.intervals_overlap =
        std::max(baseline.lower, follow_up.lower) <= std::min(baseline.upper, follow_up.upper);
    const double se_baseline = (baseline.upper - baseline.lower) / (2 * level->z);
    const double se_follow_up = (follow_up.upper - follow_up.lower) / (2 * level->z);
    change.change_se = std::hypot(se_baseline, se_follow_up);
    change.change_lower = change.change - level->z * change.change_se;
    change.change_upper = change.change + level->z * change.change_se;
    if (change.change_se > 0) {
      change.p_value = std::erfc(std::abs(change.change) / change.change_se / std::sqrt(2.0));
    } else {
      change.reason = "both intervals have zero width: the change is taken as exact";
    }
  } else {
    change.reason =
        fmt::format("the {} ({}) has no interval", HasInterval(baseline) ? "follow-up" : "baseline",
                    HasInterval(baseline) ? follow_up.year : baseline.year);
  }
  if (desired == 0) {
    change.outcome = ChangeOutcome::kNoChange;
  } else if (!both_intervals) {
    change.outcome = change.positive ? ChangeOutcome::kImprovementUncertaintyUnknown
                                     : ChangeOutcome::kDeteriorationUncertaintyUnknown;
  } else {
    const bool significant = change.change_lower > 0 || change.change_upper < 0;
    if (change.positive) {
      change.outcome = significant ? ChangeOutcome::kSignificantImprovement
                                   : ChangeOutcome::kImprovementWithinUncertainty;
    } else {
      change.outcome = significant ? ChangeOutcome::kSignificantDeterioration
                                   : ChangeOutcome::kDeteriorationWithinUncertainty;
    }
  }
  return change;
}

Result<GoalAssessment> AssessProgrammeGoal(std::span<const ChangeAssessment> changes) {
  if (changes.empty()) {
    return Fail(ErrorCode::kInvalidValue, "no indicators given: the goal needs at least one",
                {{"field", "changes"}, {"value", 0}});
  }
  GoalAssessment goal;
  goal.indicators = changes.size();
  for (const ChangeAssessment& change : changes) {
    switch (change.outcome) {
      case ChangeOutcome::kSignificantImprovement:
        ++goal.significantly_improved;
        ++goal.improved;
        break;
      case ChangeOutcome::kImprovementWithinUncertainty:
      case ChangeOutcome::kImprovementUncertaintyUnknown:
        ++goal.improved;
        break;
      case ChangeOutcome::kNoChange:
      case ChangeOutcome::kDeteriorationUncertaintyUnknown:
      case ChangeOutcome::kDeteriorationWithinUncertainty:
      case ChangeOutcome::kSignificantDeterioration:
        ++goal.not_improved;
        break;
      case ChangeOutcome::kNotAssessed:
        ++goal.not_assessed;
        break;
    }
  }
  if (goal.not_improved > 0) {
    goal.outcome = GoalOutcome::kNotMet;
    goal.reason = fmt::format("{} of {} indicators did not move positively", goal.not_improved,
                              goal.indicators);
  } else if (goal.not_assessed > 0) {
    goal.outcome = GoalOutcome::kNotAssessed;
    goal.reason = fmt::format("{} of {} indicators could not be assessed", goal.not_assessed,
                              goal.indicators);
  } else if (goal.significantly_improved == goal.indicators) {
    goal.outcome = GoalOutcome::kMetSignificantly;
  } else {
    goal.outcome = GoalOutcome::kMet;
    goal.reason = fmt::format(
        "{} of {} improvements are within the uncertainty or of unknown "
        "uncertainty",
        goal.indicators - goal.significantly_improved, goal.indicators);
  }
  return goal;
}

}  // namespace halsonav::stats
