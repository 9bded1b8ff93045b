#include "io/plan_xlsx.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/national.hpp"
#include "io/swedish_terms.hpp"

namespace halsonav::plan {
namespace {

// Every text the workbook shows, in one place: its readers are Swedish.
constexpr std::string_view kMeasuresSheet = "Åtgärder";
constexpr std::string_view kPartnersSheet = "Samverkan";
constexpr std::string_view kClassificationsSheet = "Klassificering";
constexpr std::string_view kAboutSheet = "Om";

constexpr std::string_view kCodeHeader = "Nr";
constexpr std::string_view kTargetGroupHeader = "Målgrupp";
constexpr std::string_view kExpectedResultHeader = "Förväntat långsiktigt resultat";
constexpr std::string_view kYearHeader = "År";
constexpr std::string_view kMeasureHeader = "Åtgärd";
constexpr std::string_view kActorHeader = "Aktör";
constexpr std::string_view kStatusHeader = "Status";
constexpr std::string_view kPartnerHeader = "Partner";
constexpr std::string_view kRoleHeader = "Roll";
constexpr std::string_view kUnitsHeader = "Enheter";
constexpr std::string_view kLevelHeader = "Nivå";
constexpr std::string_view kNodeCodeHeader = "Kod";
constexpr std::string_view kTitleHeader = "Titel";
constexpr std::string_view kClassificationIdHeader = "Klassificering id";
constexpr std::string_view kClassificationHeader = "Klassificering";
constexpr std::string_view kSuggestedHeader = "Föreslagen";

constexpr std::string_view kInherited = "(ärvd)";
constexpr std::string_view kFrameworkLevel = "Ramverk";
constexpr std::string_view kMeasureLevel = "Åtgärd";
constexpr std::string_view kYes = "ja";
constexpr std::string_view kNo = "nej";

constexpr std::string_view kAboutTitle = "Titel";
constexpr std::string_view kAboutShortTitle = "Kort titel";
constexpr std::string_view kAboutKind = "Typ";
constexpr std::string_view kAboutStatus = "Status";
constexpr std::string_view kAboutPeriod = "Period";
constexpr std::string_view kAboutOwner = "Ägare";
constexpr std::string_view kAboutMeasures = "Antal åtgärder";
constexpr std::string_view kAboutExported = "Exporterad";
constexpr std::string_view kPeriodFrom = "från";
constexpr std::string_view kPeriodTo = "till";

// Column widths, in Excel's character units.
constexpr double kNodeWidth = 30;
constexpr double kCodeWidth = 8;
constexpr double kShortWidth = 16;
constexpr double kMediumWidth = 24;
constexpr double kLongWidth = 40;
constexpr double kTextWidth = 55;
constexpr double kYearWidth = 7;

struct ColumnSpec {
  std::string header;
  double width = kMediumWidth;
};

// A measure with the nodes above it, from the top down.
struct MeasureRow {
  std::vector<const NodeSpec*> path;
  const MeasureSpec* measure = nullptr;
};

// Calls visit(path) for every node in tree order; path ends with the node.
template <typename Visit>
void WalkNodes(const std::vector<NodeSpec>& nodes, std::vector<const NodeSpec*>& path,
               Visit& visit) {
  for (const auto& node : nodes) {
    path.push_back(&node);
    visit(path);
    WalkNodes(node.children, path, visit);
    path.pop_back();
  }
}

std::vector<MeasureRow> MeasureRows(const PlanFile& plan) {
  std::vector<MeasureRow> rows;
  std::vector<const NodeSpec*> path;
  auto visit = [&rows](const std::vector<const NodeSpec*>& node_path) {
    for (const auto& measure : node_path.back()->measures) rows.push_back({node_path, &measure});
  };
  WalkNodes(plan.nodes, path, visit);
  return rows;
}

std::string NodeLabel(const NodeSpec& node) {
  return node.code.empty() ? node.title : fmt::format("{} {}", node.code, node.title);
}

// "Actor (unit; unit)", or "Actor" without units.
std::string ActorWithUnits(std::string_view actor, const std::vector<std::string>& units) {
  if (units.empty()) return std::string(actor);
  return fmt::format("{} ({})", actor, fmt::join(units, "; "));
}

std::string ActorCell(const MeasureRow& row) {
  std::vector<std::string> lines;
  for (const auto& responsible : row.measure->responsible) {
    lines.push_back(ActorWithUnits(responsible.actor, responsible.units));
  }
  if (!lines.empty()) return fmt::format("{}", fmt::join(lines, "\n"));
  for (auto node = row.path.rbegin(); node != row.path.rend(); ++node) {
    if ((*node)->coordinating_actor.empty()) continue;
    std::vector<std::string> units;
    if (!(*node)->contact_unit.empty()) units.push_back((*node)->contact_unit);
    return fmt::format("{} {}", ActorWithUnits((*node)->coordinating_actor, units), kInherited);
  }
  return {};
}

std::string Period(const FrameworkSpec& framework) {
  if (framework.valid_from && framework.valid_to) {
    return fmt::format("{}–{}", *framework.valid_from, *framework.valid_to);
  }
  if (framework.valid_from) return fmt::format("{} {}", kPeriodFrom, *framework.valid_from);
  if (framework.valid_to) return fmt::format("{} {}", kPeriodTo, *framework.valid_to);
  return {};
}

// The node-kind columns of the measure sheet: each kind that stands above some measure, in the
// framework's order of kinds (kinds the framework does not declare after them, by key).
struct KindColumn {
  std::string key;
  std::string label;
};

std::vector<KindColumn> KindColumns(const PlanFile& plan, const std::vector<MeasureRow>& rows) {
  std::vector<std::string> used;
  for (const auto& row : rows) {
    for (const NodeSpec* node : row.path) {
      if (std::find(used.begin(), used.end(), node->kind) == used.end()) used.push_back(node->kind);
    }
  }
  std::vector<KindColumn> columns;
  for (const auto& kind : plan.framework.node_kinds) {
    if (std::find(used.begin(), used.end(), kind.key) != used.end()) {
      columns.push_back({kind.key, kind.label.empty() ? kind.key : kind.label});
    }
  }
  for (const auto& key : used) {
    const bool declared =
        std::any_of(plan.framework.node_kinds.begin(), plan.framework.node_kinds.end(),
                    [&key](const NodeKind& kind) { return kind.key == key; });
    if (!declared) columns.push_back({key, key});
  }
  return columns;
}

std::string KindLabel(const PlanFile& plan, const std::string& key) {
  for (const auto& kind : plan.framework.node_kinds) {
    if (kind.key == key && !kind.label.empty()) return kind.label;
  }
  return key;
}

// Parses "YYYY-MM-DD" into the time of its midnight, UTC.
std::optional<std::time_t> ParseDate(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
  for (std::size_t idx = 0; idx < date.size(); ++idx) {
    if (idx != 4 && idx != 7 && (date[idx] < '0' || date[idx] > '9')) return std::nullopt;
  }
  const auto number = [&date](std::size_t from, std::size_t length) {
    int value = 0;
    for (std::size_t idx = from; idx < from + length; ++idx) value = value * 10 + (date[idx] - '0');
    return value;
  };
  std::tm parts{};
  parts.tm_year = number(0, 4) - 1900;
  parts.tm_mon = number(5, 2) - 1;
  parts.tm_mday = number(8, 2);
  if (parts.tm_mon < 0 || parts.tm_mon > 11 || parts.tm_mday < 1 || parts.tm_mday > 31) {
    return std::nullopt;
  }
  std::tm normalised = parts;
  const std::time_t time = timegm(&normalised);
  // timegm moves "2023-02-30" to March: such a date does not exist.
  if (time == static_cast<std::time_t>(-1) || normalised.tm_mday != parts.tm_mday) {
    return std::nullopt;
  }
  return time;
}

std::string Today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &local);
  return buffer;
}

