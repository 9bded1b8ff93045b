#include "app/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <initializer_list>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "core/enums.hpp"
#include "core/statistics.hpp"
#include "core/text.hpp"
#include "io/analysis_csv.hpp"
#include "stats/compare.hpp"
#include "stats/estimate.hpp"
#include "stats/inequality.hpp"
#include "stats/intervals.hpp"
#include "stats/life_expectancy.hpp"
#include "stats/standardised.hpp"
#include "stats/trends.hpp"

namespace halsonav::analysis {
namespace {

using Names = std::initializer_list<std::string_view>;

// The accepted header names of each input column (folded to lower case; WHO's and PHE's
// spellings first).
const Names kEstimate = {"est", "estimate", "value", "värde"};
const Names kSe = {"se", "standarderror", "standard_error"};
const Names kPopulation = {"pop", "population", "pops", "befolkning"};
const Names kOrder = {"subgroup_order", "order", "quantile", "decile", "quintile"};
const Names kLower = {"lowercl", "lower", "ci_low", "lower_ci", "lower95_0cl", "nedre"};
const Names kUpper = {"uppercl", "upper", "ci_high", "upper_ci", "upper95_0cl", "övre"};
const Names kReference = {"reference_subgroup", "reference"};
const Names kOrdered = {"ordered_dimension"};
const Names kFavourable = {"favourable_indicator"};
const Names kScale = {"scaleval", "indicator_scale", "scale"};
const Names kSettingAverage = {"setting_average"};
const Names kValueType = {"valuetype", "value_type"};
const Names kRepetitions = {"repetitions"};
const Names kNumerator = {"numerator", "x", "count", "täljare"};
const Names kDenominator = {"denominator", "n", "denom", "nämnare"};
const Names kValues = {"values", "value", "värde"};
const Names kValueSum = {"value_sum"};
const Names kValueCount = {"value_count"};
const Names kStdev = {"stdev", "sd"};
const Names kCount = {"count", "x", "deaths", "events"};
const Names kBandPopulation = {"pop", "n", "population"};
const Names kStandardPopulation = {"stdpop", "standard_population", "esp2013", "esp1976"};
const Names kBandLabel = {"ageband",  "age band",  "age_band",
                          "agegroup", "age group", "åldersgrupp"};
const Names kReferenceCount = {"refcount", "x_ref", "reference_count"};
const Names kReferencePopulation = {"refpop", "n_ref", "reference_population"};
const Names kObservedTotal = {"total_count", "observed"};
const Names kStartAge = {"startage", "start_age"};
const Names kLifePopulation = {"pops", "pop", "population"};
const Names kDeaths = {"deaths", "dödsfall"};
const Names kYear = {"year", "period", "år", "time_period"};
const Names kLower998 = {"lower998", "lower99_8cl", "lower_998"};
const Names kUpper998 = {"upper998", "upper99_8cl", "upper_998"};
const Names kBenchmark = {"benchmark", "jämförelse"};
const Names kBenchmarkLower = {"benchmark_lower"};
const Names kBenchmarkUpper = {"benchmark_upper"};
const Names kBenchmarkLower998 = {"benchmark_lower998"};
const Names kBenchmarkUpper998 = {"benchmark_upper998"};
const Names kDirection = {"direction", "polarity", "riktning"};

std::string NamesText(Names names) {
  std::vector<std::string_view> list(names.begin(), names.end());
  return fmt::format("\"{}\"", fmt::join(list, "\", \""));
}

Json Number(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }
Json Text(std::string_view text) { return text.empty() ? Json(nullptr) : Json(text); }

Json EstimateJson(const stats::Estimate& estimate) {
  return Json{{"estimate", Number(estimate.value)},  {"se", Number(estimate.se)},
              {"lower", Number(estimate.lower)},     {"upper", Number(estimate.upper)},
              {"confidence", estimate.confidence},   {"method", Text(estimate.method)},
              {"se_scale", Text(estimate.se_scale)}, {"note", Text(estimate.note)}};
}

// The columns and rows one computation reads.
class SetReader {
 public:
  SetReader(const Table& table, const Set& set) : table_(table), set_(set) {}

  const Table& table() const { return table_; }
  const Set& set() const { return set_; }
  std::size_t size() const { return set_.rows.size(); }

  // A column's numbers over the set's rows; a cell that is not a number is a problem.
  std::vector<double> Numbers(std::optional<std::size_t> column) {
    if (!column) return std::vector<double>(set_.rows.size(), kAbsent);
    return analysis::Numbers(table_, set_, *column, problems_);
  }

  // A column's numbers where every row must have one.
  std::vector<double> Required(std::size_t column) {
    auto numbers = Numbers(column);
    for (std::size_t i = 0; i < numbers.size(); ++i) {
      const Row& row = table_.rows[set_.rows[i]];
      if (std::isnan(numbers[i]) && !row.cells[column].empty() && row.cells[column] != "NA" &&
          row.cells[column] != "..") {
        continue;  // already a problem
      }
      if (std::isnan(numbers[i])) {
        problems_.push_back({table_.Where(row, column),
                             fmt::format("column \"{}\" is empty: a number is needed here",
                                         table_.headers[column])});
      }
    }
    return numbers;
  }

