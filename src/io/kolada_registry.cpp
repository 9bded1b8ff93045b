#include "io/kolada.hpp"

// Kolada's registry files: the area list (CSV or the API's JSON), the municipality groups and
// the KPI catalogue (ReadKoladaAreas, ReadKoladaGroups, ReadKoladaCatalogue).

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "io/csv.hpp"
#include "io/json_walker.hpp"
#include "io/problems.hpp"
#include "io/status_words.hpp"

namespace halsonav::statsio {
namespace {

// ---- Registry CSV files ------------------------------------------------------------------------

// A CSV file whose header names its columns; rows are read by column name.
class RegistryCsv {
 public:
  RegistryCsv(std::string_view text, std::string_view file_name,
              std::vector<std::string_view> required)
      : file_name_(csv::ValidUtf8(file_name)) {
    table_ = csv::Parse(text, file_name_, problems_);
    auto& records = table_.records;
    auto header = std::find_if(records.begin(), records.end(),
                               [](const csv::Record& record) { return !record.Blank(); });
    if (header == records.end()) {
      if (problems_.empty()) problems_.push_back({csv::Where(file_name_, 1, 1), "an empty file"});
      return;
    }
    header_line_ = header->line;
    for (std::size_t idx = 0; idx < header->fields.size(); ++idx) {
      if (!csv::CheckUtf8(header->fields[idx], idx + 1, file_name_, problems_)) continue;
      columns_.emplace(csv::Fold(header->fields[idx].value), idx);
    }
    for (const auto name : required) {
      if (columns_.find(std::string(name)) == columns_.end()) {
        problems_.push_back({csv::Where(file_name_, header->line, 1),
                             fmt::format("the header has no column \"{}\"", name)});
      }
    }
    first_row_ = static_cast<std::size_t>(header - records.begin()) + 1;
  }

  std::vector<Problem>& problems() { return problems_; }
  const std::string& file_name() const { return file_name_; }
  std::size_t header_line() const { return header_line_; }

  // Calls on_row(row) for each non-blank row whose cell count matches and whose cells are UTF-8.
  template <typename OnRow>
  void Rows(OnRow&& on_row) {
    if (header_line_ == 0) return;
    const std::size_t width = table_.records[first_row_ - 1].fields.size();
    for (std::size_t idx = first_row_; idx < table_.records.size(); ++idx) {
      const auto& record = table_.records[idx];
      if (record.Blank() || record.broken) continue;
      if (record.fields.size() != width) {
        problems_.push_back(
            {csv::Where(file_name_, record.line, 1),
             fmt::format("the row has {} cells, the header {}", record.fields.size(), width)});
        continue;
      }
      bool valid = true;
      for (std::size_t column = 0; column < record.fields.size(); ++column) {
        valid = csv::CheckUtf8(record.fields[column], column + 1, file_name_, problems_) && valid;
      }
      if (valid) on_row(record);
    }
  }

  // The column number (0-based) of a header name; npos when absent.
  std::size_t Column(std::string_view name) const {
    const auto found = columns_.find(std::string(name));
    return found == columns_.end() ? std::string_view::npos : found->second;
  }

  std::string_view Cell(const csv::Record& record, std::string_view name) const {
    const auto column = Column(name);
    if (column == std::string_view::npos) return {};
    return csv::Trim(record.fields[column].value);
  }

  void Report(const csv::Record& record, std::string_view column_name, std::string message) {
    const auto column = Column(column_name);
    problems_.push_back(
        {csv::Where(file_name_, record.line, column == std::string_view::npos ? 1 : column + 1),
         std::move(message)});
  }

