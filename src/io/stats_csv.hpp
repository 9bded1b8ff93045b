#pragma once

// Tidy statistics CSV: Open SDG's layout (Year, disaggregation columns, Value; a blank cell is the
// total) and Hälsonav's own (indicator, area, period, breakdown columns, value, ci_low, ci_high,
// numerator, denominator, respondents, status). Delimiter ';' or ',', UTF-8 with or without BOM,
// decimal comma or point. docs/kolada-and-csv.md lists the column names and their Swedish aliases
// (indikator, område, år, kön, värde, nedre, övre, täljare, nämnare, antal svarande, status).

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "io/stats_batch.hpp"

namespace halsonav::statsio {

struct StatsCsvOptions {
  std::string indicator;      // the indicator when the file has no indicator column (Open SDG)
  std::string area = "0000";  // the area when the file has no area column
};

// Observations' origin is the line (OriginKind::kLine). Every problem as "FILE:LINE:COLUMN";
// any problem fails the file (ProblemsError). Never throws.
Result<StatsBatch> ReadStatsCsv(std::string_view text, std::string_view file_name,
                                const StatsCsvOptions& options);

}  // namespace halsonav::statsio
