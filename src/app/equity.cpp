// The statistics engine on stored data (docs/METHODS.md): the measures of inequality between the
// categories of one breakdown dimension (GET /indicators/{code}/equity), and the benchmark and
// trend markers of observations and the area profile. Suppressed figures never enter a
// computation: a measure over them could give them away.

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/app.hpp"
#include "app/stats_support.hpp"
#include "stats/compare.hpp"
#include "stats/inequality.hpp"
#include "stats/intervals.hpp"
#include "stats/trends.hpp"
#include "store/store.hpp"

namespace halsonav {
namespace stats_support {
namespace {

constexpr double kZ95 = 1.959963984540054;
constexpr double kZ998 = 3.090232306167813;

bool Shown(const ObservationRow& row) {
  return (row.status & (kObservationSuppressed | kObservationMissing)) == 0 && Present(row.value);
}

// What the stored value is "per": 100 for a percentage, the indicator's `per` for a rate, 1 for
// a plain proportion; absent when the value is not a count over a population.
double Multiplier(const Indicator& indicator, double value) {
  if (indicator.value_type == ValueType::kProportion) {
    return indicator.unit.find('%') != std::string::npos || value > 1 ? 100 : 1;
  }
  if (indicator.value_type == ValueType::kRate && indicator.per > 0) return indicator.per;
  return kAbsent;
}

}  // namespace

stats::ValueWithIntervals Intervals(const ObservationRow& row, const Indicator& indicator) {
  stats::ValueWithIntervals out;
  if (!Shown(row)) return out;
  out.value = row.value;
  if (Present(row.ci_low) && Present(row.ci_high) && row.ci_low <= row.value &&
      row.value <= row.ci_high) {
    // The stored interval is the 95 % one; the 99.8 % interval widens each side by z99.8/z95
    // (a normal approximation on the value's scale; docs/METHODS.md).
    out.lower_95 = row.ci_low;
    out.upper_95 = row.ci_high;
    out.lower_998 = row.value - (row.value - row.ci_low) * kZ998 / kZ95;
    out.upper_998 = row.value + (row.ci_high - row.value) * kZ998 / kZ95;
    return out;
  }
  // No interval stored: a proportion with its counts gets Wilson's at both levels.
  const double multiplier = Multiplier(indicator, row.value);
  if (indicator.value_type == ValueType::kProportion && Present(multiplier) &&
      Present(row.numerator) && Present(row.denominator)) {
    auto at_95 = stats::Proportion(row.numerator, row.denominator, stats::kConf95, multiplier);
    auto at_998 = stats::Proportion(row.numerator, row.denominator, stats::kConf998, multiplier);
    if (at_95 && at_998) {
      out.lower_95 = at_95->lower;
      out.upper_95 = at_95->upper;
      out.lower_998 = at_998->lower;
      out.upper_998 = at_998->upper;
    }
  }
  return out;
}

double StandardError(const ObservationRow& row, const Indicator& indicator) {
  if (!Shown(row)) return kAbsent;
  if (Present(row.ci_low) && Present(row.ci_high) && row.ci_high >= row.ci_low) {
    return (row.ci_high - row.ci_low) / (2 * kZ95);
  }
  const double multiplier = Multiplier(indicator, row.value);
  const double n = Present(row.denominator) ? row.denominator : row.respondents;
  if (indicator.value_type == ValueType::kProportion && Present(multiplier) && Present(n) &&
      n > 0) {
    const double p = std::clamp(row.value / multiplier, 0.0, 1.0);
    return std::sqrt(p * (1 - p) / n) * multiplier;
  }
  return kAbsent;
}

// The population behind a figure: the denominator, else the respondents, else numerator over the
// value (a share or rate of known multiplier).
std::pair<double, std::string_view> Population(const ObservationRow& row,
                                               const Indicator& indicator) {
  if (Present(row.denominator) && row.denominator > 0) return {row.denominator, "denominator"};
  if (Present(row.respondents) && row.respondents > 0) return {row.respondents, "respondents"};
  const double multiplier = Multiplier(indicator, row.value);
  if (Present(row.numerator) && Present(multiplier) && Present(row.value) && row.value > 0) {
    return {row.numerator * multiplier / row.value, "numerator_over_value"};
  }
  return {kAbsent, ""};
}

ComparisonOutcomes CompareRows(const ObservationRow& row, const ObservationRow& benchmark,
                               const Indicator& indicator) {
  ComparisonOutcomes out;
  if (!Shown(benchmark)) {
    out.reason = "the benchmark has no value shown for this period";
    return out;
  }
  auto comparison = stats::CompareWithBenchmarkValue(Intervals(row, indicator), benchmark.value,
                                                     indicator.direction);
  if (!comparison) {
    out.reason = comparison.error().message;
    return out;
  }
  out.at_95 = ToString(comparison->at_95.outcome);
  out.at_998 = ToString(comparison->at_998.outcome);
  out.reason =
      comparison->at_95.reason.empty() ? comparison->at_998.reason : comparison->at_95.reason;
  return out;
}

Json ComparisonJson(const ObservationRow& row, const ObservationRow& benchmark,
                    const std::string& benchmark_area, const Indicator& indicator) {
  const auto outcomes = CompareRows(row, benchmark, indicator);
  return Json{{"area", benchmark_area},
              {"value", Shown(benchmark) ? Json(benchmark.value) : Json(nullptr)},
              {"at_95", outcomes.at_95},
              {"at_998", outcomes.at_998},
              {"reason", outcomes.reason.empty() ? Json(nullptr) : Json(outcomes.reason)}};
}

TrendMarker TrendOf(std::span<const ObservationRow> rows, const Indicator& indicator) {
  // The most recent points, yearly periods only, none suppressed, no break inside.
  std::array<stats::TrendPoint, stats::kRecentTrendPoints> points{};
  std::size_t count = 0;
  bool proportion_counts = indicator.value_type == ValueType::kProportion;
  TrendMarker marker;
  for (auto it = rows.rbegin(); it != rows.rend() && count < stats::kRecentTrendPoints; ++it) {
    const auto period = PeriodFromKey(it->period);
    if (!period || period->months % 12 != 0 || period->end_month != 12) {
      marker.reason = "the periods are not years";
      break;
    }
    if (!Shown(*it)) {
      marker.reason = fmt::format("{} has no value shown", PeriodCode(*period));
      break;
    }
    stats::TrendPoint& point = points[count++];
    point.year = period->end_year;
    point.value = it->value;
    point.lower = it->ci_low;
    point.upper = it->ci_high;
    point.numerator = it->numerator;
    point.denominator = Present(it->denominator) ? it->denominator : it->respondents;
    if (!Present(point.numerator) || !Present(point.denominator)) proportion_counts = false;
    if ((it->status & kObservationBreak) != 0 && count < stats::kRecentTrendPoints) {
      marker.reason = fmt::format("a break in the series in {}", PeriodCode(*period));
      break;
    }
  }
  if (count < stats::kRecentTrendPoints) {
    if (marker.reason.empty()) {
      marker.reason =
          fmt::format("{} of the {} points the test needs", count, stats::kRecentTrendPoints);
    }
    return marker;
  }
  stats::RecentTrendOptions options;
  options.method = proportion_counts ? stats::RecentTrendMethod::kProportion
                                     : stats::RecentTrendMethod::kValueWithInterval;
  options.direction = indicator.direction;
  marker.method = ToString(options.method);
  auto trend = stats::FingertipsRecentTrend(points, options);
  if (!trend) {
    marker.reason = trend.error().message;
    return marker;
  }
  marker.outcome = ToString(trend->outcome);
  marker.judgement = ToString(trend->judgement);
  marker.method = trend->method;
  marker.first_year = trend->first_year;
  marker.last_year = trend->last_year;
  marker.p_value = trend->p_value;
  marker.reason = trend->reason;
  return marker;
}

Json TrendJson(std::span<const ObservationRow> rows, const Indicator& indicator) {
  const TrendMarker marker = TrendOf(rows, indicator);
  Json out{{"outcome", marker.outcome},
           {"judgement", marker.judgement},
           {"method", marker.method.empty() ? Json(nullptr) : Json(marker.method)}};
  if (marker.first_year != 0) {
    out["first_year"] = marker.first_year;
    out["last_year"] = marker.last_year;
    out["p_value"] = Number(marker.p_value);
  }
  out["reason"] = marker.reason.empty() ? Json(nullptr) : Json(marker.reason);
  return out;
}

std::string TrendText(const TrendMarker& marker) {
  auto text = [](std::string_view value) {
    return value.empty() ? std::string("null")
                         : Json(value).dump(-1, ' ', false, Json::error_handler_t::replace);
  };
  std::string out = fmt::format(R"({{"outcome":"{}","judgement":"{}","method":{})", marker.outcome,
                                marker.judgement, text(marker.method));
  if (marker.first_year != 0) {
    out += fmt::format(R"(,"first_year":{},"last_year":{},"p_value":{})", marker.first_year,
                       marker.last_year,
                       Present(marker.p_value) ? fmt::format("{}", marker.p_value) : "null");
  }
  out += fmt::format(R"(,"reason":{}}})", text(marker.reason));
  return out;
}

}  // namespace stats_support

using namespace stats_support;  // NOLINT(google-build-using-namespace): app's own helpers

namespace {

// Categories whose order is known, least advantaged first (education: the shortest first).
const std::array<std::vector<std::string_view>, 6> kKnownOrders{{
    {"low", "mid", "high"},
    {"low", "medium", "high"},
    {"forgym", "gym", "eftergym"},
    {"förgymnasial", "gymnasial", "eftergymnasial"},
    {"lag", "mellan", "hog"},
    {"låg", "mellan", "hög"},
}};

// Dimensions whose numbered categories are ordered (quintile 1 = the lowest income).
const std::array<std::string_view, 8> kNumberedDimensions{
    {"income", "inkomst", "quintile", "kvintil", "decile", "decil", "deprivation", "ses"}};

std::optional<int> TrailingNumber(std::string_view text) {
  std::size_t end = text.size();
  std::size_t start = end;
  while (start > 0 && std::isdigit(static_cast<unsigned char>(text[start - 1])) != 0) --start;
  if (start == end || end - start > 6) return std::nullopt;
  return std::stoi(std::string(text.substr(start)));
}

struct Subgroup {
  std::string category;
  int order = 0;
  const ObservationRow* row = nullptr;
  double se = kAbsent;
  double population = kAbsent;
  std::string_view population_source;
};

struct Ordering {
  bool ordered = false;
  std::string source;               // "known", "numbered", "parameter", "none"
  std::map<std::string, int> rank;  // category -> order (1 = least advantaged)
};

Result<Ordering> OrderOf(const std::string& dimension, const std::set<std::string>& categories,
                         const std::vector<std::string>& given) {
  Ordering ordering;
  if (!given.empty()) {
    for (std::size_t i = 0; i < given.size(); ++i)
      ordering.rank[given[i]] = static_cast<int>(i + 1);
    for (const auto& category : categories) {
      if (!ordering.rank.contains(category)) {
        return BadParameter("order",
                            fmt::format("query parameter order: the category \"{}\" of {} is not "
                                        "in the order given ({})",
                                        category, dimension, fmt::join(given, ",")));
      }
    }
    ordering.ordered = true;
    ordering.source = "parameter";
    return ordering;
  }
  for (const auto& known : kKnownOrders) {
    if (std::all_of(categories.begin(), categories.end(), [&](const std::string& category) {
          return std::find(known.begin(), known.end(), category) != known.end();
        })) {
      for (std::size_t i = 0; i < known.size(); ++i) {
        ordering.rank[std::string(known[i])] = static_cast<int>(i + 1);
      }
      ordering.ordered = true;
      ordering.source = "known";
      return ordering;
    }
  }
  const bool numbered_dimension =
      std::any_of(kNumberedDimensions.begin(), kNumberedDimensions.end(),
                  [&](std::string_view name) { return dimension.find(name) != std::string::npos; });
  if (numbered_dimension) {
    std::set<int> numbers;
    for (const auto& category : categories) {
      auto number = TrailingNumber(category);
      if (!number || !numbers.insert(*number).second) {
        numbers.clear();
        break;
      }
      ordering.rank[category] = *number;
    }
    if (!numbers.empty()) {
      ordering.ordered = true;
      ordering.source = "numbered";
      return ordering;
    }
  }
  ordering.rank.clear();
  ordering.source = "none";
  return ordering;
}

// The subgroups of one period, in order (ordered dimensions) or by category.
struct PeriodSubgroups {
  std::vector<Subgroup> subgroups;
  Json left_out = Json::array();
};

Json MeasureJson(const stats::MeasureInfo& info, const Result<stats::Estimate>& estimate) {
  Json out{{"id", info.id}, {"name", info.name}};
  if (!estimate) {
    out["error"] = estimate.error().message;
    return out;
  }
  out["estimate"] = Number(estimate->value);
  out["se"] = Number(estimate->se);
  out["lower"] = Number(estimate->lower);
  out["upper"] = Number(estimate->upper);
  out["confidence"] = estimate->confidence;
  out["method"] = estimate->method.empty() ? Json(nullptr) : Json(estimate->method);
  out["se_scale"] = estimate->se_scale.empty() ? Json(nullptr) : Json(estimate->se_scale);
  out["note"] = estimate->note.empty() ? Json(nullptr) : Json(estimate->note);
  return out;
}

}  // namespace

Result<Json> App::Equity(const std::string& indicator_code, const EquityQuery& query) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto indicator = RequireIndicator(**tx, indicator_code);
  if (!indicator) return tl::unexpected(indicator.error());
  auto areas = (*tx)->Areas();
  if (!areas) return tl::unexpected(areas.error());
  const Area* area = nullptr;
  const std::string wanted_area = NormalizeAreaCode(query.area);
  for (const auto& candidate : *areas) {
    if (wanted_area.empty() ? candidate.kind == AreaKind::kCountry
                            : candidate.code == wanted_area) {
      area = &candidate;
    }
  }
  if (area == nullptr) {
    return BadParameter("area", wanted_area.empty()
                                    ? std::string("query parameter area is needed: the registry "
                                                  "has no country area to default to")
                                    : fmt::format("query parameter area: \"{}\" is not in the "
                                                  "area registry",
                                                  query.area));
  }
  std::optional<std::int64_t> wanted_period;
  if (!query.period.empty()) {
    auto key = PeriodParameter("period", query.period);
    if (!key) return tl::unexpected(key.error());
    wanted_period = *key;
  }
  auto breakdowns = LoadBreakdowns(**tx);
  if (!breakdowns) return tl::unexpected(breakdowns.error());
  ObservationQuery observation_query;
  observation_query.indicator_id = indicator->id;
  observation_query.area_ids = {area->id};
  bool truncated = false;
  auto rows = (*tx)->Observations(observation_query, 1000000, truncated);
  if (!rows) return tl::unexpected(rows.error());