 private:
  std::string file_name_;
  csv::Table table_;
  std::vector<Problem> problems_;
  std::unordered_map<std::string, std::size_t> columns_;
  std::size_t header_line_ = 0;
  std::size_t first_row_ = 0;
};

// An area from its id, title and type (K, L), with the registry's kind and county.
std::optional<Area> MakeArea(std::string_view id, std::string_view title, std::string_view type,
                             std::string& problem) {
  Area area;
  area.code = NormalizeAreaCode(id);
  area.name = std::string(title);
  if (area.code.empty()) {
    problem = "an empty id";
    return std::nullopt;
  }
  if (title.empty()) {
    problem = fmt::format("area {} has no title", area.code);
    return std::nullopt;
  }
  if (type == "K") {
    area.kind = AreaKind::kMunicipality;
    area.county_code = CountyOf(area.code);
    if (area.county_code.empty()) {
      problem = fmt::format(
          "\"{}\" is type K (municipality) but not a four-digit municipality "
          "code such as 2480",
          area.code);
      return std::nullopt;
    }
  } else if (type == "L") {
    if (area.code == "0000") {
      area.kind = AreaKind::kCountry;
    } else if (area.code.size() == 4 && area.code.starts_with("00") &&
               std::all_of(area.code.begin(), area.code.end(),
                           [](char c) { return c >= '0' && c <= '9'; })) {
      area.kind = AreaKind::kRegion;
    } else {
      problem = fmt::format(
          "\"{}\" is type L (region) but not a region code 0001–0025 or Riket "
          "0000",
          area.code);
      return std::nullopt;
    }
  } else {
    problem = fmt::format(
        "unknown area type \"{}\" for {}; Kolada writes K (municipality) or L "
        "(region, and Riket 0000)",
        type, area.code);
    return std::nullopt;
  }
  return area;
}

bool LooksLikeJson(std::string_view text) {
  if (text.substr(0, csv::kBom.size()) == csv::kBom) text.remove_prefix(csv::kBom.size());
  text = csv::Trim(text);
  return !text.empty() && (text.front() == '{' || text.front() == '[');
}

Result<std::vector<Area>> ReadAreasJson(std::string_view text, std::string_view file_name) {
  if (text.substr(0, csv::kBom.size()) == csv::kBom) text.remove_prefix(csv::kBom.size());
  JsonWalker json(text, file_name);
  std::vector<Area> areas;
  std::unordered_map<std::string, std::string> seen;  // code -> pointer
  const auto read_area = [&](od::value& value) {
    od::object object;
    bool ok = true;
    if (!json.Object(value, object, "an area {\"id\", \"title\", \"type\"}", ok)) return ok;
    std::string id;
    std::string title;
    std::string type;
    ok = json.Fields(object, [&](std::string_view key, od::value field) {
      std::string* target = key == "id"      ? &id
                            : key == "title" ? &title
                            : key == "type"  ? &type
                                             : nullptr;
      if (target == nullptr) return true;
      std::string_view text_value;
      bool field_ok = true;
      if (json.String(field, text_value, fmt::format("\"{}\"", key), field_ok)) {
        target->assign(csv::Trim(text_value));
      }
      return field_ok;
    });
    if (!ok) return false;
    std::string problem;
    if (auto area = MakeArea(id, title, type, problem)) {
      auto [found, added] = seen.emplace(area->code, json.path());
      if (!added) {
        json.Report(
            fmt::format("area {} twice: also {}#{}", area->code, json.file_name(), found->second));
      } else {
        areas.push_back(std::move(*area));
      }
    } else {
      json.Report(problem);
    }
    return true;
  };
  if (json.Start()) {
    od::value root;
    bool ok = true;
    od::object object;
    if (auto error = json.doc().get_value().get(root)) {
      json.FatalHere(error);
    } else if (json.Object(root, object, "a Kolada area list {\"values\": [...]}", ok)) {
      bool has_values = false;
      ok = json.Fields(object, [&](std::string_view key, od::value value) {
        if (key != "values") return true;
        has_values = true;
        od::array array;
        bool array_ok = true;
        if (!json.Array(value, array, "\"values\"", array_ok)) return array_ok;
        return json.Elements(array, [&](std::size_t, od::value& area) { return read_area(area); });
      });
      if (ok && !has_values) json.Report("no \"values\": not a Kolada area list");
    }
  }
  json.CheckEnd();
  if (!json.problems().empty()) return ProblemsError(json.problems(), "the Kolada area file");
  return areas;
}

// ---- Catalogue heuristics ----------------------------------------------------------------------

bool StartsWith(std::string_view text, std::string_view prefix) { return text.starts_with(prefix); }
bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// The number right after `at` in "antal/1000 inv", "per 100 000 invånare" (digits with spaces,
// also no-break spaces, between groups); 0 when there is none.
double RateBase(std::string_view text, std::size_t at) {
  double base = 0;
  bool any = false;
  std::size_t pos = at;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c >= '0' && c <= '9') {
      base = base * 10 + (c - '0');
      any = true;
      ++pos;
    } else if (any && c == ' ' && pos + 1 < text.size() && text[pos + 1] >= '0' &&
               text[pos + 1] <= '9') {
      ++pos;
    } else if (any && text.substr(pos, 2) == "\xC2\xA0") {
      pos += 2;
    } else {
      break;
    }
  }
  return any ? base : 0;
}

