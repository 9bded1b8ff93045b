#pragma once

// Private to app: what the statistics use cases (stats_import.cpp, statistics.cpp) share.

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/json_codec.hpp"
#include "core/statistics.hpp"
#include "io/stats_batch.hpp"
#include "stats/compare.hpp"
#include "stats/disclosure.hpp"
#include "store/store.hpp"

namespace halsonav {
struct Caller;
}

namespace halsonav::stats_support {

// The setting that holds the disclosure rule's threshold.
inline constexpr std::string_view kDisclosureSetting = "disclosure.min_count";

// The stored rule, or the default (fewer than 5 → suppressed).
Result<stats::DisclosureRule> LoadDisclosureRule(Transaction& tx);

// The registry's areas as lines across areas for disclosure control (docs/METHODS.md): each
// region and its municipalities, Riket and the regions, Riket and every municipality; the area
// keys are the areas' ids.
std::vector<stats::AreaLine> AreaLines(const std::vector<Area>& areas);

// `status` with its suppressed flag set as disclosure control decided (the other flags kept).
inline std::uint8_t WithSuppression(std::uint8_t status, bool suppressed) {
  return static_cast<std::uint8_t>((status & ~kObservationSuppressed) |
                                   (suppressed ? kObservationSuppressed : 0));
}

// The input cell of a stored (or about to be stored) observation: its flags say whether it is
// suppressed whatever its counts (by the source, or held) and whether it has no figure.
stats::DisclosureCell StoredCell(const Breakdown* breakdown, Id area, double numerator,
                                 double respondents, std::uint8_t status);

// Disclosure control of an import's batch together with what is stored beside it, in tables of
// one indicator × period across areas (docs/METHODS.md), one batch at a time: Load the stored
// rows of the tables the batch writes to, Apply, write, Clear.
class BatchDisclosure {
 public:
  BatchDisclosure(Transaction& tx, stats::DisclosureRule rule) : tx_(tx), rule_(rule) {}

  // Keeps the stored rows of the indicator whose period is one of `periods`.
  Result<void> Load(Id indicator_id, const std::set<std::int64_t>& periods);
  // The stored row with the row's key, or nullptr.
  const ObservationRow* Stored(const ObservationRow& row) const;
  // Primary and complementary suppression over the batch (its drafts' areas, indicators and
  // breakdowns resolved to these ids) and the stored rows it does not replace: the drafts get
  // their status (a draft without counts replacing a figure the rule suppressed is held), and
  // the result is the stored rows whose suppression changes, with their new status.
  Result<std::vector<ObservationRow>> Apply(statsio::StatsBatch& batch,
                                            const std::vector<Id>& areas,
                                            const std::vector<Id>& indicator_ids,
                                            const std::vector<Id>& breakdowns);
  void Clear() { stored_.clear(); }

 private:
  using Key = std::tuple<Id, Id, Id, std::int64_t>;  // indicator, area, breakdown, period
  static Key KeyOf(const ObservationRow& row) {
    return {row.indicator_id, row.area_id, row.breakdown_id, row.period};
  }
  bool Held(const statsio::ObservationDraft& draft, const ObservationRow& stored) const;
  // The stored rows the batch does not replace; marks the drafts that are held.
  Result<std::vector<const ObservationRow*>> Others(statsio::StatsBatch& batch,
                                                    const std::vector<Key>& keys);

  Transaction& tx_;
  stats::DisclosureRule rule_;
  std::map<Key, ObservationRow> stored_;
  std::map<Id, Breakdown> breakdowns_;
  std::optional<std::vector<stats::AreaLine>> area_lines_;
};

// Applies disclosure control to `count` rows grouped into tables of one indicator × period:
// `table(idx)` gives a row's table key (rows of a table need not be adjacent), `cell(idx)` its
// DisclosureCell (with its area), and `verdict(idx, suppressed)` receives the outcome.
template <typename Table, typename Cell, typename Verdict>
void SuppressByTable(std::size_t count, const stats::DisclosureRule& rule,
                     std::span<const stats::AreaLine> area_lines, Table table, Cell cell,
                     Verdict verdict) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t left, std::size_t right) { return table(left) < table(right); });
  std::vector<stats::DisclosureCell> cells;
  for (std::size_t begin = 0; begin < order.size();) {
    std::size_t end = begin + 1;
    while (end < order.size() && table(order[end]) == table(order[begin])) ++end;
    cells.clear();
    for (std::size_t idx = begin; idx < end; ++idx) cells.push_back(cell(order[idx]));
    stats::ApplyDisclosureControl(cells, rule, area_lines);
    for (std::size_t idx = begin; idx < end; ++idx)
      verdict(order[idx], cells[idx - begin].suppressed);
    begin = end;
  }
}