  // The dimensions the area's data split by alone (one dimension, the others total).
  std::map<std::string, std::set<std::string>> categories_of;
  for (const auto& row : *rows) {
    const auto& breakdown = (*breakdowns)[row.breakdown_id];
    if (breakdown.size() == 1) categories_of[breakdown[0].first].insert(breakdown[0].second);
  }
  Json dimensions = Json::array();
  for (const auto& [name, categories] : categories_of) dimensions.push_back(name);
  std::string dimension = query.dimension;
  if (dimension.empty()) {
    if (categories_of.contains(std::string(kSexDimension))) {
      dimension = kSexDimension;
    } else if (!categories_of.empty()) {
      dimension = categories_of.begin()->first;
    }
  }
  if (dimension.empty() || !categories_of.contains(dimension)) {
    return BadParameter(
        "dimension",
        dimension.empty()
            ? fmt::format("indicator {} has no data split by any dimension for area {}",
                          indicator->code, area->code)
            : fmt::format("query parameter dimension: indicator {} has no data split by \"{}\" "
                          "for area {} (it has: {})",
                          indicator->code, dimension, area->code,
                          dimensions.empty() ? std::string("none") : dimensions.dump()));
  }
  auto ordering = OrderOf(dimension, categories_of[dimension], query.order);
  if (!ordering) return tl::unexpected(ordering.error());
  int reference = -1;

