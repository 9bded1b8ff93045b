#include "io/analysis_csv.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/statistics.hpp"
#include "io/csv.hpp"

namespace halsonav::analysis {

std::optional<std::size_t> Table::Find(std::initializer_list<std::string_view> names) const {
  for (std::size_t i = 0; i < folded.size(); ++i) {
    if (std::find(names.begin(), names.end(), folded[i]) != names.end()) return i;
  }
  return std::nullopt;
}

std::string Table::Where(const Row& row, std::size_t column) const {
  return csv::Where(file_name, row.line, column + 1);
}

Result<Table> ReadTable(std::string_view text, std::string_view file_name,
                        const std::vector<std::string>& by, bool by_given, bool time_is_axis) {
  Table table;
  table.file_name = csv::ValidUtf8(file_name);
  std::vector<Problem> problems;
  const csv::Table parsed = csv::Parse(text, table.file_name, problems);
  table.delimiter = parsed.delimiter;
  bool have_header = false;
  for (const csv::Record& record : parsed.records) {
    if (record.broken || record.Blank()) continue;
    for (std::size_t column = 0; column < record.fields.size(); ++column) {
      csv::CheckUtf8(record.fields[column], column + 1, table.file_name, problems);
    }
    if (!have_header) {
      have_header = true;
      for (std::size_t column = 0; column < record.fields.size(); ++column) {
        const std::string header(csv::Trim(record.fields[column].value));
        const std::string folded = csv::Fold(header);
        if (header.empty()) {
          problems.push_back({csv::Where(table.file_name, record.line, column + 1),
                              "the header cell is empty: every column needs a name"});
        } else if (std::find(table.folded.begin(), table.folded.end(), folded) !=
                   table.folded.end()) {
          problems.push_back({csv::Where(table.file_name, record.line, column + 1),
                              fmt::format("the column \"{}\" appears twice", header)});
        }
        table.headers.push_back(header);
        table.folded.push_back(folded);
      }
      continue;
    }
    if (record.fields.size() > table.headers.size()) {
      problems.push_back({csv::Where(table.file_name, record.line, table.headers.size() + 1),
                          fmt::format("the row has {} cells but the header names {} columns",
                                      record.fields.size(), table.headers.size())});
      continue;
    }
    Row row;
    row.line = record.line;
    row.cells.resize(table.headers.size());
    for (std::size_t column = 0; column < record.fields.size(); ++column) {
      row.cells[column] = std::string(csv::Trim(record.fields[column].value));
    }
    table.rows.push_back(std::move(row));
  }
  if (!have_header) {
    problems.push_back({csv::Where(table.file_name, 1, 1),
                        "the file is empty: a header row and at least one row are expected"});
  } else if (table.rows.empty() && problems.empty()) {
    problems.push_back({csv::Where(table.file_name, 2, 1), "the file has a header but no rows"});
  }

  std::vector<std::size_t> group_columns;
  if (by_given) {
    for (const std::string& name : by) {
      const std::string folded = csv::Fold(name);
      const auto found = std::find(table.folded.begin(), table.folded.end(), folded);
      if (found == table.folded.end()) {
        problems.push_back({table.file_name, fmt::format("--by names the column \"{}\", which the "
                                                         "file does not have (its columns: {})",
                                                         name, fmt::join(table.headers, ", "))});
      } else {
        group_columns.push_back(static_cast<std::size_t>(found - table.folded.begin()));
      }
    }
  } else {
    for (std::size_t column = 0; column < table.folded.size(); ++column) {
      const std::string& name = table.folded[column];
      const bool time = name == "period" || name == "year" || name == "år" || name == "time_period";
      if (time && time_is_axis) continue;
      if (std::find(kDefaultGroupColumns.begin(), kDefaultGroupColumns.end(), name) !=
          kDefaultGroupColumns.end()) {
        group_columns.push_back(column);
      }
    }
  }
  if (!problems.empty()) return ProblemsError(problems, table.file_name);

  std::map<std::vector<std::string>, std::size_t> set_of_key;
  for (std::size_t index = 0; index < table.rows.size(); ++index) {
    std::vector<std::string> key;
    key.reserve(group_columns.size());
    for (std::size_t column : group_columns) key.push_back(table.rows[index].cells[column]);
    auto [found, inserted] = set_of_key.try_emplace(key, table.sets.size());
    if (inserted) {
      Set set;
      for (std::size_t i = 0; i < group_columns.size(); ++i) {
        set.key.emplace_back(table.headers[group_columns[i]], key[i]);
      }
      table.sets.push_back(std::move(set));
    }
    table.sets[found->second].rows.push_back(index);
  }
  return table;
}

std::vector<double> Numbers(const Table& table, const Set& set, std::size_t column,
                            std::vector<Problem>& problems) {
  std::vector<double> numbers;
  numbers.reserve(set.rows.size());
  for (std::size_t index : set.rows) {
    const Row& row = table.rows[index];
    const std::string& cell = row.cells[column];
    if (cell == "NA" || cell == "na") {
      numbers.push_back(kAbsent);
      continue;
    }
    std::string why;
    if (auto number = csv::Number(cell, table.delimiter, why)) {
      numbers.push_back(*number);
    } else {
      problems.push_back({table.Where(row, column), fmt::format("column \"{}\": \"{}\" {}",
                                                                table.headers[column], cell, why)});
      numbers.push_back(kAbsent);
    }
  }
  return numbers;
}

}  // namespace halsonav::analysis