// One history line for a statistics change (an import, a group, an indicator, the rule).
Result<void> RecordStatsChange(Transaction& tx, std::string entity, Id id, const Caller& caller,
                               const std::string& at, const Json& after);

// Records the history line, commits, and returns `after`: the end of every statistics write.
Result<Json> CommitRecorded(Transaction& tx, std::string entity, Id id, const Caller& caller,
                            const std::string& at, Json after);

// A registry import (areas, groups, KPI catalogue) as a stats_import row and its history line.
Result<void> RecordImport(Transaction& tx, std::string format, std::string_view file_name,
                          const Caller& caller, const std::string& at, const Json& report);

// Writes Kolada KPI definitions (the catalogue or the API's KPI metadata): new ones created,
// changed ones updated (keeping the dimensions found in data), all in `tx`. kDuplicate when a
// KPI has the code of an indicator from another source. Report: {"file", "indicators",
// "created", "updated", "unchanged"}. Records nothing (the caller does, with RecordImport).
Result<Json> ApplyCatalogue(Transaction& tx, const std::vector<Indicator>& catalogue,
                            std::string_view file_name);

// ---- Reading statistics (statistics.cpp; also used by equity.cpp) ------------------------------

// A number, or null when absent.
Json Number(double value);
// A period key as its code ("2024"), or null.
Json PeriodJson(std::int64_t key);
Json IndicatorJson(const Indicator& indicator);
Json StatusJson(std::uint8_t status);
// The figures of an observation as they may be shown: none at all when suppressed.
void PutFigures(Json& out, const ObservationRow& row, bool counts);
Json BreakdownJson(const Breakdown& breakdown);
tl::unexpected<Error> BadParameter(std::string_view parameter, std::string message);
// The indicator of `code`, or kNotFound.
Result<Indicator> RequireIndicator(Transaction& tx, const std::string& code);
// Breakdowns by id, parsed.
Result<std::map<Id, Breakdown>> LoadBreakdowns(Transaction& tx);
std::optional<Id> FindBreakdown(const std::map<Id, Breakdown>& breakdowns, const Breakdown& wanted);
// A period query parameter as its key; kInvalidParameter naming the parameter.
Result<std::int64_t> PeriodParameter(std::string_view parameter, const std::string& text);
// "total" or "dimension:category;dimension:category".
Result<Breakdown> BreakdownParameter(const std::string& text);

// ---- Markers (equity.cpp)
// ------------------------------------------------------------------------

// The stored value with its 95 % interval and a 99.8 % one widened from it; absent figures for a
// suppressed or missing observation.
stats::ValueWithIntervals Intervals(const ObservationRow& row, const Indicator& indicator);
// The standard error from the 95 % interval, else from the counts of a proportion; absent.
double StandardError(const ObservationRow& row, const Indicator& indicator);
// The population behind a figure and where it came from ("denominator", "respondents",
// "numerator_over_value"), or absent.
std::pair<double, std::string_view> Population(const ObservationRow& row,
                                               const Indicator& indicator);
// The row against the benchmark's row (Fingertips' value-in-interval rule by the indicator's
// direction): the outcome ids at 95 % and 99.8 % and why a level was not compared.
struct ComparisonOutcomes {
  std::string_view at_95 = "not_compared";
  std::string_view at_998 = "not_compared";
  std::string reason;
};
ComparisonOutcomes CompareRows(const ObservationRow& row, const ObservationRow& benchmark,
                               const Indicator& indicator);
// {"area", "value", "at_95", "at_998", "reason"}: the row against the benchmark's row
// (Fingertips' value-in-interval rule by the indicator's direction).
Json ComparisonJson(const ObservationRow& row, const ObservationRow& benchmark,
                    const std::string& benchmark_area, const Indicator& indicator);
// Fingertips' recent trend of a series (rows of one area and breakdown, by period ascending).
struct TrendMarker {
  std::string_view outcome = "could_not_be_calculated";
  std::string_view judgement = "not_judged";
  std::string_view method;  // empty when no test was run
  int first_year = 0;       // 0 when no test was run
  int last_year = 0;
  double p_value = kAbsent;
  std::string reason;
};
TrendMarker TrendOf(std::span<const ObservationRow> rows, const Indicator& indicator);
// {"outcome", "judgement", "method", "first_year", "last_year", "p_value", "reason"} (the years
// and p only when a test was run), written straight into a string (the area profile's 550 rows).
std::string TrendText(const TrendMarker& marker);
Json TrendJson(std::span<const ObservationRow> rows, const Indicator& indicator);

}  // namespace halsonav::stats_support