// A file made by mkstemp in $TMPDIR (else /tmp), removed when this goes out of scope.
class TempFile {
 public:
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (!path_.empty()) std::remove(path_.c_str());
  }

  Result<void> Create() {
    const char* tmpdir = std::getenv("TMPDIR");
    dir_ = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
    std::string path = dir_ + "/halsonav-export-XXXXXX";
    const int fd = mkstemp(path.data());
    if (fd < 0) {
      return Fail(ErrorCode::kInternal, fmt::format("cannot create a temporary file in {}: {}",
                                                    dir_, std::strerror(errno)));
    }
    close(fd);
    path_ = std::move(path);
    return {};
  }

  Result<std::string> ReadAll() const {
    std::ifstream in(path_, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      return Fail(ErrorCode::kInternal,
                  fmt::format("cannot read back the temporary file {}", path_));
    }
    return bytes;
  }

  const std::string& Path() const { return path_; }
  std::string& Dir() { return dir_; }

 private:
  std::string path_;
  std::string dir_;
};

// The workbook being written. libxlsxwriter reports failures as return values; the first one is
// kept (with the sheet and cell it concerns) and every later call becomes a no-op.
class Book {
 public:
  explicit Book(lxw_workbook* workbook) : workbook_(workbook) {}
  Book(const Book&) = delete;
  Book& operator=(const Book&) = delete;
  ~Book() {
    if (workbook_ != nullptr) lxw_workbook_free(workbook_);
  }

