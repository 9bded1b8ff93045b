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
#include "io/swedish_terms.hpp"

namespace halsonav::plan {
namespace {

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

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// Items of a list cell are separated by '|' or by a line break in the cell (Alt+Enter in Excel,
// as the XLSX export writes lists); unit paths inside "[…]" by ';'.
constexpr std::string_view kListSeparators = "|\n";
constexpr std::string_view kUnitListSeparators = ";";
constexpr std::int64_t kFirstYear = 1900;
constexpr std::int64_t kLastYear = 2100;

bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

// The byte offset of the first byte that does not start a valid UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF are invalid), or npos.
std::size_t FirstInvalidUtf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) {
      ++pos;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    std::uint32_t smallest = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code_point = lead & 0x1Fu;
      smallest = 0x80;
    } else if ((lead & 0xF0u) == 0xE0) {
      length = 3;
      code_point = lead & 0x0Fu;
      smallest = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code_point = lead & 0x07u;
      smallest = 0x10000;
    } else {
      return pos;
    }
    if (pos + length > text.size()) return pos;
    for (std::size_t idx = 1; idx < length; ++idx) {
      const auto next = static_cast<unsigned char>(text[pos + idx]);
      if ((next & 0xC0u) != 0x80) return pos;
      code_point = (code_point << 6) | (next & 0x3Fu);
    }
    if (code_point < smallest || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return pos;
    }
    pos += length;
  }
  return std::string_view::npos;
}

// The text with every invalid UTF-8 byte replaced by U+FFFD, so that it can go into JSON.
std::string ValidUtf8(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const auto bad = FirstInvalidUtf8(text);
    out.append(text.substr(0, bad));
    if (bad == std::string_view::npos) break;
    out.append("\xEF\xBF\xBD");
    text.remove_prefix(bad + 1);
  }
  return out;
}

// Lower case for matching headers and words: ASCII, and the Latin-1 capitals (Å Ä Ö É …),
// which UTF-8 writes as 0xC3 0x80–0x9E (0xC3 0x97 is '×'). Runs of blanks become one space.
std::string Fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_blank = false;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (IsBlank(c)) {
      in_blank = true;
      continue;
    }
    if (in_blank && !out.empty()) out.push_back(' ');
    in_blank = false;
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (static_cast<unsigned char>(c) == 0xC3 && pos + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[pos + 1]);
      out.push_back(c);
      out.push_back(
          static_cast<char>(next >= 0x80 && next <= 0x9E && next != 0x97 ? next + 0x20 : next));
      ++pos;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

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

// One cell as read: its bytes (quotes removed, line breaks inside quotes as "\n") and the line
// where it starts.
struct Field {
  std::string value;
  std::size_t line = 0;
};

struct Record {
  std::size_t line = 0;  // where the record starts
  std::vector<Field> fields;
  bool broken = false;  // a quoting problem was reported; the record is not read further

  bool Blank() const {
    return std::all_of(fields.begin(), fields.end(),
                       [](const Field& field) { return Trim(field.value).empty(); });
  }
};

// The delimiter of the first line that holds more than delimiters and blanks (the header):
// whichever of ';' and ',' occurs more often there outside quotes, ';' on a tie.
char DetectDelimiter(std::string_view text) {
  std::size_t semicolons = 0;
  std::size_t commas = 0;
  bool content = false;
  bool quoted = false;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (quoted) {
      if (c == '"') {
        if (pos + 1 < text.size() && text[pos + 1] == '"') {
          ++pos;
        } else {
          quoted = false;
        }
      }
      continue;
    }
    if (c == '\n' || c == '\r') {
      if (content) break;
      semicolons = commas = 0;
    } else if (c == ';') {
      ++semicolons;
    } else if (c == ',') {
      ++commas;
    } else if (c == '"') {
      quoted = true;
      content = true;
    } else if (!IsBlank(c)) {
      content = true;
    }
  }
  return commas > semicolons ? ',' : ';';
}