// The unit and value type of a KPI from its title's last comma-separated part (the part after
// the last ", "), e.g. "Personalkostnader, kr/inv" -> kr/inv. docs/kolada-and-csv.md has the
// rules and the coverage they reach on the real catalogue.
void ApplyTitleUnit(Indicator& indicator) {
  std::string_view title = indicator.title;
  const auto comma = title.rfind(',');
  std::string_view part = comma == std::string_view::npos ? title : title.substr(comma + 1);
  part = csv::Trim(part);
  // A trailing "(-2024)" / "(- 2023)" marks a discontinued series, not a unit.
  if (part.ends_with(")")) {
    const auto open = part.rfind('(');
    if (open != std::string_view::npos) {
      auto inside = part.substr(open + 1, part.size() - open - 2);
      inside = csv::Trim(inside);
      if (inside.starts_with("-") && inside.size() > 1) part = csv::Trim(part.substr(0, open));
    }
  }
  const auto folded = csv::Fold(part);
  std::string_view unit = folded;
  if (comma == std::string_view::npos) {
    // No comma: only a title that ends in "(%)" says anything.
    if (folded.ends_with("(%)")) {
      indicator.value_type = ValueType::kProportion;
      indicator.unit = "%";
    }
    return;
  }
  if (StartsWith(unit, "procentenhet")) {  // a difference in percentage points
    indicator.unit = "procentenheter";
    return;
  }
  if (Contains(unit, "%") || unit == "procent" || StartsWith(unit, "andel")) {
    indicator.value_type = ValueType::kProportion;
    indicator.unit = "%";
    return;
  }
  // A count per N inhabitants (or per N of any population): a rate.
  const auto slash = unit.find('/');
  const auto per_word = unit.find("per ");
  if (StartsWith(unit, "per ") && RateBase(unit, 4) > 0) {
    indicator.value_type = ValueType::kRate;
    indicator.per = RateBase(unit, 4);
    indicator.unit = std::string(part);
    return;
  }
  if (StartsWith(unit, "antal") || StartsWith(unit, "recept")) {
    if (slash != std::string_view::npos || per_word != std::string_view::npos) {
      const auto at = slash != std::string_view::npos ? slash + 1 : per_word + 4;
      const double base = RateBase(unit, at);
      indicator.value_type = ValueType::kRate;
      indicator.per = base > 0 ? base : 1;
      indicator.unit = std::string(part);
      return;
    }
    indicator.value_type = ValueType::kCount;
    indicator.unit = std::string(part);
    return;
  }
  if (StartsWith(unit, "index") || unit == "balanstal") {
    indicator.value_type = ValueType::kIndex;
    indicator.unit = "index";
    return;
  }
  if (StartsWith(unit, "genomsnitt") || StartsWith(unit, "medelvärde")) {
    indicator.value_type = ValueType::kMean;
    indicator.unit = std::string(part);
    return;
  }
  // An amount divided by a population or another amount (kr/inv, kg/inv, kr/elev, kr/kvm…): a
  // ratio of two totals, not a mean of individual values.
  if (slash != std::string_view::npos && slash > 0 && slash + 1 < unit.size()) {
    indicator.value_type = ValueType::kRatio;
    indicator.unit = std::string(part);
    return;
  }
  // Totals in a unit (kr, tkr, kg, MWh, ton…) and everything else: the unit is kept when it is
  // short, the value type stays kOther.
  if (part.size() <= 24 && !Contains(part, "=")) indicator.unit = std::string(part);
}

std::optional<bool> ParseBool(std::string_view text) {
  const auto folded = csv::Fold(text);
  if (folded == "true" || folded == "1" || folded == "ja") return true;
  if (folded == "false" || folded == "0" || folded == "nej" || folded.empty()) return false;
  return std::nullopt;
}

}  // namespace

