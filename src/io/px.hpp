#pragma once

// PX files (PC-Axis), as SCB's, Folkhälsodata's and other statistics offices' PxWeb stores and
// offers them, read into a StatsBatch (docs/px.md). The variables become area, period, indicator
// and breakdown by the rules and the mapping file of JSON-stat (docs/jsonstat.md): the mapping
// names a variable by its VARIABLECODE or its name in the file's default language.

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "io/dimension_mapping.hpp"
#include "io/stats_batch.hpp"

namespace halsonav::statsio {

struct PxOptions {
  const JsonStatMapping* mapping = nullptr;  // may be null
  std::string default_area = "0000";         // for a table without an area variable
  std::string language;                      // the texts to read ("en"); empty: the default
};

// Indicators: one per value of the CONTVARIABLE (code "<table>.<value code>", title "<TITLE>:
// <value>", its UNITS), or one for the table (code "<table>", TABLEID, else MATRIX, else the
// file's name). Periods from TIMEVAL (or a time variable's codes). Cells "." … "......" and
// DATASYMBOLSUM are missing; "-" (DATASYMBOLNIL) is zero. Notes and unknown keywords go to the
// batch's notes. Observations' origin is their DATA line (OriginKind::kLine). Any problem fails
// the file (ProblemsError, each as "FILE:LINE:COLUMN"). Never throws.
Result<StatsBatch> ReadPx(std::string_view text, std::string_view file_name,
                          const PxOptions& options);

}  // namespace halsonav::statsio
