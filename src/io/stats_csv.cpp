#include "io/stats_csv.hpp"

// The reader: the header (stats_csv_columns.cpp) says what each column means; each row becomes
// one observation. Rules and examples: docs/kolada-and-csv.md.

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
#include "io/dimension_roles.hpp"
#include "io/problems.hpp"
#include "io/stats_csv_columns.hpp"
#include "io/status_words.hpp"

namespace halsonav::statsio {
namespace {

using namespace stats_csv;  // NOLINT(google-build-using-namespace): the reader's own parts

// The exponent a unit multiplier cell gives: a whole number from -15 to 15, or a word (units,
// thousands, millions, billions; Swedish too). nullopt for anything else.
std::optional<int> UnitMultiplier(std::string_view folded) {
  static constexpr std::pair<std::string_view, int> kWords[] = {
      {"units", 0},     {"ones", 0},  {"tens", 1},      {"hundreds", 2}, {"thousands", 3},
      {"tusental", 3},  {"tusen", 3}, {"millions", 6},  {"miljoner", 6}, {"billions", 9},
      {"miljarder", 9}, {"ental", 0}, {"hundratal", 2}, {"tiotal", 1},
  };
  for (const auto& [word, exponent] : kWords) {
    if (word == folded) return exponent;
  }
  int exponent = 0;
  const auto* end = folded.data() + folded.size();
  auto [stop, error] = std::from_chars(folded.data(), end, exponent);
  if (folded.empty() || error != std::errc{} || stop != end || exponent < -15 || exponent > 15) {
    return std::nullopt;
  }
  return exponent;
}

// `value` × 10^exponent as the decimal text it was read from would give it: the product is
// rounded to 15 significant digits (what a cell's decimal number holds exactly), so that 130.2
// thousands is 130200, not 130199.99999999999.
double ScaleDecimal(double value, int exponent) {
  const double scaled =
      exponent >= 0 ? value * std::pow(10.0, exponent) : value / std::pow(10.0, -exponent);
  double rounded = scaled;
  const auto text = fmt::format("{:.15g}", scaled);
  std::from_chars(text.data(), text.data() + text.size(), rounded);
  return rounded;
}

// What one row says, cell by cell.
struct Row {
  ObservationDraft draft;
  std::optional<std::uint32_t> indicator;  // an indicator column's code, interned at the end
  std::string indicator_code;
  std::size_t indicator_column = 1;
  std::optional<std::uint32_t> area;
  std::string area_label;  // from a label column beside the area's code
  std::string unit;
  int multiplier = 0;
  bool period_ok = false;
  bool value_present = false;
  Breakdown breakdown;
};

// An SDMX status the store has no flag for, seen in the file: kept as a note.
struct NoteSeen {
  std::string place;    // its first cell
  std::string written;  // as the file first writes it
  std::size_t rows = 0;
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
    const bool header_ok = !record->broken && ReadHeaderRow(*record);
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
    SplitUnits();
    for (auto& [code, note] : notes_) {
      auto status = SdmxStatusOf(csv::Fold(note.written));
      batch_.notes.push_back(
          {note.place, fmt::format("status \"{}\" (SDMX {}: {}) on {} row{}: the store has no such "
                                   "status; the values are imported as they are",
                                   note.written, code, status ? status->name : "", note.rows,
                                   note.rows == 1 ? "" : "s")});
    }
    return std::move(batch_);
  }

