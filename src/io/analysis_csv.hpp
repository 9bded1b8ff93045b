#pragma once

// The analyst's CSV (`halsonav stats MEASURE --input FILE.csv`, docs/METHODS.md "For analysts"):
// one row per subgroup, age band or period, any columns; the rows are grouped into sets (one
// computation each) by the grouping columns. This reader knows nothing of the measures: it splits
// the file, groups the rows and turns a column's cells into numbers with their places.

#include <array>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "io/problems.hpp"

namespace halsonav::analysis {

// Header names (folded to lower case) that group rows into sets when no --by is given: the
// labels of WHO's and PHE's reference inputs and of the tidy statistics CSV.
inline constexpr std::array<std::string_view, 20> kDefaultGroupColumns = {
    "set",     "area",   "areacode",  "geocode", "indicator", "indicatorid", "dimension",
    "setting", "period", "year",      "sex",     "grouping1", "grouping2",   "testdescription",
    "område",  "omrade", "indikator", "år",      "kön",       "kon"};

struct Row {
  std::size_t line = 0;            // 1-based line in the file
  std::vector<std::string> cells;  // one per header (missing trailing cells are empty)
};

// The rows of one computation and the values of the grouping columns that define it.
struct Set {
  std::vector<std::pair<std::string, std::string>> key;  // header as written -> value
  std::vector<std::size_t> rows;                         // indexes into Table::rows, file order
};

struct Table {
  std::string file_name;
  char delimiter = ',';
  std::vector<std::string> headers;  // as written
  std::vector<std::string> folded;   // lower case, for matching
  std::vector<Row> rows;
  std::vector<Set> sets;  // in order of first appearance

  // The first column whose folded header is one of `names`.
  std::optional<std::size_t> Find(std::initializer_list<std::string_view> names) const;
  // "FILE:LINE:COLUMN" of a cell.
  std::string Where(const Row& row, std::size_t column) const;
};

// Reads the file and groups its rows. `by`: the grouping columns (matched case-insensitively);
// when `by_given` is false, every column of kDefaultGroupColumns present groups. An empty `by`
// given explicitly makes the whole file one set. Fails (all-or-nothing, every problem at
// FILE:LINE:COLUMN) on a broken CSV, an empty file, a duplicated header, an unknown --by column or
// a row longer than the header.
// `time_is_axis`: the default grouping leaves out the time columns (period, year, år,
// time_period), which are the axis of a trend rather than a set of their own.
Result<Table> ReadTable(std::string_view text, std::string_view file_name,
                        const std::vector<std::string>& by, bool by_given,
                        bool time_is_axis = false);

// The numbers of one column over a set's rows, in row order: a blank cell, ".." and "NA" are
// absent (kAbsent); anything else that is not a number is appended to `problems` (and absent).
std::vector<double> Numbers(const Table& table, const Set& set, std::size_t column,
                            std::vector<Problem>& problems);

}  // namespace halsonav::analysis
