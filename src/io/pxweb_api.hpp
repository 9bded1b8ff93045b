#pragma once

// PxWeb's API, v1 and v2 (SCB, Folkhälsomyndigheten's Folkhälsodata), as a fetch sees it
// (docs/indicators.md, "PxWeb's API"): a table's address, its metadata, the service's limits,
// the query built from the user's selections and split to fit the limits, and the requests that
// carry each piece. Pure: no network, no storage (app/fetch_pxweb.cpp fetches and imports).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace halsonav::statsio {

enum class PxWebVersion { kV1, kV2 };

// Where a table's metadata, data and the service's limits are asked for.
struct PxWebAddress {
  PxWebVersion version = PxWebVersion::kV1;
  std::string table_id;      // v2: "TAB6471"; v1: the last path segment
  std::string metadata_url;  // v1: the table's URL (GET); v2: {api}/tables/{id}/metadata
  std::string data_url;      // v1: the table's URL (POST); v2: {api}/tables/{id}/data
  std::string
      config_url;        // v1: {root}/?config (empty when the root is not found); v2: {api}/config
  std::string language;  // v2: the "lang" of the given URL ("" = the service's default)
};

// v2 when the path holds "/tables/{id}" under an "/api/v2" (or "v2beta") path, else v1.
// kInvalidValue for anything but an http(s) URL with a path.
Result<PxWebAddress> ParsePxWebAddress(std::string_view url);

struct PxWebVariable {
  std::string code;
  std::string text;
  std::vector<std::string> values;
  bool elimination = false;       // the variable may be left out (the service answers its total)
  std::string elimination_value;  // v2: the code of that total, when the service names it
  bool time = false;
};

struct PxWebTable {
  std::string title;
  std::vector<PxWebVariable> variables;
};

// v1: `{title, variables: [{code, text, values, valueTexts, elimination, time}]}`; v2: the
// JSON-stat 2.0 metadata dataset (`id`, `dimension.D.category.index`, `extension.elimination`,
// `role.time`). kInvalidValue naming `name` and the JSON pointer.
Result<PxWebTable> ReadPxWebMetadata(PxWebVersion version, std::string_view text,
                                     std::string_view name);

// The service's limits. Defaults when a v1 service has no `?config`: PxWeb's stock settings
// (100,000 cells a query; SCB allows 30 calls per 10 seconds).
struct PxWebLimits {
  std::uint64_t max_cells = 100000;
  int max_calls = 30;
  double window_s = 10;
};
// v1 `?config`: {maxValues, maxCalls, timeWindow}; v2 `/config`: {maxDataCells,
// maxCallsPerTimeWindow, timeWindow}. A missing field keeps its default.
Result<PxWebLimits> ReadPxWebConfig(PxWebVersion version, std::string_view text,
                                    std::string_view name);

// A selection of one variable's values; {"*"} selects all of them.
struct PxWebSelection {
  std::string code;
  std::vector<std::string> values;
};

// "Kon=1,2" (values comma-separated; "*" for all). kInvalidValue when there is no "=" or no value.
Result<PxWebSelection> ParsePxWebSelect(std::string_view text);

// A query file: PxWeb v1's POST body (`{"query": [{"code", "selection": {"filter": "item" | "all"
// | "top", "values"}}]}`) or v2's (`{"selection": [{"variableCode", "valueCodes"}]}`).
// Filters other than item, all and top (value sets "vs:…", aggregations "agg:…") are problems:
// name the codes instead.
Result<std::vector<PxWebSelection>> ReadPxWebQueryFile(std::string_view text,
                                                       std::string_view name);

// The variables asked for, in the table's order, each with its codes. A variable the table
// allows to eliminate and the user did not select is left out (the service answers its total,
// which the import stores as the total: no breakdown); any other unselected variable asks for
// every value. kInvalidValue for a variable or code the table does not have, and for a
// selection that is a "top" count beyond the values (names every problem).
struct PxWebQuery {
  std::vector<PxWebSelection> variables;
};
Result<PxWebQuery> BuildPxWebQuery(const PxWebTable& table,
                                   const std::vector<PxWebSelection>& selections);

// Cells the query asks for (the product of the counts).
std::uint64_t CellCount(const PxWebQuery& query);

// Pieces of at most `max_cells` cells each that together ask for exactly the query's cells:
// the variable with the most values is cut into runs, as few pieces as that allows; when one
// value of it still asks for too much, the next variable is cut too.
std::vector<PxWebQuery> SplitPxWebQuery(const PxWebQuery& query, std::uint64_t max_cells);

// v1: the POST body for JSON-stat 2.0 answers.
std::string PxWebV1Body(const PxWebQuery& query);
// v2: the data URL (GET) for JSON-stat 2.0 answers, `valueCodes[CODE]=v1,v2` per variable.
std::string PxWebV2DataUrl(const PxWebAddress& address, const PxWebQuery& query);

}  // namespace halsonav::statsio
