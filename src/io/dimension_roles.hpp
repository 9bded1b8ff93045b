#pragma once

// What each dimension of a statistics table is — the period, the area, the indicators (the
// content), the parts of one value, a breakdown (sex, age, education…) or nothing — and what
// each of its categories becomes in Hälsonav: the rules that JSON-stat and PX tables share
// (docs/jsonstat.md, "Dimensions"), applied after the mapping file (io/dimension_mapping.hpp).
//
// A reader describes its table as a SourceTable (dimensions in the order of the cells, the last
// varying fastest), PlanTable decides the roles and adds the table's indicators, areas and
// breakdowns to the batch, and an ObservationSink (io/observation_sink.hpp) turns the cells into
// observations with the plan.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/statistics.hpp"
#include "io/dimension_mapping.hpp"
#include "io/problems.hpp"
#include "io/stats_batch.hpp"

namespace halsonav::statsio {

// One category of a dimension, as the file gives it.
struct SourceCategory {
  std::string code;
  std::string label;            // "" when the file gives none
  std::string unit;             // a content category's unit ("procent", "antal"; "" = none)
  std::string place;            // where the file names it: a JSON pointer, or "FILE:LINE:COLUMN"
  std::optional<int> decimals;  // a content category's decimals (PX, JSON-stat `unit`)
};

// One dimension of a table, as the file gives it.
struct SourceDimension {
  std::string id;     // the file's code for it ("Region", "Kon", "ContentsCode")
  std::string place;  // where the file defines it, as SourceCategory::place
  // The code of the category that is the total over this dimension, when the file names one
  // (PX-Web's eliminationValueCode, PX's ELIMINATION): it leaves the breakdown.
  std::string elimination_code;
  // What the file itself says the dimension is (JSON-stat's `role`; PX's TIMEVAL and
  // CONTVARIABLE): kTime, kGeo or kMetric. The mapping file overrides it; without either, the
  // id decides ("Tid", "Region", "ContentsCode"…).
  std::optional<DimensionRole> file_role;
  int file_role_rank = 0;  // among dimensions the file gives the same role: the lowest wins
  std::vector<SourceCategory> categories;
};

// A table: one JSON-stat dataset, one PX file.
struct SourceTable {
  std::string table_id;  // the file's table id ("" = none: the mapping's, else the file's stem)
  std::string label;     // the table's title ("" = none)
  // The unit of a table without a metric dimension (PX's UNITS), unless its value part has one.
  std::string unit;
  std::optional<int> decimals;  // likewise, its decimals (PX's DECIMALS)
  IndicatorSource source = IndicatorSource::kOwn;
  std::string place;      // where the table is, for the references of what no dimension gives
  std::string ids_place;  // where the file lists its dimensions, for a missing time dimension
  std::vector<SourceDimension> dimensions;  // in cell order (row-major, last fastest)
};

struct PlanOptions {
  const JsonStatMapping* mapping = nullptr;  // may be null
  std::string default_area = "0000";         // the area of a table without a geo dimension
  std::string file_name;                     // its stem is the table id of last resort
  // Put before a place in the references' `where` (AreaRef, IndicatorRef): "FILE#" when places
  // are JSON pointers, "" when they name the file already ("FILE:LINE:COLUMN").
  std::string ref_prefix;
};

// What one dimension means for the observations, per category (in the dimension's order).
struct DimensionPlan {
  DimensionRole role = DimensionRole::kBreakdown;
  std::string name;                              // kBreakdown: the breakdown's name
  std::vector<std::uint32_t> indicator;          // kMetric: index into the batch's indicators
  std::vector<std::uint32_t> area;               // kGeo: index into the batch's areas
  std::vector<std::int64_t> period;              // kTime: PeriodKey
  std::vector<std::string> breakdown_value;      // kBreakdown: the category, "" = the total
  std::vector<double ObservationDraft::*> part;  // kParts: the field each category fills
};

struct TablePlan {
  std::vector<DimensionPlan> dimensions;  // one per SourceTable::dimensions
  // What no dimension gives: the area (default_area or the mapping's), the period (the
  // mapping's), the one indicator of a table without a metric dimension.
  ObservationDraft fixed;
};

// Decides every dimension's role and plans its categories: the mapping's role first, then the
// file's, then the id's; the first dimension of the time, geo and metric roles has it (mapping
// first, then by file_role_rank, then in order), further ones become breakdowns; a dimension of
// one category is ignored unless it is one sex; sex dimensions (by id or by their categories)
// are named "sex" and coded total/women/men; totals (elimination code, or a label such as
// "Totalt" when no other category's label looks like a total) leave the breakdown. Indicators
// are "<table>.<category>" titled "<table label>: <category label>" unless the mapping names
// them; their unit is the category's, the value type follows from it ("antal" count, "procent"
// proportion).
// Adds the table's indicators, areas and breakdowns to `builder`; problems (by category or
// dimension place) go to `problems`. false when the table cannot be read (problems say why),
// or when `problems` held problems already.
bool PlanTable(const SourceTable& table, const PlanOptions& options, ProblemList& problems,
               StatsBatchBuilder& builder, TablePlan& plan);

// The value type a unit implies, as SCB, Folkhälsodata and Open SDG write units: "antal",
// "number" a count; "procent", "percent", "%" a proportion; "index"; anything else kOther.
ValueType ValueTypeOfUnit(std::string_view unit);

// Whether a label names the total over its dimension ("Total", "Totalt", "Samtliga", "Riket"…).
bool IsTotalLabel(std::string_view label);

}  // namespace halsonav::statsio
