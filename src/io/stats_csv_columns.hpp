#pragma once

// The columns of a tidy statistics CSV, as its header names them (stats_csv_columns.cpp): what
// each column means, which code column a label column stands beside ("GeoCode" beside a place
// name), and the problems of the header. Internal to the io layer; the rules are in
// docs/kolada-and-csv.md.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/csv.hpp"
#include "io/problems.hpp"

namespace halsonav::statsio::stats_csv {

enum class Role {
  kIndicator,
  kArea,
  kPeriod,
  kValue,
  kCiLow,
  kCiHigh,
  kNumerator,
  kDenominator,
  kRespondents,
  kStatus,
  kSex,
  kUnit,            // the unit of the value ("Units", Open SDG): one indicator per unit
  kUnitMultiplier,  // the value is in 10^N units ("Unit multiplier", SDMX UNIT_MULT)
  kLabel,           // the label beside a code column of the same dimension (see Column)
  kBreakdown,       // any other column: a breakdown dimension named by its header
};
inline constexpr std::size_t kRoles = static_cast<std::size_t>(Role::kBreakdown) + 1;

struct Column {
  std::optional<Role> role;  // nullopt: the header was a problem, or the cell is blank
  std::string header;        // as written, for messages
  std::string dimension;     // kBreakdown: the dimension's name
  bool code = false;         // the header names a code column ("GeoCode", "Kommunkod", "AgeCode")
  // kLabel: the role (kArea, kSex, kBreakdown…) of the code column it stands beside; for kArea
  // its cells are the areas' names.
  std::optional<Role> label_of;
};

// What the header says.
struct Header {
  std::vector<Column> columns;
  std::array<bool, kRoles> present{};  // by Role

  bool Has(Role role) const { return present[static_cast<std::size_t>(role)]; }
};

// Reads the header row into `header`; every problem (unreadable headers, two columns meaning
// the same that are not a code and its label) goes to `problems`. The required columns are the
// reader's to check.
void ReadHeader(const csv::Record& record, std::string_view file_name, Header& header,
                std::vector<Problem>& problems);

// A breakdown dimension's name from a folded header: lower-case ASCII, å/ä -> a, ö -> o, é -> e,
// and any other run of characters but letters and digits -> '_' ("Utbildningsnivå" ->
// utbildningsniva, "Age group" -> age_group). Empty when nothing is left.
std::string DimensionName(std::string_view folded);

}  // namespace halsonav::statsio::stats_csv
