#include "io/stats_csv.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "io/csv.hpp"
#include "io/problems.hpp"
#include "io/status_words.hpp"

namespace halsonav::statsio {
namespace {

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
  kBreakdown,  // any other column: a breakdown dimension named by its header
};

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
    RoleName{"sex", Role::kSex},
    RoleName{"kön", Role::kSex},
    RoleName{"gender", Role::kSex},
};

// A breakdown dimension's name from its header: lower-case ASCII, å/ä -> a, ö -> o, é -> e, and
// any other run of characters but letters and digits -> '_' ("Utbildningsnivå" -> utbildningsniva,
// "Age group" -> age_group). Empty when nothing is left.
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

struct Column {
  std::optional<Role> role;  // nullopt: the header was a problem, or the cell is blank
  std::string header;        // as written, for messages
  std::string dimension;     // for kBreakdown
};

class StatsCsvReader {
 public:
  StatsCsvReader(std::string_view file_name, const StatsCsvOptions& options)
      : file_name_(csv::ValidUtf8(file_name)), options_(options) {}

  Result<StatsBatch> Read(std::string_view text) {
    batch_.file = file_name_;
    batch_.origin_kind = OriginKind::kLine;
    batch_.breakdowns.emplace_back();
    breakdown_index_.emplace("", 0);
    const auto table = csv::Parse(text, file_name_, problems_);
    delimiter_ = table.delimiter;
    auto record = std::find_if(table.records.begin(), table.records.end(),
                               [](const csv::Record& candidate) { return !candidate.Blank(); });
    if (record == table.records.end()) {
      if (problems_.empty()) Report(1, 1, "the file is empty: it needs a header and rows");
      return Finish();
    }
    const bool header_ok = !record->broken && ReadHeader(*record);
    const auto header_line = record->line;
    bool any_row = false;
    for (++record; record != table.records.end(); ++record) {
      if (record->Blank()) continue;
      any_row = true;
      if (record->broken || !header_ok) continue;
      ReadRow(*record);
    }
    if (!any_row) Report(header_line, 1, "the file has a header but no rows");
    return Finish();
  }

 private:
  void Report(std::size_t line, std::size_t column, std::string message) {
    problems_.push_back({csv::Where(file_name_, line, column), std::move(message)});
  }

  Result<StatsBatch> Finish() {
    if (!problems_.empty()) return ProblemsError(problems_, "the statistics CSV file");
    return std::move(batch_);
  }

  bool ReadHeader(const csv::Record& record) {
    const auto problems_before = problems_.size();
    std::map<std::string, std::size_t> seen;  // role or dimension -> column number
    for (std::size_t idx = 0; idx < record.fields.size(); ++idx) {
      const std::size_t column_number = idx + 1;
      Column column;
      if (!csv::CheckUtf8(record.fields[idx], column_number, file_name_, problems_)) {
        columns_.push_back(std::move(column));
        continue;
      }
      column.header = std::string(csv::Trim(record.fields[idx].value));
      const auto folded = csv::Fold(column.header);
      if (folded.empty()) {
        columns_.push_back(std::move(column));  // a blank header: its cells must be blank
        continue;
      }
      const auto known = std::find_if(kRoleNames.begin(), kRoleNames.end(),
                                      [&](const RoleName& name) { return name.name == folded; });
      std::string key;
      if (known != kRoleNames.end()) {
        column.role = known->role;
        key = fmt::format("role {}", static_cast<int>(known->role));
      } else {
        column.role = Role::kBreakdown;
        column.dimension = DimensionName(folded);
        if (column.dimension.empty()) {
          Report(record.line, column_number,
                 fmt::format("column \"{}\": a breakdown column needs a name with letters or "
                             "digits",
                             column.header));
          column.role.reset();
          columns_.push_back(std::move(column));
          continue;
        }
        key = "dimension " + column.dimension;
      }
      auto [found, added] = seen.emplace(key, column_number);
      if (!added) {
        Report(record.line, column_number,
               fmt::format("column \"{}\" means the same as column {} (\"{}\")", column.header,
                           found->second, columns_[found->second - 1].header));
        column.role.reset();
      }
      if (column.role) roles_present_[static_cast<std::size_t>(*column.role)] = true;
      columns_.push_back(std::move(column));
    }
    if (!Has(Role::kPeriod)) {
      Report(record.line, 1,
             "the header has no period column (period, year, år; docs/kolada-and-csv.md)");
    }
    if (!Has(Role::kValue)) {
      Report(record.line, 1, "the header has no value column (value, värde)");
    }
    if (!Has(Role::kIndicator) && options_.indicator.empty()) {
      Report(record.line, 1,
             "the file has no indicator column and no indicator was given for it (--indicator)");
    }
    if (!Has(Role::kArea)) {
      default_area_ = NormalizeAreaCode(options_.area);
      if (default_area_.empty()) {
        Report(record.line, 1, "the file has no area column and no area was given for it");
      }
    }
    return problems_.size() == problems_before;
  }