  // A per-set column: every row of the set must hold the same number (or all be empty).
  double Constant(std::optional<std::size_t> column) {
    if (!column) return kAbsent;
    const auto numbers = Numbers(column);
    for (std::size_t i = 1; i < numbers.size(); ++i) {
      const bool same =
          (std::isnan(numbers[i]) && std::isnan(numbers[0])) || numbers[i] == numbers[0];
      if (!same) {
        problems_.push_back(
            {table_.Where(table_.rows[set_.rows[i]], *column),
             fmt::format("column \"{}\" must be the same in every row of the set: line {} has "
                         "\"{}\", this line \"{}\"",
                         table_.headers[*column], table_.rows[set_.rows[0]].line,
                         table_.rows[set_.rows[0]].cells[*column],
                         table_.rows[set_.rows[i]].cells[*column])});
        break;
      }
    }
    return numbers.empty() ? kAbsent : numbers[0];
  }

  // Whole numbers (orders, years).
  std::vector<int> Integers(std::size_t column) {
    const auto numbers = Required(column);
    std::vector<int> integers(numbers.size(), 0);
    for (std::size_t i = 0; i < numbers.size(); ++i) {
      if (std::isnan(numbers[i])) continue;
      if (numbers[i] != std::floor(numbers[i]) || std::fabs(numbers[i]) > 1e9) {
        problems_.push_back({table_.Where(table_.rows[set_.rows[i]], column),
                             fmt::format("column \"{}\": {} is not a whole number",
                                         table_.headers[column], numbers[i])});
        continue;
      }
      integers[i] = static_cast<int>(numbers[i]);
    }
    return integers;
  }

  const std::string& Cell(std::size_t row, std::size_t column) const {
    return table_.rows[set_.rows[row]].cells[column];
  }
  std::size_t Line(std::size_t row) const { return table_.rows[set_.rows[row]].line; }

  // Fails with every problem found so far.
  Result<void> Check() const {
    if (problems_.empty()) return {};
    return ProblemsError(problems_, "the set");
  }

  void Problem(std::size_t row, std::size_t column, std::string message) {
    problems_.push_back({table_.Where(table_.rows[set_.rows[row]], column), std::move(message)});
  }

 private:
  const Table& table_;
  const Set& set_;
  std::vector<halsonav::Problem> problems_;
};

using SetFunction = std::function<Result<Json>(SetReader&)>;

// Resolves the columns of one measure in one file.
class Columns {
 public:
  explicit Columns(const Table& table) : table_(table) {}

  std::optional<std::size_t> Optional(Names names) const { return table_.Find(names); }

  std::size_t Required(Names names, std::string_view what) {
    if (auto found = table_.Find(names)) return *found;
    missing_.push_back(
        {table_.file_name, fmt::format("the column of {} is missing: name it {} (the file has {})",
                                       what, NamesText(names), fmt::join(table_.headers, ", "))});
    return 0;
  }

  Result<void> Check() const {
    if (missing_.empty()) return {};
    return ProblemsError(missing_, table_.file_name);
  }

