#include "cli/fetch_commands.hpp"

#include <unistd.h>

#include <functional>
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "app/open.hpp"
#include "cli/stats_commands.hpp"

namespace halsonav::cli {
namespace {

constexpr int kExitUsage = 2;

// A one-line bar on standard error for both stages of a fetch, redrawn when the stage or the
// whole percent changes.
class FetchBar {
 public:
  void Draw(std::string_view stage, std::uint64_t done, std::uint64_t total) {
    if (total == 0) return;
    const int percent = static_cast<int>(std::min<std::uint64_t>(done * 100 / total, 100));
    if (percent == last_percent_ && stage == stage_) return;
    last_percent_ = percent;
    stage_ = std::string(stage);
    constexpr int kWidth = 40;
    const int filled = percent * kWidth / 100;
    const auto what = stage == "fetch" ? fmt::format("hämtar {} / {} anrop", done, total)
                      : total < 1000000
                          ? fmt::format("importerar {:.0f} / {:.0f} kB", done / 1e3, total / 1e3)
                          : fmt::format("importerar {:.1f} / {:.1f} MB", done / 1e6, total / 1e6);
    std::cerr << fmt::format("\r[{}{}] {:3}%  {:<32}", std::string(filled, '#'),
                             std::string(kWidth - filled, ' '), percent, what)
              << std::flush;
    drawn_ = true;
  }
  ~FetchBar() {
    if (drawn_) std::cerr << "\n";
  }

 private:
  int last_percent_ = -1;
  std::string stage_;
  bool drawn_ = false;
};

// "a,b" "c" → {a, b, c}, trimmed, empty parts dropped.
std::vector<std::string> SplitLists(const std::vector<std::string>& lists) {
  std::vector<std::string> out;
  for (const auto& list : lists) {
    std::size_t begin = 0;
    while (begin <= list.size()) {
      auto end = list.find(',', begin);
      if (end == std::string::npos) end = list.size();
      auto part = list.substr(begin, end - begin);
      part.erase(0, part.find_first_not_of(" \t"));
      part.erase(part.find_last_not_of(" \t") + 1);
      if (!part.empty()) out.push_back(part);
      begin = end + 1;
    }
  }
  return out;
}

// Runs `fetch` with a bar when standard error is a terminal, then prints the summary.
int RunFetch(const std::string& db, bool progress, bool dry_run, FetchProgress& hook,
             const std::function<Result<Json>(App&)>& fetch) {
  std::optional<FetchBar> bar;
  if (progress && isatty(STDERR_FILENO) != 0) {
    bar.emplace();
    hook = [&bar](std::string_view stage, std::uint64_t done, std::uint64_t total) {
      bar->Draw(stage, done, total);
    };
  }
  auto app = OpenApp(DatabaseConfig{db, false, true, 1});
  if (!app) return PrintError(app.error());
  auto report = fetch(**app);
  hook = nullptr;
  bar.reset();  // ends the bar's line before the summary
  if (!report) return PrintError(report.error());
  const auto& counts = report->at("observations");
  const auto& fetched = report->at("fetch");
  std::cout << fmt::format("{} {} answer{} ({} requests, {:.1f} kB){}: {}; {} indicators created",
                           dry_run ? "checked" : "imported", report->at("files").size(),
                           report->at("files").size() == 1 ? "" : "s",
                           fetched.at("requests").get<std::uint64_t>(),
                           static_cast<double>(fetched.at("bytes").get<std::uint64_t>()) / 1000.0,
                           dry_run ? " (dry run, nothing stored)" : "", ObservationCounts(counts),
                           report->at("indicators_created").size())
            << std::endl;
  return 0;
}

}  // namespace

int FetchKolada(KoladaFetchCommand command, const Caller& caller) {
  auto& options = command.options;
  options.kpis = SplitLists(command.kpis);
  options.municipalities = SplitLists(command.municipalities);
  if (options.kpis.empty()) {
    std::cerr << "halsonav: --kpi names no KPI\n";
    return kExitUsage;
  }
  return RunFetch(command.db, command.progress, options.dry_run, options.progress,
                  [&](App& app) { return halsonav::FetchKolada(app, options, caller); });
}

int FetchPxWeb(PxWebFetchCommand command, const Caller& caller) {
  auto& options = command.options;
  if (!command.query_file.empty()) {
    auto text = ReadWholeFile(command.query_file);
    if (!text) return PrintError(text.error());
    options.query = std::move(*text);
    options.query_name = command.query_file;
  }
  if (!command.mapping_file.empty()) {
    auto text = ReadWholeFile(command.mapping_file);
    if (!text) return PrintError(text.error());
    options.mapping = std::move(*text);
    options.mapping_name = command.mapping_file;
  }
  return RunFetch(command.db, command.progress, options.dry_run, options.progress,
                  [&](App& app) { return halsonav::FetchPxWeb(app, options, caller); });
}

}  // namespace halsonav::cli