  // Rows by period, of this dimension alone.
  std::map<std::int64_t, PeriodSubgroups> periods;
  for (const auto& row : *rows) {
    const auto& breakdown = (*breakdowns)[row.breakdown_id];
    if (breakdown.size() != 1 || breakdown[0].first != dimension) continue;
    auto& entry = periods[row.period];
    const std::string& category = breakdown[0].second;
    if (!Shown(row)) {
      entry.left_out.push_back(
          {{"category", category},
           {"reason", (row.status & kObservationSuppressed) != 0 ? "suppressed" : "missing"}});
      continue;
    }
    Subgroup subgroup;
    subgroup.category = category;
    subgroup.row = &row;
    subgroup.se = StandardError(row, *indicator);
    std::tie(subgroup.population, subgroup.population_source) = Population(row, *indicator);
    if (ordering->ordered) subgroup.order = ordering->rank[category];
    entry.subgroups.push_back(std::move(subgroup));
  }
  for (auto& [key, entry] : periods) {
    std::sort(entry.subgroups.begin(), entry.subgroups.end(),
              [&](const Subgroup& a, const Subgroup& b) {
                if (ordering->ordered) return a.order < b.order;
                // Women first, so that the gap between two subgroups is women − men.
                if (dimension == kSexDimension) return a.category > b.category;
                return a.category < b.category;
              });
  }
  if (!wanted_period) {
    for (auto it = periods.rbegin(); it != periods.rend(); ++it) {
      if (it->second.subgroups.size() >= 2) {
        wanted_period = it->first;
        break;
      }
    }
  }
  if (!wanted_period || !periods.contains(*wanted_period)) {
    return Fail(ErrorCode::kNotFound,
                wanted_period ? fmt::format("indicator {} has no data by {} for area {} in {}",
                                            indicator->code, dimension, area->code, query.period)
                              : fmt::format("indicator {} has no period with two or more {} "
                                            "categories shown for area {}",
                                            indicator->code, dimension, area->code),
                {{"indicator", indicator->code}, {"area", area->code}, {"dimension", dimension}});
  }
  if (!query.reference.empty()) {
    if (!categories_of[dimension].contains(query.reference)) {
      return BadParameter("reference",
                          fmt::format("query parameter reference: \"{}\" is not a category of {}",
                                      query.reference, dimension));
    }
  }