  bool ReadHeaderRow(const csv::Record& record) {
    const auto problems_before = problems_.size();
    ReadHeader(record, file_name_, header_, problems_);
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

  bool Has(Role role) const { return header_.Has(role); }

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

  // The flags of a status cell: words of Hälsonav's list or SDMX's, several separated by '|'
  // or ','. An SDMX status without a flag is kept as a note. nullopt after a problem.
  std::optional<std::uint8_t> Status(std::string_view cell, std::size_t line, std::size_t column,
                                     const Column& header) {
    std::uint8_t flags = 0;
    bool ok = true;
    std::size_t start = 0;
    while (start <= cell.size()) {
      auto end = cell.find_first_of("|,", start);
      if (end == std::string_view::npos) end = cell.size();
      const auto written = csv::Trim(cell.substr(start, end - start));
      const auto word = csv::Fold(written);
      if (auto flag = StatusWordFlag(word)) {
        flags |= *flag;
      } else if (auto sdmx = SdmxStatusOf(word)) {
        flags |= sdmx->flag;
        if (sdmx->note) Note(*sdmx, written, line, column);
      } else {
        Report(line, column,
               fmt::format("column \"{}\": unknown status \"{}\"; the statuses are missing/saknas, "
                           "suppressed/sekretess/prickad, provisional/preliminär and "
                           "break/tidsseriebrott",
                           header.header, written));
        ok = false;
      }
      start = end + 1;
    }
    if (!ok) return std::nullopt;
    return flags;
  }

  void Note(const SdmxStatus& status, std::string_view written, std::size_t line,
            std::size_t column) {
    auto [found, added] = notes_.try_emplace(status.code);
    if (added) {
      found->second.place = csv::Where(file_name_, line, column);
      found->second.written = std::string(written);
    }
    ++found->second.rows;
  }

  // One indicator per code and unit; SplitUnits gives each unit its own code when a file mixes
  // them.
  std::uint32_t InternIndicator(std::string_view code, const std::string& unit, std::size_t line,
                                std::size_t column) {
    auto key = fmt::format("{}\x1f{}", code, unit);
    auto found = indicator_index_.find(key);
    if (found != indicator_index_.end()) return found->second;
    const auto index = static_cast<std::uint32_t>(batch_.indicators.size());
    IndicatorRef ref;
    ref.definition.code = std::string(code);
    ref.definition.source = IndicatorSource::kOwn;
    if (!unit.empty()) {
      ref.definition.unit = unit;
      ref.definition.value_type = ValueTypeOfUnit(unit);
    }
    ref.where = csv::Where(file_name_, line, column);
    batch_.indicators.push_back(std::move(ref));
    indicator_index_.emplace(std::move(key), index);
    return index;
  }

  // A file that mixes units: "<code>.<unit>" for each (the unit as a breakdown name would be).
  void SplitUnits() {
    std::map<std::string, std::vector<std::size_t>> by_code;
    for (std::size_t idx = 0; idx < batch_.indicators.size(); ++idx) {
      by_code[batch_.indicators[idx].definition.code].push_back(idx);
    }
    for (const auto& [code, indices] : by_code) {
      if (indices.size() < 2) continue;
      for (auto idx : indices) {
        auto& definition = batch_.indicators[idx].definition;
        const auto suffix = DimensionName(csv::Fold(definition.unit));
        if (!suffix.empty()) definition.code = fmt::format("{}.{}", code, suffix);
      }
    }
  }

  std::uint32_t InternArea(const std::string& code, std::string_view label, std::size_t line,
                           std::size_t column) {
    auto found = area_index_.find(code);
    if (found != area_index_.end()) {
      auto& known = batch_.areas[found->second];
      if (known.label.empty()) known.label = std::string(label);
      return found->second;
    }
    const auto index = static_cast<std::uint32_t>(batch_.areas.size());
    batch_.areas.push_back({code, std::string(label), csv::Where(file_name_, line, column)});
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

  // A number cell into one of the draft's fields.
  void NumberInto(std::string_view cell, std::size_t line, std::size_t column_number,
                  const Column& column, double& field) {
    if (auto number = Number(cell, line, column_number, column)) field = *number;
  }

  void ReadCell(const Column& column, std::string_view cell, std::size_t line,
                std::size_t column_number, Row& row) {
    auto& draft = row.draft;
    switch (*column.role) {
      case Role::kIndicator:
        if (cell.empty() && options_.indicator.empty()) {
          Report(line, column_number, fmt::format("column \"{}\": empty", column.header));
        } else {
          row.indicator_code = std::string(cell.empty() ? options_.indicator : cell);
          row.indicator_column = column_number;
          row.indicator = 0;  // interned once the unit is known
        }
        break;
      case Role::kArea: {
        const auto code = NormalizeAreaCode(cell);
        if (code.empty()) {
          Report(line, column_number, fmt::format("column \"{}\": empty", column.header));
        } else {
          row.area = InternArea(code, "", line, column_number);
        }
        break;
      }
      case Role::kPeriod:
        if (auto period = ParsePeriod(cell)) {
          draft.period = PeriodKey(*period);
          row.period_ok = true;
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
          row.value_present = Present(*number);
        }
        break;
      case Role::kCiLow:
        NumberInto(cell, line, column_number, column, draft.ci_low);
        break;
      case Role::kCiHigh:
        NumberInto(cell, line, column_number, column, draft.ci_high);
        break;
      case Role::kNumerator:
        NumberInto(cell, line, column_number, column, draft.numerator);
        break;
      case Role::kDenominator:
        NumberInto(cell, line, column_number, column, draft.denominator);
        break;
      case Role::kRespondents:
        NumberInto(cell, line, column_number, column, draft.respondents);
        break;
      case Role::kStatus:
        if (auto flags = Status(cell, line, column_number, column)) draft.status |= *flags;
        break;
      case Role::kUnit:
        row.unit = std::string(cell);
        break;
      case Role::kUnitMultiplier:
        if (cell.empty()) break;
        if (auto exponent = UnitMultiplier(csv::Fold(cell))) {
          row.multiplier = *exponent;
        } else {
          Report(line, column_number,
                 fmt::format("column \"{}\": \"{}\" is not a unit multiplier (a power of ten "
                             "from -15 to 15, such as 3, or thousands, millions)",
                             column.header, cell));
        }
        break;
      case Role::kLabel:
        if (column.label_of == Role::kArea) row.area_label = std::string(cell);
        break;
      case Role::kSex:
      case Role::kBreakdown:
        ReadBreakdownCell(column, cell, line, column_number, row);
        break;
    }
  }

  void ReadBreakdownCell(const Column& column, std::string_view cell, std::size_t line,
                         std::size_t column_number, Row& row) {
    if (column.role == Role::kSex) {
      if (cell.empty()) return;
      const auto sex = NormalizeSex(cell);
      if (!sex) {
        Report(line, column_number,
               fmt::format("column \"{}\": unknown sex \"{}\" (women/kvinnor/K/2, men/män/M/1, "
                           "or total/totalt or blank)",
                           column.header, cell));
      } else if (*sex != "total") {
        row.breakdown.emplace_back(std::string(kSexDimension), std::string(*sex));
      }
      return;
    }
    const auto folded = csv::Fold(cell);
    if (folded.empty() || folded == "total" || folded == "totalt") return;
    row.breakdown.emplace_back(column.dimension, std::string(cell));
  }

  void ReadRow(const csv::Record& record) {
    const std::size_t line = record.line;
    const auto& columns = header_.columns;
    if (record.fields.size() != columns.size()) {
      Report(line, 1,
             fmt::format("the row has {} cell{}, the header {}{}", record.fields.size(),
                         record.fields.size() == 1 ? "" : "s", columns.size(),
                         delimiter_ == ',' ? " (a decimal comma in a ',' file splits a number: "
                                             "use ';' between cells)"
                                           : ""));
      return;
    }
    const auto problems_before = problems_.size();
    Row row;
    row.draft.origin = line;
    for (std::size_t idx = 0; idx < record.fields.size(); ++idx) {
      const std::size_t column_number = idx + 1;
      const Column& column = columns[idx];
      if (!csv::CheckUtf8(record.fields[idx], column_number, file_name_, problems_)) continue;
      const auto cell = csv::Trim(record.fields[idx].value);
      if (!column.role) {
        if (column.header.empty() && !cell.empty()) {
          Report(line, column_number, "a value in a column that has no header");
        }
        continue;
      }
      ReadCell(column, cell, line, column_number, row);
    }
    FinishRow(row, line, problems_before);
  }

  void FinishRow(Row& row, std::size_t line, std::size_t problems_before) {
    auto& draft = row.draft;
    if (row.indicator) {
      row.indicator = InternIndicator(row.indicator_code, row.unit, line, row.indicator_column);
    } else if (!Has(Role::kIndicator) && !options_.indicator.empty()) {
      row.indicator = InternIndicator(options_.indicator, row.unit, line, 1);
    }
    if (!row.area && !Has(Role::kArea) && !default_area_.empty()) {
      row.area = InternArea(default_area_, "", line, 1);
    }
    if (row.area && !row.area_label.empty())
      InternArea(batch_.areas[*row.area].code, row.area_label, line, 1);
    if (row.multiplier != 0) {
      for (double* field : {&draft.value, &draft.ci_low, &draft.ci_high}) {
        if (Present(*field)) *field = ScaleDecimal(*field, row.multiplier);
      }
    }
    if (!row.value_present) {
      if ((draft.status & kObservationMissing) == 0 && problems_.size() == problems_before) {
        draft.status |= kObservationMissing;
      }
    } else if ((draft.status & kObservationMissing) != 0) {
      Report(line, 1, "a value with status missing: leave the value blank or drop the status");
    }
    if (problems_.size() != problems_before || !row.indicator || !row.area || !row.period_ok) {
      return;
    }
    NormalizeBreakdown(row.breakdown);  // dimensions are unique: the header refuses repeats
    draft.indicator = *row.indicator;
    draft.area = *row.area;
    draft.breakdown = InternBreakdown(row.breakdown);
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
  Header header_;
  std::string default_area_;
  StatsBatch batch_;
  std::vector<Problem> problems_;
  std::map<char, NoteSeen> notes_;
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
