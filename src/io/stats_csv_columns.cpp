#include "io/stats_csv_columns.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include <fmt/format.h>

namespace halsonav::statsio::stats_csv {
namespace {

// Header names as csv::Fold gives them (lower case); docs/kolada-and-csv.md lists them.
struct RoleName {
  std::string_view name;
  Role role;
};
constexpr std::array kRoleNames = {
    RoleName{"indicator", Role::kIndicator},
    RoleName{"indikator", Role::kIndicator},
    RoleName{"indicator_code", Role::kIndicator},
    RoleName{"area", Role::kArea},
    RoleName{"område", Role::kArea},
    RoleName{"omrade", Role::kArea},
    RoleName{"region", Role::kArea},
    RoleName{"geocode", Role::kArea},
    RoleName{"geo_code", Role::kArea},
    RoleName{"geo", Role::kArea},
    RoleName{"kommun", Role::kArea},
    RoleName{"kommunkod", Role::kArea},
    RoleName{"regionkod", Role::kArea},
    RoleName{"länskod", Role::kArea},
    RoleName{"municipality", Role::kArea},
    RoleName{"period", Role::kPeriod},
    RoleName{"year", Role::kPeriod},
    RoleName{"år", Role::kPeriod},
    RoleName{"time_period", Role::kPeriod},
    RoleName{"value", Role::kValue},
    RoleName{"värde", Role::kValue},
    RoleName{"varde", Role::kValue},
    RoleName{"obs_value", Role::kValue},
    RoleName{"ci_low", Role::kCiLow},
    RoleName{"nedre", Role::kCiLow},
    RoleName{"nedre konfidensgräns", Role::kCiLow},
    RoleName{"lower_ci", Role::kCiLow},
    RoleName{"ci_high", Role::kCiHigh},
    RoleName{"övre", Role::kCiHigh},
    RoleName{"övre konfidensgräns", Role::kCiHigh},
    RoleName{"upper_ci", Role::kCiHigh},
    RoleName{"numerator", Role::kNumerator},
    RoleName{"täljare", Role::kNumerator},
    RoleName{"denominator", Role::kDenominator},
    RoleName{"nämnare", Role::kDenominator},
    RoleName{"respondents", Role::kRespondents},
    RoleName{"antal svarande", Role::kRespondents},
    RoleName{"status", Role::kStatus},
    RoleName{"obs_status", Role::kStatus},
    RoleName{"observation status", Role::kStatus},
    RoleName{"observation_status", Role::kStatus},
    RoleName{"sex", Role::kSex},
    RoleName{"kön", Role::kSex},
    RoleName{"gender", Role::kSex},
    RoleName{"units", Role::kUnit},
    RoleName{"unit", Role::kUnit},
    RoleName{"unit_measure", Role::kUnit},
    RoleName{"enhet", Role::kUnit},
    RoleName{"unit multiplier", Role::kUnitMultiplier},
    RoleName{"unit_multiplier", Role::kUnitMultiplier},
    RoleName{"unit_mult", Role::kUnitMultiplier},
};

std::optional<Role> RoleOfName(std::string_view folded) {
  const auto known = std::find_if(kRoleNames.begin(), kRoleNames.end(),
                                  [&](const RoleName& name) { return name.name == folded; });
  if (known == kRoleNames.end()) return std::nullopt;
  return known->role;
}

// The name without a code suffix ("geocode" -> "geo", "age code" -> "age", "kommunkod" ->
// "kommun"), or nullopt when the header names no code column.
std::optional<std::string> CodeStem(std::string_view folded) {
  for (std::string_view suffix : {"code", "kod"}) {
    if (folded.size() > suffix.size() && folded.ends_with(suffix)) {
      std::string_view stem = folded.substr(0, folded.size() - suffix.size());
      while (!stem.empty() && (stem.back() == ' ' || stem.back() == '_' || stem.back() == '-')) {
        stem.remove_suffix(1);
      }
      if (!stem.empty()) return std::string(stem);
    }
  }
  return std::nullopt;
}

// What one header means; false (and a problem) when it cannot mean anything.
bool ReadColumn(std::string_view folded, Column& column) {
  const auto stem = CodeStem(folded);
  column.code = stem.has_value();
  if (auto role = RoleOfName(folded)) {
    column.role = role;
  } else if (auto stem_role = stem ? RoleOfName(*stem) : std::nullopt) {
    column.role = stem_role;  // "SexCode" beside "Sex"
  } else {
    column.role = Role::kBreakdown;
    column.dimension = DimensionName(stem ? *stem : folded);
    if (column.dimension.empty()) return false;
  }
  return true;
}

std::string KeyOf(const Column& column) {
  if (column.role == Role::kBreakdown) return "dimension " + column.dimension;
  return fmt::format("role {}", static_cast<int>(*column.role));
}

}  // namespace

std::string DimensionName(std::string_view folded) {
  std::string out;
  bool gap = false;
  for (std::size_t pos = 0; pos < folded.size(); ++pos) {
    const auto c = static_cast<unsigned char>(folded[pos]);
    char ascii = 0;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      ascii = static_cast<char>(c);
    } else if (c == 0xC3 && pos + 1 < folded.size()) {
      const auto next = static_cast<unsigned char>(folded[pos + 1]);
      ++pos;
      if (next == 0xA5 || next == 0xA4 || next == 0xA0 || next == 0xA1) ascii = 'a';  // å ä à á
      if (next == 0xB6 || next == 0xB8 || next == 0xB3) ascii = 'o';                  // ö ø ó
      if (next == 0xA9 || next == 0xA8) ascii = 'e';                                  // é è
      if (next == 0xBC) ascii = 'u';                                                  // ü
    }
    if (ascii == 0) {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out.push_back('_');
    gap = false;
    out.push_back(ascii);
  }
  return out;
}

void ReadHeader(const csv::Record& record, std::string_view file_name, Header& header,
                std::vector<Problem>& problems) {
  // Problems by column, reported in column order at the end.
  std::vector<std::pair<std::size_t, Problem>> found;
  auto report = [&](std::size_t column_number, std::string message) {
    found.emplace_back(column_number, Problem{csv::Where(file_name, record.line, column_number),
                                              std::move(message)});
  };
  std::map<std::string, std::vector<std::size_t>> by_key;  // role or dimension -> columns
  for (std::size_t idx = 0; idx < record.fields.size(); ++idx) {
    Column column;
    std::vector<Problem> utf8;
    if (csv::CheckUtf8(record.fields[idx], idx + 1, file_name, utf8)) {
      column.header = std::string(csv::Trim(record.fields[idx].value));
      const auto folded = csv::Fold(column.header);
      // A blank header: its cells must be blank.
      if (!folded.empty() && !ReadColumn(folded, column)) {
        report(idx + 1, fmt::format("column \"{}\": a breakdown column needs a name with "
                                    "letters or digits",
                                    column.header));
        column.role.reset();
      }
      if (column.role) by_key[KeyOf(column)].push_back(idx);
    }
    for (auto& problem : utf8) found.emplace_back(idx + 1, std::move(problem));
    header.columns.push_back(std::move(column));
  }
  // Two columns of one meaning: a code and its label ("GeoCode" and "Region"), or a problem.
  for (const auto& [key, indices] : by_key) {
    const auto codes = std::count_if(indices.begin(), indices.end(),
                                     [&](std::size_t idx) { return header.columns[idx].code; });
    if (indices.size() == 2 && codes == 1) {
      auto& label = header.columns[header.columns[indices[0]].code ? indices[1] : indices[0]];
      label.label_of = label.role;
      label.role = Role::kLabel;
      continue;
    }
    for (std::size_t repeat = 1; repeat < indices.size(); ++repeat) {
      auto& column = header.columns[indices[repeat]];
      report(indices[repeat] + 1,
             fmt::format("column \"{}\" means the same as column {} (\"{}\")", column.header,
                         indices[0] + 1, header.columns[indices[0]].header));
      column.role.reset();
    }
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& left, const auto& right) { return left.first < right.first; });
  for (auto& [column_number, problem] : found) problems.push_back(std::move(problem));
  for (const auto& column : header.columns) {
    if (column.role) header.present[static_cast<std::size_t>(*column.role)] = true;
  }
}

}  // namespace halsonav::statsio::stats_csv