class CsvReader {
 public:
  explicit CsvReader(std::string_view file_name) : file_name_(ValidUtf8(file_name)) {}

  Result<std::vector<CsvMeasure>> Read(std::string_view text) {
    if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
    std::vector<CsvMeasure> measures;
    const auto records = Parse(text, DetectDelimiter(text));
    auto record = std::find_if(records.begin(), records.end(),
                               [](const Record& candidate) { return !candidate.Blank(); });
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

  // Splits the text into records (RFC 4180). A quoted field may hold delimiters, doubled quotes
  // and line breaks; blanks before an opening quote are allowed. A quote inside an unquoted field
  // is kept as it is.
  std::vector<Record> Parse(std::string_view text, char delimiter) {
    std::vector<Record> records;
    std::size_t pos = 0;
    std::size_t line = 1;
    const auto at_line_end = [&] {
      return pos >= text.size() || text[pos] == '\n' || text[pos] == '\r';
    };
    const auto skip_line_end = [&] {
      if (pos < text.size() && text[pos] == '\r') ++pos;
      if (pos < text.size() && text[pos] == '\n') ++pos;
      ++line;
    };
    while (pos < text.size()) {
      Record record;
      record.line = line;
      while (true) {
        Field field;
        field.line = line;
        const std::size_t column = record.fields.size() + 1;
        std::size_t start = pos;
        while (start < text.size() && (text[start] == ' ' || text[start] == '\t')) ++start;
        if (start < text.size() && text[start] == '"') {
          pos = start + 1;
          bool closed = false;
          while (pos < text.size()) {
            const char c = text[pos];
            if (c == '"') {
              if (pos + 1 < text.size() && text[pos + 1] == '"') {
                field.value.push_back('"');
                pos += 2;
                continue;
              }
              ++pos;
              closed = true;
              break;
            }
            if (c == '\r' || c == '\n') {
              field.value.push_back('\n');
              skip_line_end();
              continue;
            }
            field.value.push_back(c);
            ++pos;
          }
          if (!closed) {
            Report(field.line, column,
                   "a quote (\") opens a cell here and is never closed: the cell runs to the "
                   "end of the file");
            record.broken = true;
            record.fields.push_back(std::move(field));
            break;
          }
          while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
          if (pos < text.size() && text[pos] != delimiter && !at_line_end()) {
            Report(line, column,
                   "text after the closing quote of a quoted cell (a quote inside a quoted cell "
                   "is written twice: \"\")");
            record.broken = true;
            while (pos < text.size() && text[pos] != delimiter && !at_line_end()) ++pos;
          }
        } else {
          while (pos < text.size() && text[pos] != delimiter && !at_line_end()) {
            field.value.push_back(text[pos]);
            ++pos;
          }
        }
        record.fields.push_back(std::move(field));
        if (pos < text.size() && text[pos] == delimiter) {
          ++pos;
          continue;
        }
        if (pos < text.size()) skip_line_end();
        break;
      }
      records.push_back(std::move(record));
    }
    return records;
  }

  // Reports invalid UTF-8 in a field, naming the line where the bad byte is; true if valid.
  bool CheckUtf8(const Field& field, std::size_t column) {
    const auto bad = FirstInvalidUtf8(field.value);
    if (bad == std::string_view::npos) return true;
    const auto line =
        field.line +
        static_cast<std::size_t>(std::count(
            field.value.begin(), field.value.begin() + static_cast<std::ptrdiff_t>(bad), '\n'));
    Report(line, column,
           fmt::format("invalid UTF-8 (byte 0x{:02X}); save the file as \"CSV UTF-8\"",
                       static_cast<unsigned char>(field.value[bad])));
    return false;
  }

  void ReadHeader(const Record& record) {
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

  std::optional<CsvMeasure> ReadRow(const Record& record) {
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
