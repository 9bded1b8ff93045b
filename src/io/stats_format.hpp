#pragma once

// Which statistics reader a file is for, told by its content (`import stats --format auto`).

#include <string_view>

namespace halsonav::statsio {

enum class StatsFileFormat { kKolada, kJsonStat, kCsv, kPx };

// PX when the file starts with PX keywords (CHARSET=, AXIS-VERSION=, … then DATA=); JSON by its
// shape: a Kolada data response has `values` at the top, a JSON-stat file `class`, `dimension`,
// `version`, `id`+`size`, or datasets with `dimension` one level down (a 1.x bundle); any other
// JSON is read as JSON-stat, whose reader says what the file is. Otherwise the extension decides
// (".px" PX, ".json" JSON-stat), and anything else is CSV. Reads at most the first megabyte.
StatsFileFormat DetectStatsFormat(std::string_view text, std::string_view file_name);

}  // namespace halsonav::statsio