  bool Has(Role role) const { return roles_present_[static_cast<std::size_t>(role)]; }

  // A number cell: decimal point, or decimal comma in a ';' file; blank and ".." are absent.
  // Thousands separators, NaN, infinities and huge numbers are problems (nullopt).
  std::optional<double> Number(std::string_view cell, std::size_t line, std::size_t column,
                               const Column& header) {
    std::string why;
    auto number = csv::Number(cell, delimiter_, why);
    if (!number)
      Report(line, column, fmt::format("column \"{}\": \"{}\" {}", header.header, cell, why));
    return number;
  }

  std::optional<std::uint8_t> Status(std::string_view cell, std::size_t line, std::size_t column,
                                     const Column& header) {
    std::uint8_t flags = 0;
    bool ok = true;
    std::size_t start = 0;
    while (start <= cell.size()) {
      auto end = cell.find_first_of("|,", start);
      if (end == std::string_view::npos) end = cell.size();
      const auto word = csv::Fold(cell.substr(start, end - start));
      if (auto flag = StatusWordFlag(word)) {
        flags |= *flag;
      } else {
        Report(line, column,
               fmt::format("column \"{}\": unknown status \"{}\"; the statuses are missing/saknas, "
                           "suppressed/sekretess/prickad, provisional/preliminär and "
                           "break/tidsseriebrott",
                           header.header, csv::Trim(cell.substr(start, end - start))));
        ok = false;
      }
      start = end + 1;
    }
    if (!ok) return std::nullopt;
    return flags;
  }

  std::uint32_t InternIndicator(std::string_view code, std::size_t line, std::size_t column) {
    auto found = indicator_index_.find(std::string(code));
    if (found != indicator_index_.end()) return found->second;
    const auto index = static_cast<std::uint32_t>(batch_.indicators.size());
    IndicatorRef ref;
    ref.definition.code = std::string(code);
    ref.definition.source = IndicatorSource::kOwn;
    ref.where = csv::Where(file_name_, line, column);
    batch_.indicators.push_back(std::move(ref));
    indicator_index_.emplace(std::string(code), index);
    return index;
  }

  std::uint32_t InternArea(const std::string& code, std::size_t line, std::size_t column) {
    auto found = area_index_.find(code);
    if (found != area_index_.end()) return found->second;
    const auto index = static_cast<std::uint32_t>(batch_.areas.size());
    batch_.areas.push_back({code, "", csv::Where(file_name_, line, column)});
    area_index_.emplace(code, index);
    return index;
  }

  std::uint32_t InternBreakdown(const Breakdown& breakdown) {
    const auto key = BreakdownKey(breakdown);
    auto found = breakdown_index_.find(key);
    if (found != breakdown_index_.end()) return found->second;
    const auto index = static_cast<std::uint32_t>(batch_.breakdowns.size());
    batch_.breakdowns.push_back(breakdown);
    breakdown_index_.emplace(key, index);
    return index;
  }