  bool Ok() const { return !error_; }

  void Check(lxw_error status, std::string_view where) {
    if (status == LXW_NO_ERROR || error_) return;
    const auto code = status == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED ? ErrorCode::kInvalidValue
                                                                     : ErrorCode::kInternal;
    error_ = Error{
        code, fmt::format("writing the workbook failed at {}: {}", where, lxw_strerror(status))};
  }

  void SetError(std::string message) {
    if (!error_) error_ = Error{ErrorCode::kInternal, std::move(message)};
  }

  lxw_format* AddFormat() {
    if (!Ok()) return nullptr;
    lxw_format* format = workbook_add_format(workbook_);
    if (format == nullptr) SetError("libxlsxwriter could not add a format");
    return format;
  }

  lxw_worksheet* AddSheet(std::string_view name) {
    if (!Ok()) return nullptr;
    lxw_worksheet* sheet = workbook_add_worksheet(workbook_, std::string(name).c_str());
    if (sheet == nullptr)
      SetError(fmt::format("libxlsxwriter could not add the sheet \"{}\"", name));
    return sheet;
  }

  void SetProperties(const std::string& title, std::time_t created) {
    if (!Ok()) return;
    std::string title_copy = title;
    lxw_doc_properties properties{};
    properties.title = title_copy.data();
    properties.created = created;
    Check(workbook_set_properties(workbook_, &properties), "the document properties");
  }

  // Writes the file; the workbook is freed whatever happens.
  Result<void> Close() {
    lxw_workbook* workbook = std::exchange(workbook_, nullptr);
    if (error_) {
      lxw_workbook_free(workbook);
      return tl::unexpected<Error>(*error_);
    }
    Check(workbook_close(workbook), "closing the workbook");
    if (error_) return tl::unexpected<Error>(*error_);
    return {};
  }

 private:
  lxw_workbook* workbook_;
  std::optional<Error> error_;
};

// The formats every sheet uses.
struct Formats {
  lxw_format* header = nullptr;  // bold, wrapped, grey, bottom border
  lxw_format* label = nullptr;   // bold, top-aligned (the "Om" sheet's first column)
  lxw_format* body = nullptr;    // wrapped, top-aligned
  lxw_format* year = nullptr;    // top-aligned integer
  lxw_format* count = nullptr;   // top- and left-aligned integer
};