  const bool favourable = indicator->direction != Direction::kLower;
  auto compute = [&](const PeriodSubgroups& entry) {
    struct Arrays {
      std::vector<double> estimate, se, population, lower, upper;
      std::vector<int> order;
    } arrays;
    reference = -1;
    for (std::size_t i = 0; i < entry.subgroups.size(); ++i) {
      const auto& subgroup = entry.subgroups[i];
      arrays.estimate.push_back(subgroup.row->value);
      arrays.se.push_back(subgroup.se);
      arrays.population.push_back(subgroup.population);
      arrays.lower.push_back(subgroup.row->ci_low);
      arrays.upper.push_back(subgroup.row->ci_high);
      arrays.order.push_back(subgroup.order);
      if (subgroup.category == query.reference) reference = static_cast<int>(i);
    }
    const bool have_population = std::all_of(arrays.population.begin(), arrays.population.end(),
                                             [](double p) { return Present(p); });
    const bool have_limits =
        std::all_of(arrays.lower.begin(), arrays.lower.end(),
                    [](double v) { return Present(v); }) &&
        std::all_of(arrays.upper.begin(), arrays.upper.end(), [](double v) { return Present(v); });
    stats::SubgroupSet set;
    set.estimate = arrays.estimate;
    set.se = arrays.se;
    if (have_population) set.population = arrays.population;
    if (have_limits) {
      set.lower = arrays.lower;
      set.upper = arrays.upper;
    }
    if (ordering->ordered) set.order = arrays.order;
    set.ordered = ordering->ordered;
    set.favourable = favourable;
    set.reference = reference;
    if (indicator->value_type == ValueType::kProportion) {
      set.scale = Multiplier(*indicator, arrays.estimate.empty() ? 0 : arrays.estimate[0]);
    }
    stats::MeasureOptions options;
    options.phe_repetitions = 10000;
    options.phe_value_type =
        indicator->value_type == ValueType::kProportion ? stats::PheValueType::kProportion
        : indicator->value_type == ValueType::kRate     ? stats::PheValueType::kRate
                                                        : stats::PheValueType::kNormal;
    std::vector<std::pair<const stats::MeasureInfo*, Result<stats::Estimate>>> results;
    for (const auto& info : stats::Measures()) {
      if (ordering->ordered ? !info.ordered : !info.non_ordered) continue;
      if (!have_population && info.id != "d" && info.id != "r" && info.id != "gap_difference" &&
          info.id != "gap_ratio") {
        results.emplace_back(&info, Fail(ErrorCode::kInvalidValue,
                                         "needs the population of every subgroup, which the "
                                         "data do not give (no denominator, respondents or "
                                         "numerator)"));
        continue;
      }
      results.emplace_back(&info, stats::ComputeMeasure(info.id, set, options));
    }
    return results;
  };