  void ReadRow(const csv::Record& record) {
    const std::size_t line = record.line;
    if (record.fields.size() != columns_.size()) {
      Report(line, 1,
             fmt::format("the row has {} cell{}, the header {}{}", record.fields.size(),
                         record.fields.size() == 1 ? "" : "s", columns_.size(),
                         delimiter_ == ',' ? " (a decimal comma in a ',' file splits a number: "
                                             "use ';' between cells)"
                                           : ""));
      return;
    }
    const auto problems_before = problems_.size();
    ObservationDraft draft;
    draft.origin = line;
    std::optional<std::uint32_t> indicator;
    std::optional<std::uint32_t> area;
    bool period_ok = false;
    Breakdown breakdown;
    bool value_present = false;
    for (std::size_t idx = 0; idx < record.fields.size(); ++idx) {
      const std::size_t column_number = idx + 1;
      const Column& column = columns_[idx];
      if (!csv::CheckUtf8(record.fields[idx], column_number, file_name_, problems_)) continue;
      const auto cell = csv::Trim(record.fields[idx].value);
      if (!column.role) {
        if (column.header.empty() && !cell.empty()) {
          Report(line, column_number, "a value in a column that has no header");
        }
        continue;
      }
      switch (*column.role) {
        case Role::kIndicator:
          if (cell.empty()) {
            if (options_.indicator.empty()) {
              Report(line, column_number, fmt::format("column \"{}\": empty", column.header));
            } else {
              indicator = InternIndicator(options_.indicator, line, column_number);
            }
          } else {
            indicator = InternIndicator(cell, line, column_number);
          }
          break;
        case Role::kArea: {
          const auto code = NormalizeAreaCode(cell);
          if (code.empty()) {
            Report(line, column_number, fmt::format("column \"{}\": empty", column.header));
          } else {
            area = InternArea(code, line, column_number);
          }
          break;
        }
        case Role::kPeriod:
          if (auto period = ParsePeriod(cell)) {
            draft.period = PeriodKey(*period);
            period_ok = true;
          } else {
            Report(line, column_number,
                   fmt::format("column \"{}\": \"{}\" is not a period (2022, 2022Q1, 2026M01, "
                               "2021-2024)",
                               column.header, cell));
          }
          break;
        case Role::kValue:
          if (auto number = Number(cell, line, column_number, column)) {
            draft.value = *number;
            value_present = Present(*number);
          }
          break;
        case Role::kCiLow:
          if (auto number = Number(cell, line, column_number, column)) draft.ci_low = *number;
          break;
        case Role::kCiHigh:
          if (auto number = Number(cell, line, column_number, column)) draft.ci_high = *number;
          break;
        case Role::kNumerator:
          if (auto number = Number(cell, line, column_number, column)) draft.numerator = *number;
          break;
        case Role::kDenominator:
          if (auto number = Number(cell, line, column_number, column)) draft.denominator = *number;
          break;
        case Role::kRespondents:
          if (auto number = Number(cell, line, column_number, column)) draft.respondents = *number;
          break;
        case Role::kStatus:
          if (auto flags = Status(cell, line, column_number, column)) draft.status |= *flags;
          break;
        case Role::kSex: {
          if (cell.empty()) break;
          const auto sex = NormalizeSex(cell);
          if (!sex) {
            Report(line, column_number,
                   fmt::format("column \"{}\": unknown sex \"{}\" (women/kvinnor/K/2, men/män/M/1, "
                               "or total/totalt or blank)",
                               column.header, cell));
          } else if (*sex != "total") {
            breakdown.emplace_back(std::string(kSexDimension), std::string(*sex));
          }
          break;
        }
        case Role::kBreakdown: {
          const auto folded = csv::Fold(cell);
          if (folded.empty() || folded == "total" || folded == "totalt") break;
          breakdown.emplace_back(column.dimension, std::string(cell));
          break;
        }
      }
    }
    if (!indicator && !Has(Role::kIndicator) && !options_.indicator.empty()) {
      indicator = InternIndicator(options_.indicator, line, 1);
    }
    if (!area && !Has(Role::kArea) && !default_area_.empty()) {
      area = InternArea(default_area_, line, 1);
    }
    if (!value_present) {
      if ((draft.status & kObservationMissing) == 0 && problems_.size() == problems_before) {
        draft.status |= kObservationMissing;
      }
    } else if ((draft.status & kObservationMissing) != 0) {
      Report(line, 1, "a value with status missing: leave the value blank or drop the status");
    }
    if (problems_.size() != problems_before || !indicator || !area || !period_ok) return;
    NormalizeBreakdown(breakdown);  // dimensions are unique: the header refuses repeats
    draft.indicator = *indicator;
    draft.area = *area;
    draft.breakdown = InternBreakdown(breakdown);
    const auto key = std::tuple(draft.indicator, draft.area, draft.period, draft.breakdown);
    auto [found, added] = seen_.emplace(key, line);
    if (!added) {
      const auto& where_breakdown = batch_.breakdowns[draft.breakdown];
      Report(line, 1,
             fmt::format("the same observation as line {} ({} × {} × {}{})", found->second,
                         batch_.indicators[draft.indicator].definition.code,
                         batch_.areas[draft.area].code, PeriodCode(*PeriodFromKey(draft.period)),
                         where_breakdown.empty() ? "" : " × " + BreakdownKey(where_breakdown)));
      return;
    }
    batch_.observations.push_back(draft);
  }

  std::string file_name_;
  const StatsCsvOptions& options_;
  char delimiter_ = ';';
  std::vector<Column> columns_;
  std::array<bool, static_cast<std::size_t>(Role::kBreakdown) + 1> roles_present_{};
  std::string default_area_;
  StatsBatch batch_;
  std::vector<Problem> problems_;
  std::unordered_map<std::string, std::uint32_t> indicator_index_;
  std::unordered_map<std::string, std::uint32_t> area_index_;
  std::unordered_map<std::string, std::uint32_t> breakdown_index_;
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::int64_t, std::uint32_t>, std::size_t>
      seen_;
};

}  // namespace

Result<StatsBatch> ReadStatsCsv(std::string_view text, std::string_view file_name,
                                const StatsCsvOptions& options) {
  return StatsCsvReader(file_name, options).Read(text);
}

}  // namespace halsonav::statsio
