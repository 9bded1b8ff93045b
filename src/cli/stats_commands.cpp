#include "cli/stats_commands.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "app/open.hpp"

namespace halsonav::cli {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// A one-line bar on standard error, redrawn when the whole percent changes.
class ProgressBar {
 public:
  void Draw(std::uint64_t done, std::uint64_t total) {
    if (total == 0) return;
    const int percent = static_cast<int>(done * 100 / total);
    if (percent == last_percent_) return;
    last_percent_ = percent;
    constexpr int kWidth = 40;
    const int filled = percent * kWidth / 100;
    std::cerr << fmt::format("\r[{}{}] {:3}%  {:.1f} / {:.1f} MB", std::string(filled, '#'),
                             std::string(kWidth - filled, ' '), percent, done / 1e6, total / 1e6)
              << std::flush;
    drawn_ = true;
  }
  ~ProgressBar() {
    if (drawn_) std::cerr << "\n";
  }

 private:
  int last_percent_ = -1;
  bool drawn_ = false;
};

}  // namespace

// Prints an error and, one per line, the problems it lists (each names its file and place).
// `create_hint`: whether --create-areas is the other way out of unknown areas.
int PrintError(const Error& error, bool create_hint) {
  const auto problems = error.details.find("problems");
  if (problems != error.details.end() && problems->is_array()) {
    std::cerr << fmt::format("halsonav: {} problem{}, nothing was stored:\n", problems->size(),
                             problems->size() == 1 ? "" : "s");
  } else {
    std::cerr << "halsonav: " << error.message << "\n";
  }
  if (problems != error.details.end()) {
    for (const auto& problem : *problems) {
      std::cerr << fmt::format("  {}: {}\n", problem.value("pointer", ""),
                               problem.value("message", ""));
    }
  }
  if (const auto unknown = error.details.find("unknown_areas"); unknown != error.details.end()) {
    std::string codes;
    for (const auto& area : *unknown) {
      codes += (codes.empty() ? "" : ", ") + area.value("code", "");
    }
    std::cerr << fmt::format(
        "  area codes not in the registry: {} (import the registry with "
        "`halsonav import areas`{})\n",
        codes, create_hint ? ", or create them with --create-areas" : "");
  }
  return kExitFailure;
}

std::string ObservationCounts(const Json& counts) {
  auto count = [&](const char* name) { return counts.value(name, std::int64_t{0}); };
  std::string out = fmt::format(
      "{} new, {} changed, {} unchanged observations ({} missing, {} suppressed", count("new"),
      count("changed"), count("unchanged"), count("missing"), count("suppressed"));
  if (count("not_compared") > 0) {
    out += fmt::format(", {} replacing suppressed ones, not compared", count("not_compared"));
  }
  if (count("stored_now_suppressed") + count("stored_now_shown") > 0) {
    out += fmt::format("; of those stored beside them {} now suppressed, {} now shown",
                       count("stored_now_suppressed"), count("stored_now_shown"));
  }
  return out + ")";
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kNotFound,
                fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return Fail(ErrorCode::kInternal,
                fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  }
  return text.str();
}

