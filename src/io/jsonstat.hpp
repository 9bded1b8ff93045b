#pragma once

// JSON-stat (https://json-stat.org) as SCB's and Folkhälsomyndigheten's PX-Web APIs return it:
// 2.0 datasets (v1 and v2 APIs), 2.0 collections of datasets, and 1.x bundles. Read with
// simdjson's on-demand API (docs/jsonstat.md has the rules and the mapping file).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/statistics.hpp"
#include "io/dimension_mapping.hpp"
#include "io/stats_batch.hpp"

namespace halsonav::statsio {

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
