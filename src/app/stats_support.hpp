#pragma once

// Private to app: what the statistics use cases (stats_import.cpp, statistics.cpp) share.

#include <string>

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
