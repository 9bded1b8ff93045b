// Fetching statistics from Kolada's and PxWeb's APIs (docs/indicators.md): download everything,
// then import it in one transaction through App::ImportStats. Downloading first keeps the write
// transaction short (no network wait holds the database) and means a service failing halfway
// stores nothing.

#include "app/fetch.hpp"

#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "io/kolada_api.hpp"
#include "io/pxweb_api.hpp"
#include "net/http_client.hpp"

namespace halsonav {
namespace {

// Pages stop at this many per address: a service that never stops paging is a fault.
constexpr int kMaxPages = 10000;

net::HttpOptions HttpOptionsOf(const FetchNetwork& network) {
  net::HttpOptions options;
  options.connect_timeout_s = network.connect_timeout_s;
  options.read_timeout_s = network.read_timeout_s;
  options.retries = network.retries;
  options.first_backoff_s = network.first_backoff_s;
  options.max_wait_s = network.max_wait_s;
  return options;
}

// The fetched answers, each imported as one file of the import, named by where it came from.
struct Fetched {
  std::vector<std::string> names;
  std::vector<std::shared_ptr<std::string>> texts;
  std::uint64_t requests_known = 0;
  std::uint64_t requests_done = 0;

  void Add(std::string name, std::string text) {
    names.push_back(std::move(name));
    texts.push_back(std::make_shared<std::string>(std::move(text)));
  }

