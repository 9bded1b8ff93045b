#pragma once

// The mapping file: what a statistics table does not say about its dimensions (which one is the
// time, the area, the indicators, the parts of a value; what a breakdown and its categories are
// called; the indicators' codes and titles). Shared by the JSON-stat and PX readers, with the
// rules that apply it (io/dimension_roles.hpp). docs/jsonstat.md describes the file.

#include <map>
#include <optional>
#include <string>
#include <string_view>

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

// The field of an observation a part of a value fills ("value", "ci_low", "ci_high",
// "numerator", "denominator", "respondents"), or nullopt for another name.
std::optional<double ObservationDraft::*> PartField(std::string_view name);

}  // namespace halsonav::statsio
