#include "io/measure_csv.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/enums.hpp"
#include "io/csv.hpp"
#include "io/swedish_terms.hpp"

namespace halsonav::plan {
namespace {

using csv::Fold;
using csv::Trim;

enum class Column {
  kNodeKind,
  kNodeCode,
  kCode,
  kTargetGroup,
  kExpectedResult,
  kExpectedResultYear,
  kText,
  kStatus,
  kResponsible,
  kPartners,
  kTags,
  kClassifications,
  kSuggestedClassifications,
};

// Each column's name and its Swedish alias (docs/measure-csv.md), both as matched: lower case.
struct ColumnName {
  Column column;
  std::string_view name;
  std::string_view swedish;
  bool required;
};
constexpr std::array<ColumnName, 13> kColumns{{
    {Column::kNodeKind, "node_kind", "nodtyp", false},
    {Column::kNodeCode, "node_code", "nod", true},
    {Column::kCode, "code", "nr", false},
    {Column::kTargetGroup, "target_group", "målgrupp", false},
    {Column::kExpectedResult, "expected_result", "förväntat resultat", false},
    {Column::kExpectedResultYear, "expected_result_year", "år", false},
    {Column::kText, "text", "åtgärd", true},
    {Column::kStatus, "status", "status", false},
    {Column::kResponsible, "responsible", "ansvarig", false},
    {Column::kPartners, "partners", "samverkanspartner", false},
    {Column::kTags, "tags", "taggar", false},
    {Column::kClassifications, "classifications", "klassificering", false},
    {Column::kSuggestedClassifications, "suggested_classifications", "föreslagen klassificering",
     false},
}};

// Items of a list cell are separated by '|' or by a line break in the cell (Alt+Enter in Excel,
// as the XLSX export writes lists); unit paths inside "[…]" by ';'.
constexpr std::string_view kListSeparators = "|\n";
constexpr std::string_view kUnitListSeparators = ";";
constexpr std::int64_t kFirstYear = 1900;
constexpr std::int64_t kLastYear = 2100;

std::vector<std::string_view> Split(std::string_view text, std::string_view separators) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto at = text.find_first_of(separators);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + 1);
  }
  return parts;
}