  const auto& current = periods[*wanted_period];
  Json subgroups = Json::array();
  for (const auto& subgroup : current.subgroups) {
    subgroups.push_back(
        {{"category", subgroup.category},
         {"order", ordering->ordered ? Json(subgroup.order) : Json(nullptr)},
         {"value", subgroup.row->value},
         {"ci_low", Number(subgroup.row->ci_low)},
         {"ci_high", Number(subgroup.row->ci_high)},
         {"se", Number(subgroup.se)},
         {"population", Number(subgroup.population)},
         {"population_source",
          subgroup.population_source.empty() ? Json(nullptr) : Json(subgroup.population_source)}});
  }
  Json measures = Json::array();
  for (const auto& [info, estimate] : compute(current)) {
    measures.push_back(MeasureJson(*info, estimate));
  }

  // The same over time, and whether the gap (D, signed as it is now) is closing.
  Json over_time = Json::array();
  std::vector<stats::YearEstimate> gap_series;
  for (const auto& [key, entry] : periods) {
    if (entry.subgroups.size() < 2) continue;
    Json by_measure = Json::object();
    for (const auto& [info, estimate] : compute(entry)) {
      if (!estimate) continue;
      by_measure[std::string(info->id)] = {{"estimate", Number(estimate->value)},
                                           {"lower", Number(estimate->lower)},
                                           {"upper", Number(estimate->upper)}};
      if (info->id == "d") {
        const auto period = PeriodFromKey(key);
        if (period && period->months % 12 == 0 && period->end_month == 12) {
          gap_series.push_back(
              {period->end_year, estimate->value, estimate->lower, estimate->upper});
        }
      }
    }
    over_time.push_back({{"period", PeriodJson(key)},
                         {"subgroups", entry.subgroups.size()},
                         {"measures", std::move(by_measure)}});
  }
  Json gap{{"measure", "d"}, {"closing", nullptr}, {"change", nullptr}, {"recent_trend", nullptr}};
  if (gap_series.size() >= 2) {
    const double sign = gap_series.back().value < 0 ? -1 : 1;
    for (auto& point : gap_series) {
      point.value *= sign;
      const double lower = point.lower * sign;
      const double upper = point.upper * sign;
      point.lower = std::min(lower, upper);
      point.upper = std::max(lower, upper);
    }
    auto change = stats::AssessChange(gap_series.front(), gap_series.back(), Direction::kLower);
    if (change) {
      gap["change"] = {{"baseline_year", change->baseline_year},
                       {"follow_up_year", change->follow_up_year},
                       {"baseline_gap", Number(change->baseline_value)},
                       {"follow_up_gap", Number(change->follow_up_value)},
                       {"outcome", ToString(change->outcome)}};
      if (change->outcome == stats::ChangeOutcome::kSignificantImprovement) gap["closing"] = true;
      if (change->outcome == stats::ChangeOutcome::kSignificantDeterioration) {
        gap["closing"] = false;
      }
    } else {
      gap["change"] = {{"outcome", "not_assessed"}, {"reason", change.error().message}};
    }
    if (gap_series.size() >= stats::kRecentTrendPoints) {
      std::vector<stats::TrendPoint> points;
      for (const auto& point : gap_series) {
        points.push_back({point.year, point.value, point.lower, point.upper, kAbsent, kAbsent});
      }
      stats::RecentTrendOptions options;
      options.method = stats::RecentTrendMethod::kValueWithInterval;
      options.direction = Direction::kLower;
      auto trend = stats::FingertipsRecentTrend(points, options);
      if (trend) {
        gap["recent_trend"] = {
            {"outcome", ToString(trend->outcome)},
            {"judgement", ToString(trend->judgement)},
            {"method", trend->method},
            {"first_year", trend->first_year},
            {"last_year", trend->last_year},
            {"p_value", Number(trend->p_value)},
            {"reason", trend->reason.empty() ? Json(nullptr) : Json(trend->reason)}};
      }
    }
  }