int ImportStats(StatsImportCommand command, const Caller& caller) {
  auto& options = command.options;
  if (command.format == "kolada") {
    options.format = StatsFormat::kKolada;
  } else if (command.format == "jsonstat") {
    options.format = StatsFormat::kJsonStat;
  } else if (command.format == "csv") {
    options.format = StatsFormat::kCsv;
  } else if (command.format == "px") {
    options.format = StatsFormat::kPx;
  } else if (command.format == "auto") {
    options.format = StatsFormat::kAuto;
  } else {
    std::cerr << fmt::format(
        "halsonav: --format \"{}\" is not one of: kolada, jsonstat, px, csv, auto\n",
        command.format);
    return kExitUsage;
  }
  if (!command.mapping.empty()) {
    auto text = ReadWholeFile(command.mapping);
    if (!text) return PrintError(text.error());
    options.mapping = std::move(*text);
    options.mapping_name = command.mapping;
  }
  std::vector<StatsFile> files;
  for (const auto& path : command.files) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error) {
      std::cerr << fmt::format("halsonav: {}: cannot open: {}\n", path, error.message());
      return kExitFailure;
    }
    files.push_back(StatsFile{path, [path] { return ReadWholeFile(path); }, size});
  }
  std::optional<ProgressBar> bar;
  if (command.progress && isatty(STDERR_FILENO) != 0) {
    bar.emplace();
    options.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar->Draw(done, total); };
  }
  auto app = OpenApp(DatabaseConfig{command.db, false, true, 1});
  if (!app) return PrintError(app.error());
  auto report = (*app)->ImportStats(files, options, caller);
  options.progress = nullptr;
  bar.reset();  // ends the bar's line before the summary
  if (!report) return PrintError(report.error());
  const auto& counts = report->at("observations");
  std::cout << fmt::format("{} {} file{}{}: {}; {} indicators created, {} areas created",
                           options.dry_run ? "checked" : "imported", files.size(),
                           files.size() == 1 ? "" : "s",
                           options.dry_run ? " (dry run, nothing stored)" : "",
                           ObservationCounts(counts), report->at("indicators_created").size(),
                           report->at("areas_created").size())
            << std::endl;
  return 0;
}

int ImportGeometries(const GeometryImportCommand& command, const Caller& caller) {
  std::vector<StatsFile> files;
  for (const auto& path : command.files) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error) {
      std::cerr << fmt::format("halsonav: {}: cannot open: {}\n", path, error.message());
      return kExitFailure;
    }
    files.push_back(StatsFile{path, [path] { return ReadWholeFile(path); }, size});
  }
  auto app = OpenApp(DatabaseConfig{command.db, false, true, 1});
  if (!app) return PrintError(app.error());
  auto report = (*app)->ImportGeometries(files, command.options, caller);
  if (!report) return PrintError(report.error(), false);
  const auto& counts = report->at("geometries");
  std::int64_t features = 0;
  for (const auto& file : report->at("files")) features += file.at("features").get<std::int64_t>();
  std::cout << fmt::format(
                   "{} {} file{}{}: {} geometries: {} new, {} changed, {} unchanged ({} "
                   "positions, {:.0f} kB)",
                   command.options.dry_run ? "checked" : "imported", files.size(),
                   files.size() == 1 ? "" : "s",
                   command.options.dry_run ? " (dry run, nothing stored)" : "", features,
                   counts.at("new").get<std::int64_t>(), counts.at("changed").get<std::int64_t>(),
                   counts.at("unchanged").get<std::int64_t>(),
                   report->at("positions").get<std::int64_t>(),
                   static_cast<double>(report->at("bytes").get<std::int64_t>()) / 1000.0)
            << std::endl;
  return 0;
}

int ImportRegistry(const std::string& db, const std::string& kind, const std::string& file,
                   const Caller& caller) {
  auto text = ReadWholeFile(file);
  if (!text) return PrintError(text.error());
  auto app = OpenApp(DatabaseConfig{db, false, true, 1});
  if (!app) return PrintError(app.error());
  auto report = kind == "areas"         ? (*app)->ImportAreas(*text, file, caller)
                : kind == "area-groups" ? (*app)->ImportAreaGroups(*text, file, caller)
                                        : (*app)->ImportIndicatorCatalogue(*text, file, caller);
  if (!report) return PrintError(report.error());
  if (kind == "areas") {
    std::cout << fmt::format(
        "{}: {} areas ({} created, {} updated, {} unchanged)", file,
        report->at("areas").get<std::int64_t>(), report->at("created").get<std::int64_t>(),
        report->at("updated").get<std::int64_t>(), report->at("unchanged").get<std::int64_t>());
  } else if (kind == "area-groups") {
    std::cout << fmt::format("{}: {} area groups with {} members", file,
                             report->at("groups").get<std::int64_t>(),
                             report->at("members").get<std::int64_t>());
  } else {
    std::cout << fmt::format(
        "{}: {} indicator definitions ({} created, {} updated, {} unchanged)", file,
        report->at("indicators").get<std::int64_t>(), report->at("created").get<std::int64_t>(),
        report->at("updated").get<std::int64_t>(), report->at("unchanged").get<std::int64_t>());
  }
  std::cout << std::endl;
  return 0;
}