// The non-empty trimmed items of a list cell.
std::vector<std::string_view> ListItems(std::string_view cell, std::string_view separators) {
  std::vector<std::string_view> items;
  for (const auto part : Split(cell, separators)) {
    const auto item = Trim(part);
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

std::optional<MeasureStatus> ParseStatus(std::string_view text) {
  const auto folded = Fold(text);
  if (folded.empty()) return MeasureStatus::kNotStated;
  if (const auto api = ParseEnum<MeasureStatus>(folded)) return api;
  for (const auto& [status, word] : kMeasureStatusSv) {
    if (word == folded) return status;
  }
  return std::nullopt;
}

// "deltagare" is the participant's word in a cell; the export writes "i samverkan".
constexpr std::string_view kParticipantSv = "deltagare";

std::optional<PartRole> ParseRole(std::string_view text) {
  const auto folded = Fold(text);
  if (const auto api = ParseEnum<PartRole>(folded)) return api;
  if (folded == kParticipantSv) return PartRole::kParticipant;
  for (const auto& [role, word] : kPartRoleSv) {
    if (word == folded) return role;
  }
  return std::nullopt;
}

template <typename E, std::size_t N>
std::string Vocabulary(const std::array<std::pair<E, std::string_view>, N>& swedish,
                       std::string_view extra = {}) {
  std::vector<std::string_view> api;
  std::vector<std::string_view> words;
  for (const auto& [value, name] : EnumNames<E>::kValues) api.push_back(name);
  for (const auto& [value, word] : swedish) words.push_back(word);
  if (!extra.empty()) words.push_back(extra);
  return fmt::format("{} or {}", fmt::join(api, ", "), fmt::join(words, ", "));
}

class CsvReader {
 public:
  explicit CsvReader(std::string_view file_name) : file_name_(csv::ValidUtf8(file_name)) {}

  Result<std::vector<CsvMeasure>> Read(std::string_view text) {
    std::vector<CsvMeasure> measures;
    const auto records = csv::Parse(text, file_name_, problems_).records;
    auto record = std::find_if(records.begin(), records.end(),
                               [](const csv::Record& candidate) { return !candidate.Blank(); });
    if (record == records.end()) {
      if (problems_.empty()) {
        Report(1, 1, "the file is empty: it needs a header row and a row for each measure");
      }
      return Finish(std::move(measures));
    }
    if (!record->broken) ReadHeader(*record);
    const auto header_line = record->line;
    bool any_row = false;
    for (++record; record != records.end(); ++record) {
      if (record->Blank()) continue;
      any_row = true;
      if (record->broken || header_.empty()) continue;
      if (auto measure = ReadRow(*record)) measures.push_back(std::move(*measure));
    }
    if (!any_row) Report(header_line, 1, "the file has a header but no rows of measures");
    return Finish(std::move(measures));
  }

 private:
  struct HeaderColumn {
    std::optional<Column> column;
    std::string label;     // for messages: "\"nod\" (node_code)"
    bool ignored = false;  // its header was already reported as a problem
  };

  void Report(std::size_t line, std::size_t column, std::string message) {
    problems_.push_back({fmt::format("{}:{}:{}", file_name_, line, column), std::move(message)});
  }

  Result<std::vector<CsvMeasure>> Finish(std::vector<CsvMeasure> measures) {
    if (!problems_.empty()) return tl::unexpected<Error>(ProblemsError(problems_, "the CSV file"));
    return measures;
  }

  // Reports invalid UTF-8 in a field, naming the line where the bad byte is; true if valid.
  bool CheckUtf8(const csv::Field& field, std::size_t column) {
    return csv::CheckUtf8(field, column, file_name_, problems_);
  }

  void ReadHeader(const csv::Record& record) {
    std::array<std::size_t, kColumns.size()> seen_at{};  // column number, 0: not seen
    for (std::size_t idx = 0; idx < record.fields.size(); ++idx) {
      const std::size_t column = idx + 1;
      HeaderColumn header;
      if (!CheckUtf8(record.fields[idx], column)) {
        header.ignored = true;
        header_.push_back(std::move(header));
        continue;
      }
      const auto written = Trim(record.fields[idx].value);
      if (written.empty()) {
        header_.push_back(std::move(header));
        continue;
      }
      const auto folded = Fold(written);
      const auto known =
          std::find_if(kColumns.begin(), kColumns.end(), [&](const ColumnName& candidate) {
            return candidate.name == folded || candidate.swedish == folded;
          });
      if (known == kColumns.end()) {
        std::vector<std::string_view> names;
        for (const auto& candidate : kColumns) names.push_back(candidate.name);
        Report(record.line, column,
               fmt::format("unknown column \"{}\"; the columns are {} (or their Swedish names, "
                           "docs/measure-csv.md)",
                           written, fmt::join(names, ", ")));
        header.ignored = true;
        header_.push_back(std::move(header));
        continue;
      }
      const auto known_idx = static_cast<std::size_t>(known - kColumns.begin());
      header.label = folded == known->name ? fmt::format("\"{}\"", written)
                                           : fmt::format("\"{}\" ({})", written, known->name);
      if (seen_at[known_idx] != 0) {
        Report(record.line, column,
               fmt::format("column {} appears twice: also column {}", header.label,
                           seen_at[known_idx]));
        header.ignored = true;
      } else {
        seen_at[known_idx] = column;
        header.column = known->column;
      }
      header_.push_back(std::move(header));
    }
    for (std::size_t idx = 0; idx < kColumns.size(); ++idx) {
      if (kColumns[idx].required && seen_at[idx] == 0) {
        Report(record.line, 1,
               fmt::format("the header has no column \"{}\" (in Swedish \"{}\"), which is required",
                           kColumns[idx].name, kColumns[idx].swedish));
      }
    }
  }

  // An actor, optionally followed by unit paths in brackets: "Region X [A / B; C]".
  std::optional<ActorUnits> ParseActorUnits(std::string_view item, std::size_t line,
                                            std::size_t column, const std::string& label) {
    ActorUnits out;
    const auto open = item.find('[');
    if (open == std::string_view::npos) {
      if (item.find(']') != std::string_view::npos) {
        Report(line, column, fmt::format("column {}: \"]\" without \"[\" in \"{}\"", label, item));
        return std::nullopt;
      }
      out.actor = std::string(item);
      return out;
    }
    const auto close = item.find(']', open);
    if (close == std::string_view::npos) {
      Report(line, column,
             fmt::format("column {}: unclosed \"[\" in \"{}\" (units are written "
                         "\"Actor [unit path; unit path]\")",
                         label, item));
      return std::nullopt;
    }
    if (item.find('[', open + 1) < close) {
      Report(line, column, fmt::format("column {}: \"[\" inside \"[…]\" in \"{}\"", label, item));
      return std::nullopt;
    }
    if (!Trim(item.substr(close + 1)).empty()) {
      Report(line, column, fmt::format("column {}: text after \"]\" in \"{}\"", label, item));
      return std::nullopt;
    }
    out.actor = std::string(Trim(item.substr(0, open)));
    if (out.actor.empty()) {
      Report(line, column, fmt::format("column {}: units without an actor in \"{}\"", label, item));
      return std::nullopt;
    }
    for (const auto unit :
         ListItems(item.substr(open + 1, close - open - 1), kUnitListSeparators)) {
      out.units.emplace_back(unit);
    }
    return out;
  }

  std::optional<PartnerSpec> ParsePartner(std::string_view item, std::size_t line,
                                          std::size_t column, const std::string& label) {
    PartnerSpec partner;
    // A colon before any bracket ends the role.
    const auto colon = item.find(':');
    if (colon != std::string_view::npos && colon < item.find('[')) {
      const auto role_text = Trim(item.substr(0, colon));
      const auto role = ParseRole(role_text);
      if (!role) {
        Report(line, column,
               fmt::format("column {}: unknown role \"{}\" in \"{}\"; the roles are {}", label,
                           role_text, item, Vocabulary(kPartRoleSv, kParticipantSv)));
        return std::nullopt;
      }
      partner.role = *role;
      item = Trim(item.substr(colon + 1));
      if (item.empty()) {
        Report(line, column, fmt::format("column {}: a role without an actor", label));
        return std::nullopt;
      }
    }
    auto actor = ParseActorUnits(item, line, column, label);
    if (!actor) return std::nullopt;
    partner.actor = std::move(actor->actor);
    partner.units = std::move(actor->units);
    return partner;
  }

  std::optional<CsvMeasure> ReadRow(const csv::Record& record) {
    const std::size_t line = record.line;
    if (record.fields.size() != header_.size()) {
      Report(line, 1,
             fmt::format("the row has {} column{}, the header has {}", record.fields.size(),
                         record.fields.size() == 1 ? "" : "s", header_.size()));
      return std::nullopt;
    }
    CsvMeasure out;
    out.line = line;
    MeasureSpec& measure = out.measure;
    const std::size_t problems_before = problems_.size();
    for (std::size_t idx = 0; idx < record.fields.size(); ++idx) {
      const std::size_t column = idx + 1;
      const HeaderColumn& header = header_[idx];
      if (header.ignored || !CheckUtf8(record.fields[idx], column)) continue;
      const auto value = Trim(record.fields[idx].value);
      if (!header.column) {
        if (!value.empty()) {
          Report(line, column, "a value in a column that has no header");
        }
        continue;
      }
      switch (*header.column) {
        case Column::kNodeKind:
          out.node_kind = std::string(value);
          break;
        case Column::kNodeCode:
          if (value.empty()) {
            Report(line, column, fmt::format("column {}: a value is required", header.label));
          }
          out.node_code = std::string(value);
          break;
        case Column::kCode:
          measure.code = std::string(value);
          break;
        case Column::kTargetGroup:
          measure.target_group = std::string(value);
          break;
        case Column::kExpectedResult:
          measure.expected_result = std::string(value);
          break;
        case Column::kExpectedResultYear: {
          if (value.empty()) break;
          std::int64_t year = 0;
          const auto [end, error] =
              std::from_chars(value.data(), value.data() + value.size(), year);
          const bool digits_only =
              std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
          if (!digits_only || error != std::errc() || end != value.data() + value.size() ||
              year < kFirstYear || year > kLastYear) {
            Report(line, column,
                   fmt::format("column {}: \"{}\" is not a year from {} to {}", header.label, value,
                               kFirstYear, kLastYear));
          } else {
            measure.expected_result_year = year;
          }
          break;
        }
        case Column::kText:
          if (value.empty()) {
            Report(line, column, fmt::format("column {}: a value is required", header.label));
          }
          measure.text = std::string(value);
          break;
        case Column::kStatus:
          if (const auto status = ParseStatus(value)) {
            measure.status = *status;
          } else {
            Report(line, column,
                   fmt::format("column {}: unknown status \"{}\"; the statuses are {} (empty: "
                               "not_stated)",
                               header.label, value, Vocabulary(kMeasureStatusSv)));
          }
          break;
        case Column::kResponsible:
          for (const auto item : ListItems(value, kListSeparators)) {
            if (auto actor = ParseActorUnits(item, line, column, header.label)) {
              measure.responsible.push_back(std::move(*actor));
            }
          }
          break;
        case Column::kPartners:
          for (const auto item : ListItems(value, kListSeparators)) {
            if (auto partner = ParsePartner(item, line, column, header.label)) {
              measure.partners.push_back(std::move(*partner));
            }
          }
          break;
        case Column::kTags:
          for (const auto item : ListItems(value, kListSeparators)) measure.tags.emplace_back(item);
          break;
        case Column::kClassifications:
          for (const auto item : ListItems(value, kListSeparators)) {
            measure.classifications.emplace_back(item);
          }
          break;
        case Column::kSuggestedClassifications:
          for (const auto item : ListItems(value, kListSeparators)) {
            measure.suggested_classifications.emplace_back(item);
          }
          break;
      }
    }
    if (problems_.size() != problems_before) return std::nullopt;
    return out;
  }

  std::string file_name_;
  std::vector<HeaderColumn> header_;
  std::vector<Problem> problems_;
};

}  // namespace

Result<std::vector<CsvMeasure>> ReadMeasureCsv(std::string_view text, std::string_view file_name) {
  return CsvReader(file_name).Read(text);
}

}  // namespace halsonav::plan
