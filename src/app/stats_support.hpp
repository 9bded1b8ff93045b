#pragma once

// Private to app: what the statistics use cases (stats_import.cpp, statistics.cpp) share.

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "core/json_codec.hpp"
#include "core/statistics.hpp"
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

// Applies disclosure control to `count` rows grouped into tables of one indicator × area ×
// period: `table(idx)` gives a row's table key (rows of a table need not be adjacent),
// `cell(idx)` its DisclosureCell, and `verdict(idx, suppressed)` receives the outcome.
template <typename Table, typename Cell, typename Verdict>
void SuppressByTable(std::size_t count, const stats::DisclosureRule& rule, Table table, Cell cell,
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
    stats::ApplyDisclosureControl(cells, rule);
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

}  // namespace halsonav::stats_support