 private:
  const Table& table_;
  std::vector<Problem> missing_;
};

Result<Direction> DirectionOf(std::string_view text, std::string_view where) {
  const std::string folded = LowerCase(text);
  if (folded == "higher" || folded == "high is good" || folded == "rag - high is good" ||
      folded == "1" || folded == "favourable") {
    return Direction::kHigher;
  }
  if (folded == "lower" || folded == "low is good" || folded == "rag - low is good" ||
      folded == "0" || folded == "adverse") {
    return Direction::kLower;
  }
  if (folded == "none" || folded.empty() || folded == "bob - blue orange blue") {
    return Direction::kNone;
  }
  return Fail(
      ErrorCode::kInvalidValue,
      fmt::format("{}: the direction \"{}\" is not one of higher, lower, none", where, text));
}

// The direction of a set: --direction, else the set's direction column, else none.
Result<Direction> SetDirection(SetReader& reader, std::optional<std::size_t> column,
                               const Options& options) {
  if (!options.direction.empty()) return DirectionOf(options.direction, "--direction");
  if (!column) return Direction::kNone;
  return DirectionOf(reader.Cell(0, *column),
                     reader.table().Where(reader.table().rows[reader.set().rows[0]], *column));
}

// ---- Single figures --------------------------------------------------------------------------

// proportion and rate: the numerators and denominators of a set are summed (PHE's grouped
// behaviour), so a file of one row per area gives one figure per area.
Result<SetFunction> CountMeasure(const Table& table, const Options& options, bool rate) {
  Columns columns(table);
  const auto numerator = columns.Required(kNumerator, "the numerator (events)");
  const auto denominator = columns.Required(kDenominator, "the denominator");
  if (auto ok = columns.Check(); !ok) return tl::unexpected(ok.error());
  const double multiplier = options.multiplier.value_or(rate ? 100000 : 1);
  const double conf = options.confidence;
  return SetFunction([=](SetReader& reader) -> Result<Json> {
    const auto x = reader.Required(numerator);
    const auto n = reader.Required(denominator);
    if (auto ok = reader.Check(); !ok) return tl::unexpected(ok.error());
    double sum_x = 0;
    double sum_n = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      sum_x += x[i];
      sum_n += n[i];
    }
    auto estimate = rate ? stats::Rate(sum_x, sum_n, conf, multiplier)
                         : stats::Proportion(sum_x, sum_n, conf, multiplier);
    if (!estimate) return tl::unexpected(estimate.error());
    Json out = EstimateJson(*estimate);
    out["numerator"] = sum_x;
    out["denominator"] = sum_n;
    out["multiplier"] = multiplier;
    return out;
  });
}

Result<SetFunction> MeanMeasure(const Table& table, const Options& options) {
  const double conf = options.confidence;
  if (auto sum = table.Find(kValueSum)) {
    Columns columns(table);
    const auto count = columns.Required(kValueCount, "the number of values");
    const auto sd = columns.Required(kStdev, "the standard deviation");
    if (auto ok = columns.Check(); !ok) return tl::unexpected(ok.error());
    return SetFunction([=](SetReader& reader) -> Result<Json> {
      const auto sums = reader.Required(*sum);
      const auto counts = reader.Required(count);
      const auto sds = reader.Numbers(sd);
      if (auto ok = reader.Check(); !ok) return tl::unexpected(ok.error());
      if (reader.size() != 1) {
        return Fail(ErrorCode::kInvalidValue,
                    fmt::format("a set of summaries (value_sum, value_count, stdev) must have one "
                                "row; this one has {} (lines {}–{})",
                                reader.size(), reader.Line(0), reader.Line(reader.size() - 1)));
      }
      auto estimate = stats::MeanFromSummary(sums[0], counts[0], sds[0], conf);
      if (!estimate) return tl::unexpected(estimate.error());
      return EstimateJson(*estimate);
    });
  }
  Columns columns(table);
  const auto values = columns.Required(kValues, "the values");
  if (auto ok = columns.Check(); !ok) return tl::unexpected(ok.error());
  return SetFunction([=](SetReader& reader) -> Result<Json> {
    const auto numbers = reader.Required(values);
    if (auto ok = reader.Check(); !ok) return tl::unexpected(ok.error());
    auto estimate = stats::Mean(numbers, conf);
    if (!estimate) return tl::unexpected(estimate.error());
    Json out = EstimateJson(*estimate);
    out["count"] = numbers.size();
    return out;
  });
}

Result<SetFunction> QuantileMeasure(const Table& table, const Options& options) {
  Columns columns(table);
  const auto values = columns.Required(kValues, "the values");
  if (auto ok = columns.Check(); !ok) return tl::unexpected(ok.error());
  if (options.quantiles < 1 || options.quantiles > 1000) {
    return Fail(ErrorCode::kInvalidParameter,
                fmt::format("--quantiles {} must be between 1 and 1000", options.quantiles));
  }
  const int quantiles = options.quantiles;
  const bool invert = options.invert;
  return SetFunction([=](SetReader& reader) -> Result<Json> {
    const auto numbers = reader.Numbers(values);
    if (auto ok = reader.Check(); !ok) return tl::unexpected(ok.error());
    auto groups = stats::AssignQuantiles(numbers, quantiles, invert);
    if (!groups) return tl::unexpected(groups.error());
    Json rows = Json::array();
    for (std::size_t i = 0; i < numbers.size(); ++i) {
      rows.push_back({{"line", reader.Line(i)},
                      {"value", Number(numbers[i])},
                      {"quantile", (*groups)[i] ? Json(*(*groups)[i]) : Json(nullptr)}});
    }
    return Json{{"quantiles", quantiles}, {"invert", invert}, {"rows", std::move(rows)}};
  });
}

// ---- Standardised rates and life tables --------------------------------------------------------

Result<SetFunction> DsrMeasure(const Table& table, const Options& options) {
  Columns columns(table);
  const auto population = columns.Required(kBandPopulation, "the population of each band");
  const auto standard = columns.Optional(kStandardPopulation);
  const auto label = columns.Optional(kBandLabel);
  // Non-independent events: persons by number of events, columns f1, f2, …
  std::vector<std::size_t> frequencies;
  for (int k = 1; k < 100; ++k) {
    const std::string name = fmt::format("f{}", k);
    auto found = std::find(table.folded.begin(), table.folded.end(), name);
    if (found == table.folded.end()) break;
    frequencies.push_back(static_cast<std::size_t>(found - table.folded.begin()));
  }
  const auto count =
      frequencies.empty() ? columns.Required(kCount, "the events of each band") : std::size_t{0};
  if (auto ok = columns.Check(); !ok) return tl::unexpected(ok.error());
  const double multiplier = options.multiplier.value_or(100000);
  const double conf = options.confidence;
  return SetFunction([=](SetReader& reader) -> Result<Json> {
    const auto pops = reader.Required(population);
    std::vector<double> weights;
    if (standard) {
      weights = reader.Required(*standard);
    } else if (reader.size() == stats::kEsp2013.size()) {
      for (const auto& band : stats::kEsp2013) weights.push_back(band.population);
    } else {
      return Fail(ErrorCode::kInvalidValue,
                  fmt::format("no standard population column ({}) and {} bands (lines {}–{}): "
                              "the built-in 2013 European Standard Population needs the 19 "
                              "bands 0-4 … 90+ in order",
                              NamesText(kStandardPopulation), reader.size(), reader.Line(0),
                              reader.Line(reader.size() - 1)));
    }
    std::vector<std::string> labels(reader.size());
    for (std::size_t i = 0; i < reader.size(); ++i) {
      labels[i] = label ? reader.Cell(i, *label) : fmt::format("line {}", reader.Line(i));
    }
    Result<stats::DirectlyStandardised> result;
    if (frequencies.empty()) {
      const auto counts = reader.Numbers(count);
      if (auto ok = reader.Check(); !ok) return tl::unexpected(ok.error());
      std::vector<stats::DsrBand> bands(reader.size());
      for (std::size_t i = 0; i < bands.size(); ++i) {
        bands[i] = {counts[i], pops[i], weights[i], labels[i]};
      }
      result = stats::Dsr(bands, conf, multiplier);
    } else {
      std::vector<std::vector<double>> persons(reader.size());
      for (std::size_t column : frequencies) {
        const auto numbers = reader.Numbers(column);
        for (std::size_t i = 0; i < numbers.size(); ++i) persons[i].push_back(numbers[i]);
      }
      if (auto ok = reader.Check(); !ok) return tl::unexpected(ok.error());
      std::vector<stats::DsrPersonsBand> bands(reader.size());
      for (std::size_t i = 0; i < bands.size(); ++i) {
        bands[i] = {persons[i], pops[i], weights[i], labels[i]};
      }
      result = stats::DsrNonIndependent(bands, conf, multiplier);
    }
    if (!result) return tl::unexpected(result.error());
    Json out = EstimateJson(result->estimate);
    out["total_count"] = result->total_count;
    out["total_population"] = result->total_population;
    out["multiplier"] = multiplier;
    out["standard_population"] = standard ? table.headers[*standard] : "esp2013 (built in)";
    return out;
  });
}

Result<SetFunction> IsMeasure(const Table& table, const Options& options, bool rate) {
  Columns columns(table);
  const auto count = columns.Optional(kCount);
  const auto population = columns.Required(kBandPopulation, "the population of each band");
  const auto reference_count = columns.Required(kReferenceCount, "the reference events");
  const auto reference_population =
      columns.Required(kReferencePopulation, "the reference population");
  const auto label = columns.Optional(kBandLabel);
  const auto total = columns.Optional(kObservedTotal);
  if (!count && !total) columns.Required(kCount, "the events of each band (or total_count)");
  if (auto ok = columns.Check(); !ok) return tl::unexpected(ok.error());
  const double multiplier = options.multiplier.value_or(rate ? 100000 : 1);
  const double conf = options.confidence;
  return SetFunction([=](SetReader& reader) -> Result<Json> {
    const auto counts = reader.Numbers(total ? std::nullopt : count);
    const auto pops = reader.Required(population);
    const auto reference_counts = reader.Numbers(reference_count);
    const auto reference_pops = reader.Required(reference_population);
    const double observed = reader.Constant(total);
    if (auto ok = reader.Check(); !ok) return tl::unexpected(ok.error());
    std::vector<std::string> labels(reader.size());
    std::vector<stats::IsrBand> bands(reader.size());
    for (std::size_t i = 0; i < bands.size(); ++i) {
      labels[i] = label ? reader.Cell(i, *label) : fmt::format("line {}", reader.Line(i));
      bands[i] = {counts[i], pops[i], reference_counts[i], reference_pops[i], labels[i]};
    }
    auto result = rate ? stats::IsRate(bands, conf, multiplier, observed)
                       : stats::IsRatio(bands, conf, multiplier, observed);
    if (!result) return tl::unexpected(result.error());
    Json out = EstimateJson(result->estimate);
    out["observed"] = result->observed;
    out["expected"] = result->expected;
    out["reference_rate"] = Number(result->reference_rate);
    out[rate ? "multiplier" : "reference_value"] = multiplier;
    return out;
  });
}

Result<SetFunction> LifeExpectancyMeasure(const Table& table, const Options& options) {
  Columns columns(table);
  const auto start = columns.Required(kStartAge, "the start age of each band");
  const auto population = columns.Required(kLifePopulation, "the population of each band");
  const auto deaths = columns.Required(kDeaths, "the deaths of each band");
  if (auto ok = columns.Check(); !ok) return tl::unexpected(ok.error());
  const double conf = options.confidence;
  return SetFunction([=](SetReader& reader) -> Result<Json> {
    const auto ages = reader.Required(start);
    const auto pops = reader.Required(population);
    const auto dead = reader.Required(deaths);
    if (auto ok = reader.Check(); !ok) return tl::unexpected(ok.error());
    std::vector<stats::LifeTableBand> bands(reader.size());
    for (std::size_t i = 0; i < bands.size(); ++i) bands[i] = {ages[i], pops[i], dead[i]};
    auto result = stats::LifeExpectancy(bands, conf);
    if (!result) return tl::unexpected(result.error());
    Json rows = Json::array();
    for (std::size_t i = 0; i < result->size(); ++i) {
      Json row = EstimateJson((*result)[i]);
      row["line"] = reader.Line(i);
      row["start_age"] = ages[i];
      rows.push_back(std::move(row));
    }
    return Json{{"bands", std::move(rows)}};
  });
}

// ---- Inequality -------------------------------------------------------------------------------

Result<SetFunction> InequalityMeasure(const Table& table, const Options& options,
                                      const stats::MeasureInfo& info) {
  Columns columns(table);
  const auto estimate = columns.Required(kEstimate, "the subgroup estimates");
  const auto se = columns.Optional(kSe);
  const auto population = columns.Optional(kPopulation);
  const auto order = columns.Optional(kOrder);
  const auto lower = columns.Optional(kLower);
  const auto upper = columns.Optional(kUpper);
  const auto reference = columns.Optional(kReference);
  const auto ordered = columns.Optional(kOrdered);
  const auto favourable = columns.Optional(kFavourable);
  const auto scale = columns.Optional(kScale);
  const auto setting_average = columns.Optional(kSettingAverage);
  const auto value_type = columns.Optional(kValueType);
  const auto repetitions = columns.Optional(kRepetitions);
  const auto direction = columns.Optional(kDirection);
  if (auto ok = columns.Check(); !ok) return tl::unexpected(ok.error());
  auto confidence = stats::MakeConfidence(options.confidence);
  if (!confidence) return tl::unexpected(confidence.error());
  stats::MeasureOptions base;
  base.confidence = *confidence;
  base.seed = options.seed;
  if (options.multiplier) base.phe_multiplier = *options.multiplier;
  if (options.draws) {
    base.phe_repetitions = *options.draws;
    base.who_simulations = *options.draws;
  }
  const Options given = options;
  return SetFunction([=](SetReader& reader) -> Result<Json> {
    const auto estimates = reader.Required(estimate);
    const auto ses = reader.Numbers(se);
    const auto pops = reader.Numbers(population);
    const auto lowers = reader.Numbers(lower);
    const auto uppers = reader.Numbers(upper);
    const auto references = reader.Numbers(reference);
    std::vector<int> orders;
    if (order) orders = reader.Integers(*order);
    const double is_ordered = reader.Constant(ordered);
    const double is_favourable = reader.Constant(favourable);
    const double scale_value = reader.Constant(scale);
    const double average = reader.Constant(setting_average);
    const double type = reader.Constant(value_type);
    const double draws = reader.Constant(repetitions);
    if (auto ok = reader.Check(); !ok) return tl::unexpected(ok.error());

    stats::MeasureOptions measure_options = base;
    stats::SubgroupSet set;
    set.estimate = estimates;
    if (se) set.se = ses;
    if (population) set.population = pops;
    if (order) set.order = orders;
    if (lower && upper) {
      set.lower = lowers;
      set.upper = uppers;
    }
    set.ordered = ordered ? is_ordered == 1 : order.has_value();
    if (favourable && !std::isnan(is_favourable)) {
      set.favourable = is_favourable != 0;
    } else {
      auto how = SetDirection(reader, direction, given);
      if (!how) return tl::unexpected(how.error());
      set.favourable = *how != Direction::kLower;
    }
    set.scale = scale_value;
    set.setting_average = average;
    if (reference) {
      for (std::size_t i = 0; i < references.size(); ++i) {
        if (references[i] != 1) continue;
        if (set.reference >= 0) {
          reader.Problem(i, *reference,
                         fmt::format("a second reference subgroup (the first is on line {}): "
                                     "mark one row with 1",
                                     reader.Line(static_cast<std::size_t>(set.reference))));
        }
        set.reference = static_cast<int>(i);
      }
      if (auto ok = reader.Check(); !ok) return tl::unexpected(ok.error());
    }
    if (!std::isnan(type)) {
      if (type == 1) {
        measure_options.phe_value_type = stats::PheValueType::kRate;
      } else if (type == 2) {
        measure_options.phe_value_type = stats::PheValueType::kProportion;
      } else if (type != 0) {
        return Fail(ErrorCode::kInvalidValue,
                    fmt::format("column \"{}\": the value type {} is not 0 (normal), 1 (rate) or "
                                "2 (proportion)",
                                table.headers[*value_type], type));
      }
    }
    if (!given.draws && !std::isnan(draws)) {
      measure_options.phe_repetitions = static_cast<int>(draws);
    }
    auto result = info.compute(set, measure_options);
    if (!result) return tl::unexpected(result.error());
    Json out = EstimateJson(*result);
    out["subgroups"] = estimates.size();
    out["ordered"] = set.ordered;
    out["favourable"] = set.favourable;
    return out;
  });
}

// ---- Trends and comparison ----------------------------------------------------------------------

Result<SetFunction> RecentTrendMeasure(const Table& table, const Options& options) {
  Columns columns(table);
  const auto year = columns.Required(kYear, "the year of each point");
  const auto numerator = table.Find({"numerator", "täljare", "count"});
  const auto denominator = table.Find(kDenominator);
  const bool proportion = numerator && denominator;
  std::optional<std::size_t> value;
  std::optional<std::size_t> lower;
  std::optional<std::size_t> upper;
  if (!proportion) {
    value = columns.Required(kEstimate, "the value of each point (or numerator and denominator)");
    lower = columns.Required(kLower, "the lower 95 % limit of each point");
    upper = columns.Required(kUpper, "the upper 95 % limit of each point");
  }
  const auto direction = columns.Optional(kDirection);
  if (auto ok = columns.Check(); !ok) return tl::unexpected(ok.error());
  const Options given = options;
  return SetFunction([=](SetReader& reader) -> Result<Json> {
    const auto years = reader.Integers(year);
    const auto x = reader.Numbers(numerator);
    const auto n = reader.Numbers(denominator);
    const auto values = reader.Numbers(value);
    const auto lowers = reader.Numbers(lower);
    const auto uppers = reader.Numbers(upper);
    if (auto ok = reader.Check(); !ok) return tl::unexpected(ok.error());
    auto how = SetDirection(reader, direction, given);
    if (!how) return tl::unexpected(how.error());
    std::vector<stats::TrendPoint> points(reader.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
      points[i] = {years[i], values[i], lowers[i], uppers[i], x[i], n[i]};
    }
    stats::RecentTrendOptions trend_options;
    trend_options.method = proportion ? stats::RecentTrendMethod::kProportion
                                      : stats::RecentTrendMethod::kValueWithInterval;
    trend_options.direction = *how;
    trend_options.confidence = given.confidence_given ? given.confidence : stats::kConf998;
    auto trend = stats::FingertipsRecentTrend(points, trend_options);
    if (!trend) return tl::unexpected(trend.error());
    return Json{{"outcome", ToString(trend->outcome)},
                {"judgement", ToString(trend->judgement)},
                {"method", trend->method},
                {"confidence", trend->confidence},
                {"first_year", trend->first_year},
                {"last_year", trend->last_year},
                {"chi_square", Number(trend->chi_square)},
                {"critical_value", Number(trend->critical_value)},
                {"p_value", Number(trend->p_value)},
                {"slope", Number(trend->slope)},
                {"slope_se", Number(trend->slope_se)},
                {"slope_scale", Text(trend->slope_scale)},
                {"stable", trend->stable},
                {"reason", Text(trend->reason)}};
  });
}

Result<SetFunction> ProgressMeasureFn(const Table& table, const Options& options) {
  Columns columns(table);
  const auto year = columns.Required(kYear, "the year of each value");
  const auto value = columns.Required(kEstimate, "the value of each year");
  const auto direction = columns.Optional(kDirection);
  if (auto ok = columns.Check(); !ok) return tl::unexpected(ok.error());
  const Options given = options;
  return SetFunction([=](SetReader& reader) -> Result<Json> {
    const auto years = reader.Integers(year);
    const auto values = reader.Numbers(value);
    if (auto ok = reader.Check(); !ok) return tl::unexpected(ok.error());
    auto how = SetDirection(reader, direction, given);
    if (!how) return tl::unexpected(how.error());
    std::vector<stats::YearValue> series(reader.size());
    for (std::size_t i = 0; i < series.size(); ++i) series[i] = {years[i], values[i]};
    stats::ProgressOptions progress_options;
    progress_options.direction = *how;
    if (given.base_year) progress_options.base_year = *given.base_year;
    if (given.target) progress_options.target = *given.target;
    if (given.target_year) progress_options.target_year = *given.target_year;
    if (given.limit) progress_options.limit = *given.limit;
    auto progress = stats::OpenSdgProgress(series, progress_options);
    if (!progress) return tl::unexpected(progress.error());
    return Json{{"status", ToString(progress->status)},
                {"method", progress->method},
                {"base_year", progress->base_year},
                {"current_year", progress->current_year},
                {"base_value", Number(progress->base_value)},
                {"current_value", Number(progress->current_value)},
                {"target", Number(progress->target)},
                {"target_year", progress->target_year},
                {"observed_growth", Number(progress->observed_growth)},
                {"required_growth", Number(progress->required_growth)},
                {"progress_value", Number(progress->progress_value)},
                {"coefficient", progress->coefficient},
                {"thresholds",
                 {Number(progress->threshold_high), Number(progress->threshold_med),
                  Number(progress->threshold_low)}},
                {"note", Text(progress->note)}};
  });
}

Json ChangeJson(const stats::ChangeAssessment& change) {
  return Json{{"outcome", ToString(change.outcome)},
              {"positive", change.positive},
              {"confidence", change.confidence},
              {"baseline_year", change.baseline_year},
              {"follow_up_year", change.follow_up_year},
              {"baseline_value", Number(change.baseline_value)},
              {"follow_up_value", Number(change.follow_up_value)},
              {"change", Number(change.change)},
              {"change_se", Number(change.change_se)},
              {"change_lower", Number(change.change_lower)},
              {"change_upper", Number(change.change_upper)},
              {"p_value", Number(change.p_value)},
              {"intervals_overlap", change.intervals_overlap},
              {"reason", Text(change.reason)}};
}

Result<SetFunction> ChangeMeasure(const Table& table, const Options& options) {
  Columns columns(table);
  const auto year = columns.Required(kYear, "the year of each value");
  const auto value = columns.Required(kEstimate, "the value of each year");
  const auto lower = columns.Optional(kLower);
  const auto upper = columns.Optional(kUpper);
  const auto direction = columns.Optional(kDirection);
  if (auto ok = columns.Check(); !ok) return tl::unexpected(ok.error());
  const Options given = options;
  return SetFunction([=](SetReader& reader) -> Result<Json> {
    const auto years = reader.Integers(year);
    const auto values = reader.Numbers(value);
    const auto lowers = reader.Numbers(lower);
    const auto uppers = reader.Numbers(upper);
    if (auto ok = reader.Check(); !ok) return tl::unexpected(ok.error());
    auto how = SetDirection(reader, direction, given);
    if (!how) return tl::unexpected(how.error());
    // Baseline: --base-year, else the first year; follow-up: the last year.
    std::optional<std::size_t> baseline;
    std::optional<std::size_t> follow_up;
    for (std::size_t i = 0; i < years.size(); ++i) {
      if (given.base_year ? years[i] == *given.base_year
                          : (!baseline || years[i] < years[*baseline])) {
        baseline = i;
      }
      if (!follow_up || years[i] > years[*follow_up]) follow_up = i;
    }
    if (!baseline) {
      return Fail(ErrorCode::kInvalidValue,
                  fmt::format("the set has no row for the baseline year {} (--base-year)",
                              *given.base_year));
    }
    auto point = [&](std::size_t i) {
      return stats::YearEstimate{years[i], values[i], lowers[i], uppers[i]};
    };
    auto change = stats::AssessChange(point(*baseline), point(*follow_up), *how, given.confidence);
    if (!change) return tl::unexpected(change.error());
    return ChangeJson(*change);
  });
}

Result<SetFunction> CompareMeasure(const Table& table, const Options& options) {
  Columns columns(table);
  const auto value = columns.Required(kEstimate, "the area's value");
  const auto lower = columns.Required(kLower, "the area's lower 95 % limit");
  const auto upper = columns.Required(kUpper, "the area's upper 95 % limit");
  const auto lower998 = columns.Optional(kLower998);
  const auto upper998 = columns.Optional(kUpper998);
  const auto benchmark = columns.Required(kBenchmark, "the benchmark's value");
  const auto benchmark_lower = columns.Optional(kBenchmarkLower);
  const auto benchmark_upper = columns.Optional(kBenchmarkUpper);
  const auto benchmark_lower998 = columns.Optional(kBenchmarkLower998);
  const auto benchmark_upper998 = columns.Optional(kBenchmarkUpper998);
  const auto direction = columns.Optional(kDirection);
  if (auto ok = columns.Check(); !ok) return tl::unexpected(ok.error());
  const bool overlap = benchmark_lower && benchmark_upper;
  const Options given = options;
  return SetFunction([=](SetReader& reader) -> Result<Json> {
    const auto values = reader.Required(value);
    const auto lowers = reader.Numbers(lower);
    const auto uppers = reader.Numbers(upper);
    const auto lowers998 = reader.Numbers(lower998);
    const auto uppers998 = reader.Numbers(upper998);
    const auto benchmarks = reader.Required(benchmark);
    const auto benchmark_lowers = reader.Numbers(benchmark_lower);
    const auto benchmark_uppers = reader.Numbers(benchmark_upper);
    const auto benchmark_lowers998 = reader.Numbers(benchmark_lower998);
    const auto benchmark_uppers998 = reader.Numbers(benchmark_upper998);
    if (auto ok = reader.Check(); !ok) return tl::unexpected(ok.error());
    auto how = SetDirection(reader, direction, given);
    if (!how) return tl::unexpected(how.error());
    Json rows = Json::array();
    for (std::size_t i = 0; i < reader.size(); ++i) {
      const stats::ValueWithIntervals area{values[i], lowers[i], uppers[i], lowers998[i],
                                           uppers998[i]};
      auto comparison = overlap ? stats::CompareIntervalOverlap(
                                      area,
                                      {benchmarks[i], benchmark_lowers[i], benchmark_uppers[i],
                                       benchmark_lowers998[i], benchmark_uppers998[i]},
                                      *how)
                                : stats::CompareWithBenchmarkValue(area, benchmarks[i], *how);
      if (!comparison) {
        Error error = comparison.error();
        error.message = fmt::format("line {}: {}", reader.Line(i), error.message);
        return tl::unexpected(std::move(error));
      }
      auto level = [](const stats::LevelComparison& at) {
        return Json{{"outcome", ToString(at.outcome)},
                    {"lower", Number(at.lower)},
                    {"upper", Number(at.upper)},
                    {"reason", Text(at.reason)}};
      };
      rows.push_back({{"line", reader.Line(i)},
                      {"method", comparison->method},
                      {"value", Number(comparison->value)},
                      {"benchmark", Number(comparison->benchmark)},
                      {"at_95", level(comparison->at_95)},
                      {"at_998", level(comparison->at_998)}});
    }
    return Json{{"direction", ToString(*how)}, {"rows", std::move(rows)}};
  });
}

// ---- The registry -----------------------------------------------------------------------------

using Builder = std::function<Result<SetFunction>(const Table&, const Options&)>;

struct Entry {
  MeasureInfo info;
  Builder build;
};

std::string InequalityColumns(const stats::MeasureInfo& info) {
  std::string columns = "est, pop, se, subgroup_order";
  if (info.id == "mdru" || info.id == "mdrw") columns += ", reference_subgroup";
  columns += ", ordered_dimension, favourable_indicator, scaleval, setting_average";
  if (info.id == "sii_phe" || info.id == "rii_phe") columns += ", lowercl, uppercl, valuetype";
  return columns;
}

const std::vector<Entry>& Registry() {
  static const std::vector<Entry> registry = [] {
    std::vector<Entry> entries{
        {{"proportion", "interval", "Proportion with the Wilson score interval",
          "numerator, denominator (summed per set)"},
         [](const Table& t, const Options& o) { return CountMeasure(t, o, false); }},
        {{"rate", "interval", "Crude rate (exact Poisson below 10 events, else Byar)",
          "numerator, denominator (summed per set)"},
         [](const Table& t, const Options& o) { return CountMeasure(t, o, true); }},
        {{"mean", "interval", "Mean with the Student t interval",
          "values; or value_sum, value_count, stdev"},
         MeanMeasure},
        {{"quantiles", "interval", "Quantile groups (PHE's phe_quantile)", "value"},
         QuantileMeasure},
        {{"dsr", "standardised", "Directly standardised rate (Dobson)",
          "ageband, count, pop, stdpop (default: ESP 2013); or f1, f2, … for non-independent "
          "events"},
         DsrMeasure},
        {{"isratio", "standardised", "Indirectly standardised ratio",
          "count (or total_count), pop, refcount, refpop"},
         [](const Table& t, const Options& o) { return IsMeasure(t, o, false); }},
        {{"israte", "standardised", "Indirectly standardised rate",
          "count (or total_count), pop, refcount, refpop"},
         [](const Table& t, const Options& o) { return IsMeasure(t, o, true); }},
        {{"life_expectancy", "life_table", "Life expectancy (Chiang II, Silcocks' interval)",
          "startage, pops, deaths"},
         LifeExpectancyMeasure},
    };
    for (const auto& measure : stats::Measures()) {
      entries.push_back({{std::string(measure.id), "inequality", std::string(measure.name),
                          InequalityColumns(measure)},
                         [&measure](const Table& t, const Options& o) {
                           return InequalityMeasure(t, o, measure);
                         }});
    }
    entries.push_back({{"recent_trend", "trend", "Fingertips' recent trend (last five points)",
                        "year, numerator, denominator; or year, value, lower, upper"},
                       RecentTrendMeasure});
    entries.push_back(
        {{"progress", "trend", "Open SDG's progress measure", "year, value"}, ProgressMeasureFn});
    entries.push_back(
        {{"change", "trend", "Positive movement from a baseline to a follow-up year (Västmanland)",
          "year, value, lower, upper"},
         ChangeMeasure});
    entries.push_back(
        {{"compare", "comparison", "Comparison with a benchmark (Fingertips, 95 % and 99.8 %)",
          "value, lower, upper, lower998, upper998, benchmark (and "
          "benchmark_lower, benchmark_upper for interval overlap)"},
         CompareMeasure});
    return entries;
  }();
  return registry;
}

Json GroupJson(const Set& set) {
  Json group = Json::object();
  for (const auto& [column, value] : set.key) group[column] = value;
  return group;
}

std::string LinesText(const Table& table, const Set& set) {
  const auto first = table.rows[set.rows.front()].line;
  const auto last = table.rows[set.rows.back()].line;
  return first == last ? fmt::format("{}", first) : fmt::format("{}-{}", first, last);
}

}  // namespace