  return Json{
      {"indicator", IndicatorJson(*indicator)},
      {"area", {{"code", area->code}, {"name", area->name}, {"kind", ToString(area->kind)}}},
      {"dimension", dimension},
      {"dimensions", std::move(dimensions)},
      {"ordered", ordering->ordered},
      {"order_source", ordering->source},
      {"favourable", favourable},
      {"reference", query.reference.empty() ? Json(nullptr) : Json(query.reference)},
      {"period", PeriodJson(*wanted_period)},
      {"subgroups", std::move(subgroups)},
      {"left_out", current.left_out},
      {"measures", std::move(measures)},
      {"over_time", std::move(over_time)},
      {"gap", std::move(gap)}};
}

}  // namespace halsonav

namespace halsonav {
namespace {

Json ChangeJson(const stats::ChangeAssessment& change) {
  return Json{{"outcome", ToString(change.outcome)},
              {"positive", change.positive},
              {"baseline_value", Number(change.baseline_value)},
              {"follow_up_value", Number(change.follow_up_value)},
              {"change", Number(change.change)},
              {"change_lower", Number(change.change_lower)},
              {"change_upper", Number(change.change_upper)},
              {"p_value", Number(change.p_value)},
              {"reason", change.reason.empty() ? Json(nullptr) : Json(change.reason)}};
}

Json ProgressJson(const stats::ProgressMeasure& progress) {
  return Json{{"status", ToString(progress.status)},
              {"method", progress.method.empty() ? Json(nullptr) : Json(progress.method)},
              {"base_year", progress.base_year},
              {"current_year", progress.current_year},
              {"observed_growth", Number(progress.observed_growth)},
              {"required_growth", Number(progress.required_growth)},
              {"note", progress.note.empty() ? Json(nullptr) : Json(progress.note)}};
}

}  // namespace

Result<Json> App::FollowUp(const std::string& indicator_code, const FollowUpQuery& query) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto indicator = RequireIndicator(**tx, indicator_code);
  if (!indicator) return tl::unexpected(indicator.error());
  auto areas = (*tx)->Areas();
  if (!areas) return tl::unexpected(areas.error());
  const std::string code = NormalizeAreaCode(query.area);
  const auto area = std::find_if(areas->begin(), areas->end(), [&](const Area& candidate) {
    return code.empty() ? candidate.kind == AreaKind::kCountry : candidate.code == code;
  });
  if (area == areas->end()) {
    return BadParameter("area", fmt::format("query parameter area: \"{}\" is not in the area "
                                            "registry",
                                            query.area));
  }
  auto year_of = [](std::string_view parameter, const std::string& text) -> Result<int> {
    const auto period = ParsePeriod(text);
    if (!period || period->months != 12 || period->end_month != 12) {
      return BadParameter(parameter,
                          fmt::format("query parameter {}: \"{}\" is not a year", parameter, text));
    }
    return period->end_year;
  };
  std::optional<int> baseline;
  std::optional<int> follow_up;
  if (!query.baseline.empty()) {
    auto year = year_of("baseline", query.baseline);
    if (!year) return tl::unexpected(year.error());
    baseline = *year;
  }
  if (!query.follow_up.empty()) {
    auto year = year_of("follow_up", query.follow_up);
    if (!year) return tl::unexpected(year.error());
    follow_up = *year;
  }
  auto breakdowns = LoadBreakdowns(**tx);
  if (!breakdowns) return tl::unexpected(breakdowns.error());
  const std::array<std::pair<std::string_view, std::optional<Id>>, 3> sexes{
      {{"total", Id{0}},
       {"women", FindBreakdown(*breakdowns, {{std::string(kSexDimension), "women"}})},
       {"men", FindBreakdown(*breakdowns, {{std::string(kSexDimension), "men"}})}}};
  ObservationQuery observation_query;
  observation_query.indicator_id = indicator->id;
  observation_query.area_ids = {area->id};
  for (const auto& [name, id] : sexes) {
    if (id) observation_query.breakdown_ids.push_back(*id);
  }
  bool truncated = false;
  auto rows = (*tx)->Observations(observation_query, 100000, truncated);
  if (!rows) return tl::unexpected(rows.error());