Formats MakeFormats(Book& book) {
  Formats formats;
  formats.header = book.AddFormat();
  formats.label = book.AddFormat();
  formats.body = book.AddFormat();
  formats.year = book.AddFormat();
  formats.count = book.AddFormat();
  if (!book.Ok()) return formats;
  format_set_bold(formats.header);
  format_set_text_wrap(formats.header);
  format_set_align(formats.header, LXW_ALIGN_VERTICAL_TOP);
  format_set_bg_color(formats.header, 0xD9D9D9);
  format_set_bottom(formats.header, LXW_BORDER_THIN);
  format_set_bold(formats.label);
  format_set_align(formats.label, LXW_ALIGN_VERTICAL_TOP);
  format_set_text_wrap(formats.body);
  format_set_align(formats.body, LXW_ALIGN_VERTICAL_TOP);
  format_set_align(formats.year, LXW_ALIGN_VERTICAL_TOP);
  format_set_num_format(formats.year, "0");
  format_set_align(formats.count, LXW_ALIGN_LEFT);
  format_set_align(formats.count, LXW_ALIGN_VERTICAL_TOP);
  format_set_num_format(formats.count, "0");
  return formats;
}

// One sheet, written row by row.
class Sheet {
 public:
  Sheet(Book& book, const Formats& formats, std::string_view name)
      : book_(book), formats_(formats), name_(name), sheet_(book.AddSheet(name)) {}

  // A table sheet: the header row (bold, frozen, repeated on printed pages), column widths,
  // landscape pages one page wide; the autofilter comes with Finish().
  void Table(const std::vector<ColumnSpec>& columns) {
    if (!book_.Ok()) return;
    columns_ = columns.size();
    for (std::size_t idx = 0; idx < columns.size(); ++idx) {
      const auto col = static_cast<lxw_col_t>(idx);
      book_.Check(worksheet_set_column(sheet_, col, col, columns[idx].width, formats_.body),
                  fmt::format("{}, column {}", name_, idx + 1));
      Text(idx, columns[idx].header, formats_.header);
    }
    worksheet_freeze_panes(sheet_, 1, 0);
    worksheet_set_landscape(sheet_);
    worksheet_fit_to_pages(sheet_, 1, 0);
    book_.Check(worksheet_repeat_rows(sheet_, 0, 0), fmt::format("{}, header row", name_));
    NextRow();
  }

  void SetColumn(std::size_t col, double width, lxw_format* format) {
    if (!book_.Ok()) return;
    const auto column = static_cast<lxw_col_t>(col);
    book_.Check(worksheet_set_column(sheet_, column, column, width, format),
                fmt::format("{}, column {}", name_, col + 1));
  }

  // Writes text into the current row; empty text leaves the cell empty.
  void Text(std::size_t col, std::string_view text, lxw_format* format = nullptr) {
    if (!book_.Ok() || text.empty()) return;
    book_.Check(
        worksheet_write_string(sheet_, row_, static_cast<lxw_col_t>(col), std::string(text).c_str(),
                               format != nullptr ? format : formats_.body),
        Where(col));
  }

  void Number(std::size_t col, double number, lxw_format* format) {
    if (!book_.Ok()) return;
    book_.Check(worksheet_write_number(sheet_, row_, static_cast<lxw_col_t>(col), number, format),
                Where(col));
  }

  void NextRow() { ++row_; }

  // The autofilter over the header and every row written.
  void Finish() {
    if (!book_.Ok() || columns_ == 0) return;
    const lxw_row_t last_row = row_ > 1 ? row_ - 1 : 0;
    book_.Check(worksheet_autofilter(sheet_, 0, 0, last_row, static_cast<lxw_col_t>(columns_ - 1)),
                fmt::format("{}, autofilter", name_));
  }

 private:
  std::string Where(std::size_t col) const {
    char cell[16];
    lxw_rowcol_to_cell(cell, row_, static_cast<lxw_col_t>(col));
    return fmt::format("{}!{}", name_, cell);
  }

