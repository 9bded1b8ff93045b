#pragma once

// JSON-stat (https://json-stat.org) as SCB's and Folkhälsomyndigheten's PX-Web APIs return it:
// 2.0 datasets (v1 and v2 APIs), 2.0 collections of datasets, and 1.x bundles. Read with
// simdjson's on-demand API (docs/jsonstat.md has the rules and the mapping file).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/statistics.hpp"
#include "io/stats_batch.hpp"

namespace halsonav::statsio {

// What a dimension is, when its `role` does not say (or to override it).
enum class DimensionRole {
  kTime,       // categories are periods
  kGeo,        // categories are area codes
  kMetric,     // categories are indicators (ContentsCode)
  kParts,      // categories are the parts of one value: value, ci_low, ci_high, numerator, …
  kBreakdown,  // categories are groups (sex, education, age band…)
  kIgnore,     // a dimension of size 1 that says nothing (dropped)
};

// One indicator a metric category stands for, as the mapping file names it.
struct MappedIndicator {
  std::string code;
  std::string title;
  std::string unit;
  std::optional<ValueType> value_type;
  std::optional<Direction> direction;
  double per = 0;
};

// The mapping of one dimension (by its id in the file).
struct DimensionMapping {
  std::optional<DimensionRole> role;
  std::string name;  // kBreakdown: the dimension's name in Hälsonav ("sex", "education", "age")
  // kBreakdown: source category code -> Hälsonav category ("total" drops it from the breakdown);
  // kParts: category code -> "value", "ci_low", "ci_high", "numerator", "denominator",
  // "respondents"; kMetric: unused (see indicators).
  std::map<std::string, std::string> categories;
  std::map<std::string, MappedIndicator> indicators;  // kMetric: category code -> indicator
};

// The small mapping file (JSON) for what the data does not say:
// {"dimensions": {"<id>": {"role": "time|geo|metric|parts|breakdown|ignore", "name": "…",
//   "categories": {"<code>": "<category>"}, "indicators": {"<code>": {"code", "title", "unit",
//   "value_type", "direction", "per"}}}}, "table": "<table id>", "area": "<area code>",
//   "period": "<period>"}
struct JsonStatMapping {
  std::map<std::string, DimensionMapping> dimensions;
  std::string table;   // the table id used in indicator codes, when the file does not carry one
  std::string area;    // the area of a dataset without a geo dimension ("" = from the options)
  std::string period;  // the period of a dataset without a time dimension ("2015"; "" = none)
};

// Reads a mapping file; problems with JSON pointers into it. An empty text is the empty mapping.
Result<JsonStatMapping> ReadJsonStatMapping(std::string_view text, std::string_view file_name);

struct JsonStatOptions {
  const JsonStatMapping* mapping = nullptr;  // may be null
  std::string default_area = "0000";         // for datasets without a geo dimension
};

// Reads every dataset in the file into one batch. Indicators: one per metric category (code
// "<table>.<category>", title "<dataset label>: <category label>" unless the mapping names them),
// or one for the whole dataset when there is no metric dimension. Sex dimensions are found by
// id or labels and coded total/women/men; other dimensions become breakdown dimensions named by
// the mapping or by their id in lower case. `".."` and null values are missing.
// A file that is not a dataset (PX-Web config, table lists, search results, table metadata, a
// query body, a JSON-stat collection without datasets) fails with kInvalidValue and a message
// that says what the file is. Every problem has a JSON pointer. Never throws.
Result<StatsBatch> ReadJsonStat(std::string_view text, std::string_view file_name,
                                const JsonStatOptions& options);

// One cell of a dataset with the labels of its categories, in the file's dimension order
// (row-major, last dimension fastest): what a reference client (pxwebpy) produces.
struct FlatCell {
  std::vector<std::string> labels;  // one per dimension
  std::optional<double> value;      // nullopt for a missing value
  std::string status;               // the cell's status symbol, if any
};

// Every cell of the first dataset in the file, flattened with labels.
Result<std::vector<FlatCell>> FlattenJsonStat(std::string_view text, std::string_view file_name);

}  // namespace halsonav::statsio
