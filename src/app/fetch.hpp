#pragma once

// Fetching statistics from the services analysts use (docs/indicators.md): Kolada's API and
// PxWeb's (v1 and v2). Each fetch downloads everything first (net/http_client), then imports it
// through the same importer as the files (App::ImportStats): one transaction, all or nothing.
// A service that cannot be reached or answers wrongly fails the fetch with kUpstream, naming the
// URL; nothing is stored. Safe to call from several threads (each fetch has its own client).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.hpp"

namespace halsonav {

// How patient a fetch is with the network.
struct FetchNetwork {
  double connect_timeout_s = 10;  // a connection not accepted in this time fails
  double read_timeout_s = 30;     // an answer that stops arriving for this long fails
  int retries = 4;                // further tries after 429 / 5xx (a dropped line: one)
  double first_backoff_s = 1;     // wait before the first retry, doubled for each next one
  double max_wait_s = 60;         // longest wait honoured (Retry-After beyond it fails at once)
};

// Progress: `stage` is "fetch" (done/total = requests answered / requests known so far, which
// grows as pages are found) or "import" (bytes of the answers imported / in all).
using FetchProgress =
    std::function<void(std::string_view stage, std::uint64_t done, std::uint64_t total)>;
// Asked before each request and each imported answer: true ends the fetch with kInterrupted,
// nothing stored (a request under way is not broken off: its time-out bounds the wait).
using FetchCancelled = std::function<bool()>;

struct KoladaFetchOptions {
  std::vector<std::string> kpis;            // "N00945"
  std::vector<std::string> municipalities;  // Kolada ids ("0180", "0001"); see `areas` below
  bool all_municipalities = false;          // the registry's 290 municipalities
  bool regions = false;                     // the registry's 21 regions
  std::string years;                        // "2010-2024", "2020"; empty: every year
  std::string base_url = "https://api.kolada.se";
  bool dry_run = false;  // fetch and check everything; store nothing
  FetchNetwork network;
  FetchProgress progress;
  FetchCancelled cancelled;
};

// `GET {base}/v3/kpi/{ids}` for the KPIs' definitions, then `GET {base}/v3/data/kpi/…` following
// `next_page`, then one import of every page with the definitions (format "kolada"). With none of
// municipalities, all_municipalities and regions: every area of the registry (Riket, regions and
// municipalities). kInvalidValue for a KPI Kolada does not know, or areas when the registry is
// empty. Report: ImportStats's, with "definitions" and "fetch": {"requests", "bytes", "pages",
// "urls"}.
Result<Json> FetchKolada(App& app, const KoladaFetchOptions& options, const Caller& caller);

struct PxWebFetchOptions {
  std::string table_url;             // v1: the table's address; v2: …/api/v2/tables/{id}
  std::vector<std::string> selects;  // "Kon=1,2" ("*": every value)
  std::string query;                 // a query file's text (PxWeb v1 or v2 body); may be empty
  std::string query_name = "query";
  std::string mapping;  // JSON-stat mapping file (docs/jsonstat.md); may be empty
  std::string mapping_name = "mapping";
  std::string area = "0000";  // the area of answers without a geo dimension
  bool create_areas = false;
  bool dry_run = false;
  FetchNetwork network;
  FetchProgress progress;
  FetchCancelled cancelled;
};

// The limits (v1 `?config`, v2 `/config`; PxWeb's defaults when a v1 service has none), the
// table's metadata, the query (--query, then --select; a variable left unselected: its total when
// the table allows eliminating it, else every value), split to the service's cell limit and sent
// at no more than its call rate; every JSON-stat 2.0 answer imported as one import (format
// "jsonstat"). Report: ImportStats's, with "fetch": {"version", "requests", "bytes", "cells",
// "pieces", "max_cells", "calls_per_window", "window_s"}.
Result<Json> FetchPxWeb(App& app, const PxWebFetchOptions& options, const Caller& caller);

// The options of a fetch job's body (App::StartFetch; docs/api.md, "Fetches"), read strictly:
// kUnknownField, kWrongType, kMissingField, kInvalidValue naming the field.
Result<KoladaFetchOptions> KoladaFetchOptionsOf(const Json& body);
Result<PxWebFetchOptions> PxWebFetchOptionsOf(const Json& body);

}  // namespace halsonav