  Book& book_;
  const Formats& formats_;
  std::string name_;
  lxw_worksheet* sheet_;
  lxw_row_t row_ = 0;
  std::size_t columns_ = 0;
};

void WriteMeasures(Book& book, const Formats& formats, const PlanFile& plan,
                   const std::vector<MeasureRow>& rows) {
  Sheet sheet(book, formats, kMeasuresSheet);
  const auto kinds = KindColumns(plan, rows);
  std::vector<ColumnSpec> columns;
  for (const auto& kind : kinds) columns.push_back({kind.label, kNodeWidth});
  const std::size_t first = kinds.size();
  columns.push_back({std::string(kCodeHeader), kCodeWidth});
  columns.push_back({std::string(kTargetGroupHeader), kMediumWidth});
  columns.push_back({std::string(kExpectedResultHeader), kLongWidth});
  columns.push_back({std::string(kYearHeader), kYearWidth});
  columns.push_back({std::string(kMeasureHeader), kTextWidth});
  columns.push_back({std::string(kActorHeader), kLongWidth});
  columns.push_back({std::string(kStatusHeader), kShortWidth});
  sheet.Table(columns);
  sheet.SetColumn(first + 3, kYearWidth, formats.year);
  for (const auto& row : rows) {
    for (std::size_t kind_idx = 0; kind_idx < kinds.size(); ++kind_idx) {
      std::vector<std::string> labels;
      for (const NodeSpec* node : row.path) {
        if (node->kind == kinds[kind_idx].key) labels.push_back(NodeLabel(*node));
      }
      sheet.Text(kind_idx, fmt::format("{}", fmt::join(labels, "\n")));
    }
    const MeasureSpec& measure = *row.measure;
    sheet.Text(first, measure.code);
    sheet.Text(first + 1, measure.target_group);
    sheet.Text(first + 2, measure.expected_result);
    if (measure.expected_result_year) {
      sheet.Number(first + 3, static_cast<double>(*measure.expected_result_year), formats.year);
    }
    sheet.Text(first + 4, measure.text);
    sheet.Text(first + 5, ActorCell(row));
    sheet.Text(first + 6, SwedishTerm(kMeasureStatusSv, measure.status));
    sheet.NextRow();
  }
  sheet.Finish();
}

void WritePartners(Book& book, const Formats& formats, const std::vector<MeasureRow>& rows) {
  Sheet sheet(book, formats, kPartnersSheet);
  sheet.Table({{std::string(kCodeHeader), kCodeWidth},
               {std::string(kMeasureHeader), kTextWidth},
               {std::string(kPartnerHeader), kLongWidth},
               {std::string(kRoleHeader), kShortWidth},
               {std::string(kUnitsHeader), kLongWidth}});
  for (const auto& row : rows) {
    for (const auto& partner : row.measure->partners) {
      sheet.Text(0, row.measure->code);
      sheet.Text(1, row.measure->text);
      sheet.Text(2, partner.actor);
      sheet.Text(3, SwedishTerm(kPartRoleSv, partner.role));
      sheet.Text(4, fmt::format("{}", fmt::join(partner.units, "\n")));
      sheet.NextRow();
    }
  }
  sheet.Finish();
}

