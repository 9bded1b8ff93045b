#pragma once

// Real public data embedded in the binary at build time (app/embedded_data.cpp.in, from data/),
// so that `halsonav init` gives every database the national registry and outlines, and
// `init --demo` the demo statistics, wherever the binary is. Origins: data/national/SOURCES.md
// and data/demo/statistics/SOURCES.md. The views point into the binary's read-only data and
// live as long as the program.

#include <string_view>
#include <vector>

namespace halsonav {

struct EmbeddedFile {
  std::string_view file_name;  // as in data/, for messages ("municipalities.csv")
  std::string_view text;
};

// Kolada's area registry, municipality groups and KPI catalogue; the outlines of the
// municipalities (feature property "id" = the four-digit code) and the regions ("l_id" = the
// county number).
struct NationalDataFiles {
  EmbeddedFile areas;
  EmbeddedFile area_groups;
  EmbeddedFile kpi_catalogue;
  EmbeddedFile municipality_outlines;
  EmbeddedFile region_outlines;
};
const NationalDataFiles& NationalData();

// SCB's population table (JSON-stat 2.0) and Kolada values (the API's response shape).
struct DemoStatisticsFiles {
  std::vector<EmbeddedFile> jsonstat;
  std::vector<EmbeddedFile> kolada;
};
const DemoStatisticsFiles& DemoStatistics();

// Openwall's list of common passwords (data/security), one per line, "#!comment:" lines first.
EmbeddedFile CommonPasswords();

}  // namespace halsonav