Result<std::vector<Area>> ReadKoladaAreas(std::string_view text, std::string_view file_name) {
  if (LooksLikeJson(text)) return ReadAreasJson(text, file_name);
  RegistryCsv file(text, file_name, {"id", "title", "type"});
  std::vector<Area> areas;
  std::unordered_map<std::string, std::size_t> seen;  // code -> line
  file.Rows([&](const csv::Record& record) {
    std::string problem;
    auto area = MakeArea(file.Cell(record, "id"), file.Cell(record, "title"),
                         file.Cell(record, "type"), problem);
    if (!area) {
      file.Report(record, "id", problem);
      return;
    }
    auto [found, added] = seen.emplace(area->code, record.line);
    if (!added) {
      file.Report(record, "id",
                  fmt::format("area {} twice: also line {}", area->code, found->second));
      return;
    }
    areas.push_back(std::move(*area));
  });
  if (!file.problems().empty()) return ProblemsError(file.problems(), "the Kolada area file");
  return areas;
}

Result<std::vector<AreaGroup>> ReadKoladaGroups(std::string_view text, std::string_view file_name) {
  RegistryCsv file(text, file_name, {"group_id", "group_title", "member_id"});
  std::vector<AreaGroup> groups;
  struct Seen {
    std::size_t index;
    std::size_t line;  // where the group's title was first read
  };
  std::unordered_map<std::string, Seen> by_code;
  std::unordered_map<std::string, std::size_t> members_seen;  // "group\tmember" -> line
  file.Rows([&](const csv::Record& record) {
    const auto code = file.Cell(record, "group_id");
    const auto title = file.Cell(record, "group_title");
    const auto member = NormalizeAreaCode(file.Cell(record, "member_id"));
    if (code.empty()) {
      file.Report(record, "group_id", "an empty group_id");
      return;
    }
    if (member.empty()) {
      file.Report(record, "member_id", "an empty member_id");
      return;
    }
    auto [found, added] = by_code.emplace(std::string(code), Seen{groups.size(), record.line});
    if (added) {
      AreaGroup group;
      group.code = std::string(code);
      group.title = std::string(title);
      group.source = "kolada";
      groups.push_back(std::move(group));
    }
    AreaGroup& group = groups[found->second.index];
    if (group.title != title) {
      file.Report(record, "group_title",
                  fmt::format("group {} is titled \"{}\" here but \"{}\" on line {}", code, title,
                              group.title, found->second.line));
      return;
    }
    auto [member_found, member_added] =
        members_seen.emplace(fmt::format("{}\t{}", code, member), record.line);
    if (!member_added) {
      file.Report(record, "member_id",
                  fmt::format("{} is listed twice in group {}: also line {}", member, code,
                              member_found->second));
      return;
    }
    group.members.push_back(member);
  });
  if (!file.problems().empty()) return ProblemsError(file.problems(), "the Kolada group file");
  return groups;
}

Result<std::vector<Indicator>> ReadKoladaCatalogue(std::string_view text,
                                                   std::string_view file_name) {
  RegistryCsv file(text, file_name, {"id", "title"});
  std::vector<Indicator> indicators;
  std::unordered_map<std::string, std::size_t> seen;  // id -> line
  file.Rows([&](const csv::Record& record) {
    Indicator indicator;
    indicator.code = std::string(file.Cell(record, "id"));
    indicator.title = std::string(file.Cell(record, "title"));
    if (indicator.code.empty()) {
      file.Report(record, "id", "an empty id");
      return;
    }
    if (indicator.title.empty()) {
      file.Report(record, "title", fmt::format("KPI {} has no title", indicator.code));
      return;
    }
    auto [found, added] = seen.emplace(indicator.code, record.line);
    if (!added) {
      file.Report(record, "id",
                  fmt::format("KPI {} twice: also line {}", indicator.code, found->second));
      return;
    }
    indicator.description = std::string(file.Cell(record, "description"));
    indicator.operating_area = std::string(file.Cell(record, "operating_area"));
    indicator.source = IndicatorSource::kKolada;
    indicator.source_code = indicator.code;
    indicator.direction = Direction::kNone;  // Kolada does not say which way is better
    const auto divided = ParseBool(file.Cell(record, "is_divided_by_gender"));
    if (!divided) {
      file.Report(
          record, "is_divided_by_gender",
          fmt::format("\"{}\" is not TRUE or FALSE", file.Cell(record, "is_divided_by_gender")));
      return;
    }
    if (*divided) indicator.dimensions.emplace_back(kSexDimension);
    ApplyTitleUnit(indicator);
    indicators.push_back(std::move(indicator));
  });
  if (!file.problems().empty()) return ProblemsError(file.problems(), "the Kolada KPI catalogue");
  return indicators;
}

}  // namespace halsonav::statsio