void WriteClassifications(Book& book, const Formats& formats, const PlanFile& plan) {
  std::map<std::string, std::string, std::less<>> names;
  for (const auto& classification : PreloadedClassifications()) {
    names.emplace(classification.id, classification.label_sv);
  }
  Sheet sheet(book, formats, kClassificationsSheet);
  sheet.Table({{std::string(kLevelHeader), kMediumWidth},
               {std::string(kNodeCodeHeader), kCodeWidth},
               {std::string(kTitleHeader), kTextWidth},
               {std::string(kClassificationIdHeader), kMediumWidth},
               {std::string(kClassificationHeader), kLongWidth},
               {std::string(kSuggestedHeader), kShortWidth}});
  const auto write_links = [&](std::string_view level, std::string_view code,
                               std::string_view title, const std::vector<std::string>& stated,
                               const std::vector<std::string>& suggested) {
    for (const auto* list : {&stated, &suggested}) {
      for (const auto& id : *list) {
        sheet.Text(0, level);
        sheet.Text(1, code);
        sheet.Text(2, title);
        sheet.Text(3, id);
        if (const auto name = names.find(id); name != names.end()) sheet.Text(4, name->second);
        sheet.Text(5, list == &suggested ? kYes : kNo);
        sheet.NextRow();
      }
    }
  };
  const auto& framework = plan.framework;
  write_links(kFrameworkLevel, "", framework.title, framework.classifications,
              framework.suggested_classifications);
  std::vector<const NodeSpec*> path;
  auto visit = [&](const std::vector<const NodeSpec*>& node_path) {
    const NodeSpec& node = *node_path.back();
    write_links(KindLabel(plan, node.kind), node.code, node.title, node.classifications,
                node.suggested_classifications);
    for (const auto& measure : node.measures) {
      write_links(kMeasureLevel, measure.code, measure.text, measure.classifications,
                  measure.suggested_classifications);
    }
  };
  WalkNodes(plan.nodes, path, visit);
  sheet.Finish();
}

void WriteAbout(Book& book, const Formats& formats, const PlanFile& plan, std::size_t measures,
                std::string_view export_date) {
  Sheet sheet(book, formats, kAboutSheet);
  sheet.SetColumn(0, kMediumWidth, formats.label);
  sheet.SetColumn(1, kTextWidth * 1.5, formats.body);
  const auto& framework = plan.framework;
  const std::pair<std::string_view, std::string> lines[] = {
      {kAboutTitle, framework.title},
      {kAboutShortTitle, framework.short_title},
      {kAboutKind, std::string(SwedishTerm(kFrameworkKindSv, framework.kind))},
      {kAboutStatus, std::string(SwedishTerm(kFrameworkStatusSv, framework.status))},
      {kAboutPeriod, Period(framework)},
      {kAboutOwner, framework.owner},
      {kAboutMeasures, ""},
      {kAboutExported, std::string(export_date)},
  };
  for (const auto& [label, value] : lines) {
    sheet.Text(0, label, formats.label);
    if (label == kAboutMeasures) {
      sheet.Number(1, static_cast<double>(measures), formats.count);
    } else {
      sheet.Text(1, value);
    }
    sheet.NextRow();
  }
}

}  // namespace

Result<std::string> WritePlanXlsx(const PlanFile& plan) { return WritePlanXlsx(plan, Today()); }

Result<std::string> WritePlanXlsx(const PlanFile& plan, std::string_view export_date) {
  const auto created = ParseDate(export_date);
  if (!created) {
    return Fail(ErrorCode::kInvalidValue,
                fmt::format("the export date \"{}\" is not a date YYYY-MM-DD", export_date),
                {{"field", "export_date"}});
  }
  TempFile file;
  if (auto made = file.Create(); !made) return tl::unexpected<Error>(made.error());

  lxw_workbook_options options{};
  options.tmpdir = file.Dir().data();
  lxw_workbook* workbook = workbook_new_opt(file.Path().c_str(), &options);
  if (workbook == nullptr) {
    return Fail(ErrorCode::kInternal, "libxlsxwriter could not create a workbook");
  }
  Book book(workbook);
  book.SetProperties(plan.framework.title, *created);
  const Formats formats = MakeFormats(book);
  const auto rows = MeasureRows(plan);
  WriteMeasures(book, formats, plan, rows);
  WritePartners(book, formats, rows);
  WriteClassifications(book, formats, plan);
  WriteAbout(book, formats, plan, rows.size(), export_date);
  if (auto closed = book.Close(); !closed) return tl::unexpected<Error>(closed.error());
  return file.ReadAll();
}

}  // namespace halsonav::plan