  std::vector<StatsFile> Files() const {
    std::vector<StatsFile> files;
    for (std::size_t idx = 0; idx < names.size(); ++idx) {
      auto text = texts[idx];
      // The import frees each text after reading it; a second load would find it empty, and
      // the importer loads each file once.
      files.push_back(StatsFile{names[idx], [text] { return std::move(*text); }, text->size()});
    }
    return files;
  }
};

Result<void> CheckCancelled(const FetchCancelled& cancelled) {
  if (!cancelled || !cancelled()) return {};
  return Fail(ErrorCode::kInterrupted, "the fetch was cancelled: nothing was stored");
}

void Report(const FetchProgress& progress, Fetched& fetched) {
  if (progress) progress("fetch", fetched.requests_done, fetched.requests_known);
}

// Imports the answers; the import's progress goes to `progress` as stage "import".
Result<Json> ImportFetched(App& app, const Fetched& fetched, StatsImportOptions options,
                           const FetchProgress& progress, const FetchCancelled& cancelled,
                           const Caller& caller) {
  if (auto ok = CheckCancelled(cancelled); !ok) return tl::unexpected(ok.error());
  options.cancelled = cancelled;
  if (progress) {
    // Said once before the import's transaction begins (a job records it in the database).
    std::uint64_t bytes = 0;
    for (const auto& text : fetched.texts) bytes += text->size();
    progress("import", 0, bytes);
    options.progress = [&progress](std::uint64_t done, std::uint64_t total) {
      progress("import", done, total);
    };
  }
  return app.ImportStats(fetched.Files(), options, caller);
}

// ---- Kolada ----------------------------------------------------------------------------------

// Every page from `url` on, following next_page; each page one file of the import.
Result<void> FetchKoladaPages(net::HttpClient& client, const std::string& url, Fetched& fetched,
                              const FetchProgress& progress, const FetchCancelled& cancelled) {
  std::set<std::string> seen;
  std::string next = url;
  for (int page = 0; !next.empty(); ++page) {
    if (auto ok = CheckCancelled(cancelled); !ok) return ok;
    if (page >= kMaxPages || !seen.insert(next).second) {
      return Fail(ErrorCode::kUpstream,
                  fmt::format("GET {}: the pages do not end (next_page {} again, or more than {} "
                              "pages)",
                              url, next, kMaxPages),
                  {{"url", next}});
    }
    auto text = client.GetJson(next);
    if (!text) return tl::unexpected(text.error());
    auto info = statsio::ReadKoladaPageInfo(*text, next);
    if (!info) {
      return Fail(ErrorCode::kUpstream, info.error().message, {{"url", next}});
    }
    ++fetched.requests_done;
    if (!info->next_page.empty()) ++fetched.requests_known;
    Report(progress, fetched);
    fetched.Add(next, std::move(*text));
    next = info->next_page;
  }
  return {};
}

// The Kolada ids to ask for: the listed ones, the registry's municipalities and/or regions, or
// (none of them) every area of the registry.
Result<std::vector<std::string>> KoladaAreas(App& app, const KoladaFetchOptions& options) {
  std::vector<std::string> areas = options.municipalities;
  std::vector<std::optional<AreaKind>> kinds;
  if (options.all_municipalities) kinds.emplace_back(AreaKind::kMunicipality);
  if (options.regions) kinds.emplace_back(AreaKind::kRegion);
  if (areas.empty() && kinds.empty()) kinds.emplace_back(std::nullopt);
  for (const auto& kind : kinds) {
    AreaFilter filter;
    filter.kind = kind;
    auto listed = app.ListAreas(filter, PageRequest{1000000, 0});
    if (!listed) return tl::unexpected(listed.error());
    for (const auto& area : listed->at("items")) {
      const auto code = area.at("code").get<std::string>();
      if (!kind && area.at("kind") == "other") continue;  // the user's own areas are not Kolada's
      areas.push_back(code);
    }
  }
  if (areas.empty()) {
    return Fail(ErrorCode::kInvalidValue,
                "the area registry is empty: import it first (`halsonav import areas`), or name "
                "the municipalities");
  }
  return areas;
}

// The service's limits (v2 /config, v1 ?config), set on the client as its call rate; `from`
// says where they came from. A v1 service without `?config` (404) keeps PxWeb's defaults; any
// other failure is the fetch's.
Result<statsio::PxWebLimits> PxWebLimitsOf(net::HttpClient& client,
                                           const statsio::PxWebAddress& address,
                                           std::string& from) {
  statsio::PxWebLimits limits;
  client.SetRateLimit(limits.max_calls, limits.window_s);
  if (address.config_url.empty()) return limits;
  auto config = client.GetJson(address.config_url);
  if (config) {
    auto read = statsio::ReadPxWebConfig(address.version, *config, address.config_url);
    if (!read) return Fail(ErrorCode::kUpstream, read.error().message);
    limits = *read;
    from = address.config_url;
  } else if (config.error().details.value("status", 0) != 404 ||
             address.version != statsio::PxWebVersion::kV1) {
    return tl::unexpected(config.error());
  }
  client.SetRateLimit(limits.max_calls, limits.window_s);
  return limits;
}

}  // namespace

Result<Json> FetchKolada(App& app, const KoladaFetchOptions& options, const Caller& caller) {
  if (options.kpis.empty()) return Fail(ErrorCode::kInvalidValue, "no KPI to fetch");
  std::pair<int, int> years{0, 0};
  if (!options.years.empty()) {
    auto parsed = statsio::ParseYearRange(options.years);
    if (!parsed) return tl::unexpected(parsed.error());
    years = *parsed;
  }
  auto areas = KoladaAreas(app, options);
  if (!areas) return tl::unexpected(areas.error());
  std::string base = options.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  net::HttpClient client(HttpOptionsOf(options.network));

  const auto kpi_urls = statsio::KoladaKpiUrls(base, options.kpis);
  const auto data_urls = statsio::KoladaDataUrls(
      base, statsio::KoladaRequest{options.kpis, *areas, years.first, years.second});
  Fetched fetched;
  fetched.requests_known = kpi_urls.size() + data_urls.size();
  Report(options.progress, fetched);

  // The definitions first: a KPI Kolada does not know stops the fetch before its data.
  std::vector<Indicator> definitions;
  for (const auto& url : kpi_urls) {
    Fetched pages;
    if (auto ok = FetchKoladaPages(client, url, pages, nullptr, options.cancelled); !ok)
      return tl::unexpected(ok.error());
    fetched.requests_done += pages.requests_done;
    fetched.requests_known += pages.requests_done - 1;
    Report(options.progress, fetched);
    for (std::size_t idx = 0; idx < pages.names.size(); ++idx) {
      auto read = statsio::ReadKoladaKpiAnswer(*pages.texts[idx], pages.names[idx]);
      if (!read) return tl::unexpected(read.error());
      definitions.insert(definitions.end(), read->begin(), read->end());
    }
  }
  std::vector<std::string> unknown;
  for (const auto& kpi : options.kpis) {
    if (std::none_of(definitions.begin(), definitions.end(),
                     [&](const Indicator& found) { return found.code == kpi; })) {
      unknown.push_back(kpi);
    }
  }
  if (!unknown.empty()) {
    return Fail(ErrorCode::kInvalidValue,
                fmt::format("Kolada ({}) has no KPI {}", base, fmt::join(unknown, ", ")),
                {{"unknown_kpis", unknown}});
  }

  for (const auto& url : data_urls) {
    if (auto ok = FetchKoladaPages(client, url, fetched, options.progress, options.cancelled); !ok)
      return tl::unexpected(ok.error());
  }
  StatsImportOptions import;
  import.format = StatsFormat::kKolada;
  import.dry_run = options.dry_run;
  import.definitions = std::move(definitions);
  import.definitions_name = kpi_urls.front();
  auto report =
      ImportFetched(app, fetched, std::move(import), options.progress, options.cancelled, caller);
  if (!report) return report;
  (*report)["fetch"] = {{"requests", client.Requests()},
                        {"bytes", client.BytesReceived()},
                        {"pages", fetched.names.size()},
                        {"urls", data_urls}};
  return report;
}

Result<Json> FetchPxWeb(App& app, const PxWebFetchOptions& options, const Caller& caller) {
  auto address = statsio::ParsePxWebAddress(options.table_url);
  if (!address) return tl::unexpected(address.error());
  const bool v1 = address->version == statsio::PxWebVersion::kV1;
  net::HttpClient client(HttpOptionsOf(options.network));
  std::string limits_from = "default";
  auto limits = PxWebLimitsOf(client, *address, limits_from);
  if (!limits) return tl::unexpected(limits.error());

  auto metadata_text = client.GetJson(address->metadata_url);
  if (!metadata_text) return tl::unexpected(metadata_text.error());
  auto table = statsio::ReadPxWebMetadata(address->version, *metadata_text, address->metadata_url);
  if (!table) return Fail(ErrorCode::kUpstream, table.error().message);

  std::vector<statsio::PxWebSelection> selections;
  if (!options.query.empty()) {
    auto read = statsio::ReadPxWebQueryFile(options.query, options.query_name);
    if (!read) return tl::unexpected(read.error());
    selections = std::move(*read);
  }
  for (const auto& text : options.selects) {
    auto select = statsio::ParsePxWebSelect(text);
    if (!select) return tl::unexpected(select.error());
    // --select wins over the query file for the same variable.
    std::erase_if(selections, [&](const auto& s) { return s.code == select->code; });
    selections.push_back(std::move(*select));
  }
  auto query = statsio::BuildPxWebQuery(*table, selections);
  if (!query) {
    auto error = query.error();
    error.message = fmt::format("{}: {}", address->metadata_url, error.message);
    return tl::unexpected(error);
  }
  const auto pieces = statsio::SplitPxWebQuery(*query, limits->max_cells);

  Fetched fetched;
  fetched.requests_known = pieces.size();
  Report(options.progress, fetched);
  for (std::size_t idx = 0; idx < pieces.size(); ++idx) {
    if (auto ok = CheckCancelled(options.cancelled); !ok) return tl::unexpected(ok.error());
    const auto& piece = pieces[idx];
    const auto url = v1 ? address->data_url : statsio::PxWebV2DataUrl(*address, piece);
    auto text = v1 ? client.PostJson(url, statsio::PxWebV1Body(piece)) : client.GetJson(url);
    if (!text) return tl::unexpected(text.error());
    ++fetched.requests_done;
    Report(options.progress, fetched);
    fetched.Add(pieces.size() == 1
                    ? address->data_url
                    : fmt::format("{} (part {} of {})", address->data_url, idx + 1, pieces.size()),
                std::move(*text));
  }
  StatsImportOptions import;
  import.format = StatsFormat::kJsonStat;
  import.dry_run = options.dry_run;
  import.create_areas = options.create_areas;
  import.area = options.area;
  import.mapping = options.mapping;
  import.mapping_name = options.mapping_name;
  auto report =
      ImportFetched(app, fetched, std::move(import), options.progress, options.cancelled, caller);
  if (!report) return report;
  (*report)["fetch"] = {
      {"version", v1 ? "v1" : "v2"},         {"table", address->table_id},
      {"requests", client.Requests()},       {"bytes", client.BytesReceived()},
      {"cells", statsio::CellCount(*query)}, {"pieces", pieces.size()},
      {"max_cells", limits->max_cells},      {"calls_per_window", limits->max_calls},
      {"window_s", limits->window_s},        {"limits_from", limits_from}};
  return report;
}

}  // namespace halsonav