std::vector<MeasureInfo> Measures() {
  std::vector<MeasureInfo> infos;
  for (const auto& entry : Registry()) infos.push_back(entry.info);
  return infos;
}

Result<Json> Run(std::string_view csv_text, std::string_view file_name, const Options& options) {
  const auto& registry = Registry();
  const auto entry = std::find_if(registry.begin(), registry.end(),
                                  [&](const Entry& e) { return e.info.id == options.measure; });
  if (entry == registry.end()) {
    std::vector<std::string> ids;
    for (const auto& e : registry) ids.push_back(e.info.id);
    return Fail(ErrorCode::kInvalidParameter,
                fmt::format("unknown measure \"{}\"; the measures are: {}", options.measure,
                            fmt::join(ids, ", ")),
                {{"measure", options.measure}});
  }
  auto confidence = stats::MakeConfidence(options.confidence);
  if (!confidence) return tl::unexpected(confidence.error());
  Options normalised = options;
  normalised.confidence = confidence->level;
  auto table =
      ReadTable(csv_text, file_name, options.by, options.by_given, entry->info.kind == "trend");
  if (!table) return tl::unexpected(table.error());
  auto compute = entry->build(*table, normalised);
  if (!compute) return tl::unexpected(compute.error());

  Json results = Json::array();
  Json errors = Json::array();
  std::vector<stats::ChangeAssessment> changes;
  for (const Set& set : table->sets) {
    SetReader reader(*table, set);
    auto result = (*compute)(reader);
    if (result) {
      Json item{{"group", GroupJson(set)}, {"lines", LinesText(*table, set)}};
      item.update(*result);
      results.push_back(std::move(item));
    } else {
      errors.push_back({{"group", GroupJson(set)},
                        {"lines", LinesText(*table, set)},
                        {"message", result.error().message},
                        {"details", result.error().details}});
    }
  }
  Json out{{"measure", options.measure},      {"name", entry->info.name},
           {"confidence", confidence->level}, {"input", file_name},
           {"sets", table->sets.size()},      {"results", std::move(results)},
           {"errors", std::move(errors)}};
  // The programme goal over every set's change (Västmanland: met when every indicator moved
  // positively).
  if (options.measure == "change") {
    for (const auto& item : out["results"]) {
      stats::ChangeAssessment change;
      change.outcome = ParseEnum<stats::ChangeOutcome>(item["outcome"].get<std::string>())
                           .value_or(stats::ChangeOutcome::kNotAssessed);
      change.positive = item["positive"].get<bool>();
      changes.push_back(change);
    }
    if (!changes.empty() && out["errors"].empty()) {
      auto goal = stats::AssessProgrammeGoal(changes);
      if (goal) {
        out["goal"] = {{"outcome", ToString(goal->outcome)},
                       {"indicators", goal->indicators},
                       {"improved", goal->improved},
                       {"significantly_improved", goal->significantly_improved},
                       {"not_improved", goal->not_improved},
                       {"not_assessed", goal->not_assessed},
                       {"reason", Text(goal->reason)}};
      }
    }
  }
  return out;
}

}  // namespace halsonav::analysis
