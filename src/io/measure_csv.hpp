#pragma once

// A plan's measures from a spreadsheet, one row per measure, as Swedish Excel saves "CSV UTF-8"
// (docs/measure-csv.md has the columns and the cell syntax). This layer reads the file and checks
// what the file alone can show; finding each row's node in a framework, resolving actor names
// and units against the registry, and storing are the app's.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "io/plan_file.hpp"

namespace halsonav::plan {

// One row of the file.
struct CsvMeasure {
  std::size_t line = 0;   // the line (1-based) where the row starts
  std::string node_kind;  // a node-kind key; empty when the file has no node_kind column or the
                          // cell is empty (enough when the framework's node codes are unique)
  std::string node_code;  // the code of the node the measure belongs to (never empty)
  MeasureSpec measure;    // every cell trimmed; empty optional texts are empty strings
};

// Reads a measure CSV file. `text` is the whole file: UTF-8 with or without a byte-order mark,
// CRLF, LF or CR line ends, delimiter ';' or ',' (whichever occurs more often outside quotes in
// the header line; ';' on a tie), RFC 4180 quoting. `file_name` only names the file in problems.
//
// Returns the measures in file order. Every problem of the file is collected (not only the
// first) as a Problem whose pointer is "FILE:LINE:COLUMN" — LINE the line where the row starts
// (an unclosed quote and invalid UTF-8: the line where they are), COLUMN the 1-based number of
// the cell (1 for a problem of the whole row or header) — and the message names the column by
// its header. Any problem fails the whole file: kInvalidValue with details
// {"problems": [{pointer, message}…]} (ProblemsError). Never throws for any input.
Result<std::vector<CsvMeasure>> ReadMeasureCsv(std::string_view text, std::string_view file_name);

}  // namespace halsonav::plan