int Synth(const SynthCommand& command) {
  auto app = OpenApp(DatabaseConfig{command.db, false, true, 1});
  if (!app) return PrintError(app.error());
  auto summary = (*app)->WriteSyntheticData(command.municipalities, command.indicators,
                                            command.years, command.seed, command.out);
  if (!summary) return PrintError(summary.error());
  std::cout << fmt::format(
                   "{}: {} Kolada-shaped files and {} JSON-stat files ({:.1f} MB), {} "
                   "observations; mapping {}\n"
                   "import with:\n"
                   "  halsonav import kpis --db {} {}\n"
                   "  halsonav import stats --db {} --format kolada {}/kolada/*.json\n"
                   "  halsonav import stats --db {} --format jsonstat --mapping {} "
                   "{}/jsonstat/*.json",
                   command.out, summary->at("kolada_files").size(),
                   summary->at("jsonstat_files").size(),
                   summary->at("bytes").get<std::uint64_t>() / 1e6,
                   summary->at("observations").get<std::uint64_t>(),
                   summary->at("mapping_file").get<std::string>(), command.db,
                   summary->at("catalogue_file").get<std::string>(), command.db, command.out,
                   command.db, summary->at("mapping_file").get<std::string>(), command.out)
            << std::endl;
  return 0;
}

int Disclosure(const std::string& db, std::optional<double> min_count, const Caller& caller) {
  auto app = OpenApp(DatabaseConfig{db, false, true, 1});
  if (!app) return PrintError(app.error());
  if (!min_count) {
    auto rule = (*app)->DisclosureRule();
    if (!rule) return PrintError(rule.error());
    std::cout << fmt::format(
                     "figures based on fewer than {} (numerator or respondents) are "
                     "suppressed",
                     rule->at("min_count").get<double>())
              << std::endl;
    return 0;
  }
  auto report = (*app)->SetDisclosureRule(Json{{"min_count", *min_count}}, caller);
  if (!report) return PrintError(report.error());
  std::cout << fmt::format(
                   "disclosure rule: fewer than {} → suppressed; {} observations "
                   "changed status, {} are suppressed now",
                   *min_count, report->at("observations_changed").get<std::int64_t>(),
                   report->at("observations_suppressed").get<std::int64_t>())
            << std::endl;
  return 0;
}

int Stats(const analysis::Options& options, const std::string& input, bool list) {
  if (list) {
    for (const auto& measure : analysis::Measures()) {
      std::cout << fmt::format("{:<16} {:<13} {}\n{:<30} columns: {}\n", measure.id, measure.kind,
                               measure.name, "", measure.columns);
    }
    return 0;
  }
  auto text = ReadWholeFile(input);
  if (!text) return PrintError(text.error());
  auto result = analysis::Run(*text, input, options);
  if (!result) {
    if (result.error().code == ErrorCode::kInvalidParameter) {
      std::cerr << "halsonav: " << result.error().message << "\n";
      return 2;
    }
    const auto problems = result.error().details.find("problems");
    if (problems == result.error().details.end()) return PrintError(result.error());
    std::cerr << fmt::format("halsonav: {}: {} problem{}, nothing was computed:\n", input,
                             problems->size(), problems->size() == 1 ? "" : "s");
    for (const auto& problem : *problems) {
      std::cerr << fmt::format("  {}: {}\n", problem.value("pointer", ""),
                               problem.value("message", ""));
    }
    return 1;
  }
  std::cout << result->dump(2, ' ', false, Json::error_handler_t::replace) << std::endl;
  const auto& errors = result->at("errors");
  for (const auto& error : errors) {
    std::cerr << fmt::format("halsonav: {} (lines {}) {}: {}\n", input,
                             error.at("lines").get<std::string>(), error.at("group").dump(),
                             error.at("message").get<std::string>());
  }
  return errors.empty() ? 0 : 1;
}

}  // namespace halsonav::cli
