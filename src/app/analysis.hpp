#pragma once

// The statistics engine for analysts (`halsonav stats MEASURE --input FILE.csv`, docs/METHODS.md
// "For analysts"): reads a CSV of subgroups, age bands or periods, groups its rows into sets and
// computes one measure per set. Every set gets either its result or its own error: one bad set
// never hides the others, and nothing is ever a silent NaN.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace halsonav::analysis {

using Json = nlohmann::json;

struct Options {
  std::string measure;               // an id of Measures()
  double confidence = 0.95;          // 0.95 or 95
  bool confidence_given = false;     // false: recent_trend tests at 99.8 % (Fingertips)
  std::vector<std::string> by;       // grouping columns (io/analysis_csv.hpp)
  bool by_given = false;             // false: the default grouping columns
  std::optional<double> multiplier;  // proportion (1), rate/dsr/israte (100000), isratio (1)
  std::optional<int> draws;          // Monte Carlo draws (sii_phe, rii_phe; WHO's simulations)
  std::uint64_t seed = 123456;       // of every simulation
  int quantiles = 10;                // quantiles: the number of groups
  bool invert = false;               // quantiles: the highest value in group 1
  std::string direction;             // "higher", "lower" or "none"; default: a column, or none
  std::optional<double> target;      // progress: the target value
  std::optional<int> target_year;    // progress (default 2030)
  std::optional<int> base_year;      // progress (default 2015), change (default: first year)
  std::optional<double> limit;       // progress: a natural limit (e.g. 100 %)
};

// One measure the command knows.
struct MeasureInfo {
  std::string id;
  std::string kind;  // "interval", "standardised", "life_table", "inequality", "trend",
                     // "comparison"
  std::string name;
  std::string columns;  // the input columns, as the help lists them
};

std::vector<MeasureInfo> Measures();

// Runs a measure over a CSV text. Fails (nothing computed) for an unknown measure
// (kInvalidParameter), a bad confidence level, or a file that cannot be read as CSV or lacks a
// column the measure needs (kInvalidValue, every problem at FILE:LINE:COLUMN). Otherwise returns
// {"measure", "confidence", "input", "results": [{"group", "lines", …}], "errors": [{"group",
// "lines", "message", "details"}]}: a set that fails is in "errors", with what and where.
Result<Json> Run(std::string_view csv_text, std::string_view file_name, const Options& options);

}  // namespace halsonav::analysis
