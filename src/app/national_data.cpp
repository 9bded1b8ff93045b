// What `halsonav init` puts in every new database beyond the national framework (Kolada's area
// registry, municipality groups and KPI catalogue; the outlines of the municipalities and
// regions), and what `init --demo` adds: real demo statistics and the synthetic survey set. All
// through the same importers a user calls, from the files embedded in the binary
// (app/embedded_data.hpp).

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "app/access.hpp"
#include "app/app.hpp"
#include "app/embedded_data.hpp"

namespace halsonav {

namespace {

StatsFile InMemory(const EmbeddedFile& file) {
  return StatsFile{std::string(file.file_name),
                   [text = file.text]() -> Result<std::string> { return std::string(text); },
                   file.text.size()};
}

std::vector<StatsFile> InMemory(const std::vector<EmbeddedFile>& files) {
  std::vector<StatsFile> out;
  for (const auto& file : files) out.push_back(InMemory(file));
  return out;
}

// Prefixes an error of one step with what the step was, so that a failed init says where.
template <typename T>
Result<T> Step(std::string_view what, Result<T> result) {
  if (!result) {
    auto error = result.error();
    error.message = fmt::format("{}: {}", what, error.message);
    return tl::unexpected(std::move(error));
  }
  return result;
}

// A private directory for the synthetic files, removed when it goes out of scope.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    auto pattern = (std::filesystem::temp_directory_path() / "halsonav-demo-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Result<std::string> ReadFileText(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return Fail(ErrorCode::kInternal, fmt::format("{}: cannot read the synthetic file", path));
  }
  std::string text;
  char buffer[1 << 16];
  std::size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, read);
  std::fclose(file);
  return text;
}

std::vector<StatsFile> OnDisk(const Json& paths) {
  std::vector<StatsFile> out;
  for (const auto& path : paths) {
    const auto name = path.get<std::string>();
    std::error_code ignored;
    const auto size = std::filesystem::file_size(name, ignored);
    out.push_back(StatsFile{std::filesystem::path(name).filename().string(),
                            [name] { return ReadFileText(name); },
                            ignored ? 0 : static_cast<std::uint64_t>(size)});
  }
  return out;
}

// The demo's synthetic set: every municipality, as scripts/run has always made it.
struct {
  int municipalities = 290;
  int indicators = 20;
  int years = 10;
} constexpr kDemoSynthetic;

}  // namespace

Result<Json> App::LoadNationalData(const Caller& caller) {
  if (auto ok = access::RequireOperator(caller, "load the national data"); !ok) {
    return tl::unexpected(ok.error());
  }
  const auto& files = NationalData();
  Json report;
  auto areas =
      Step("the area registry", ImportAreas(files.areas.text, files.areas.file_name, caller));
  if (!areas) return areas;
  report["areas"] = std::move(*areas);
  auto groups = Step("the municipality groups",
                     ImportAreaGroups(files.area_groups.text, files.area_groups.file_name, caller));
  if (!groups) return groups;
  report["area_groups"] = std::move(*groups);
  auto catalogue = Step(
      "the KPI catalogue",
      ImportIndicatorCatalogue(files.kpi_catalogue.text, files.kpi_catalogue.file_name, caller));
  if (!catalogue) return catalogue;
  report["kpi_catalogue"] = std::move(*catalogue);
  // Municipalities by their four-digit code, regions by their county number.
  auto municipalities =
      Step("the municipalities' outlines",
           ImportGeometries({InMemory(files.municipality_outlines)}, {"id", false}, caller));
  if (!municipalities) return municipalities;
  auto regions = Step("the regions' outlines",
                      ImportGeometries({InMemory(files.region_outlines)}, {"l_id", false}, caller));
  if (!regions) return regions;
  report["outlines"] = municipalities->at("geometries").at("new").get<std::int64_t>() +
                       regions->at("geometries").at("new").get<std::int64_t>();
  return report;
}

Result<Json> App::LoadDemoStatistics(const Caller& caller) {
  if (auto ok = access::RequireOperator(caller, "load the demo statistics"); !ok) {
    return tl::unexpected(ok.error());
  }
  const auto& files = DemoStatistics();
  Json report;
  StatsImportOptions jsonstat;
  jsonstat.format = StatsFormat::kJsonStat;
  auto population =
      Step("SCB's population table", ImportStats(InMemory(files.jsonstat), jsonstat, caller));
  if (!population) return population;
  StatsImportOptions kolada;
  kolada.format = StatsFormat::kKolada;
  auto values = Step("Kolada's values", ImportStats(InMemory(files.kolada), kolada, caller));
  if (!values) return values;
  std::int64_t observations = 0;
  for (const auto* part : {&*population, &*values}) {
    observations += part->at("observations").at("new").get<std::int64_t>();
  }

  // The synthetic survey set by sex and education (titles say "syntetisk"): no real public file
  // here is split by education, and the equity view, the trend markers and the map need one.
  TemporaryDirectory directory;
  if (directory.path().empty()) {
    return Fail(ErrorCode::kInternal, "cannot create a temporary directory for the synthetic set");
  }
  auto synth = Step("the synthetic set",
                    WriteSyntheticData(kDemoSynthetic.municipalities, kDemoSynthetic.indicators,
                                       kDemoSynthetic.years, 1, directory.path()));
  if (!synth) return synth;
  const auto catalogue_path = synth->at("catalogue_file").get<std::string>();
  auto catalogue_text = ReadFileText(catalogue_path);
  if (!catalogue_text) return tl::unexpected(catalogue_text.error());
  auto catalogue = Step("the synthetic catalogue",
                        ImportIndicatorCatalogue(*catalogue_text, "kpi_catalogue.csv", caller));
  if (!catalogue) return catalogue;
  auto synthetic_kolada = Step("the synthetic Kolada files",
                               ImportStats(OnDisk(synth->at("kolada_files")), kolada, caller));
  if (!synthetic_kolada) return synthetic_kolada;
  auto mapping = ReadFileText(synth->at("mapping_file").get<std::string>());
  if (!mapping) return tl::unexpected(mapping.error());
  jsonstat.mapping = std::move(*mapping);
  auto synthetic_jsonstat =
      Step("the synthetic JSON-stat files",
           ImportStats(OnDisk(synth->at("jsonstat_files")), jsonstat, caller));
  if (!synthetic_jsonstat) return synthetic_jsonstat;
  std::int64_t synthetic = 0;
  for (const auto* part : {&*synthetic_kolada, &*synthetic_jsonstat}) {
    synthetic += part->at("observations").at("new").get<std::int64_t>();
  }
  report["observations"] = observations;
  report["synthetic_observations"] = synthetic;
  return report;
}

}  // namespace halsonav