  Json series = Json::array();
  for (const auto& [name, id] : sexes) {
    if (!id) continue;
    // The yearly values shown, by year.
    std::map<int, const ObservationRow*> by_year;
    for (const auto& row : *rows) {
      const auto period = PeriodFromKey(row.period);
      if (row.breakdown_id != *id || !period || period->months != 12 || period->end_month != 12) {
        continue;
      }
      if (Shown(row)) by_year[period->end_year] = &row;
    }
    if (by_year.empty()) continue;
    const int first = baseline.value_or(by_year.begin()->first);
    const int last = follow_up.value_or(by_year.rbegin()->first);
    Json item{{"breakdown", name == "total" ? Json::object() : Json{{"sex", name}}},
              {"baseline", first},
              {"follow_up", last}};
    auto estimate = [&](int year) {
      stats::YearEstimate out;
      out.year = year;
      if (auto it = by_year.find(year); it != by_year.end()) {
        const auto intervals = Intervals(*it->second, *indicator);
        out.value = intervals.value;
        out.lower = intervals.lower_95;
        out.upper = intervals.upper_95;
      }
      return out;
    };
    auto change = stats::AssessChange(estimate(first), estimate(last), indicator->direction);
    item["change"] = change ? ChangeJson(*change)
                            : Json{{"outcome", "not_assessed"},
                                   {"positive", false},
                                   {"reason", change.error().message}};
    std::vector<stats::YearValue> values;
    for (const auto& [year, row] : by_year) values.push_back({year, row->value});
    stats::ProgressOptions options;
    options.direction = indicator->direction;
    options.base_year = first;
    if (query.target) options.target = *query.target;
    if (query.target_year) options.target_year = *query.target_year;
    auto progress = stats::OpenSdgProgress(values, options);
    item["progress"] = progress
                           ? ProgressJson(*progress)
                           : Json{{"status", "not_available"}, {"note", progress.error().message}};
    series.push_back(std::move(item));
  }
  return Json{
      {"indicator", IndicatorJson(*indicator)},
      {"area", {{"code", area->code}, {"name", area->name}, {"kind", ToString(area->kind)}}},
      {"series", std::move(series)}};
}

}  // namespace halsonav
