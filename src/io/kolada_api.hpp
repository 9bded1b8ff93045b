#pragma once

// Kolada's API v3 as a fetch sees it (docs/indicators.md, "Kolada's API"): the URLs of a data
// request and of the KPIs' metadata, the paging links of an answer, and the metadata answer read
// into indicator definitions. Pure: no network, no storage (the app fetches and imports).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/statistics.hpp"

namespace halsonav::statsio {

// What to fetch. Empty `areas`: every area Kolada has for the KPIs; years 0: every year.
struct KoladaRequest {
  std::vector<std::string> kpis;   // "N00945"
  std::vector<std::string> areas;  // Kolada's ids: "0180", "0001" (regions), "0000" (Riket)
  int from_year = 0;
  int to_year = 0;
};

// How long lists are cut: Kolada answers up to 5,000 values a page, and addresses of a few
// thousand characters pass every proxy.
inline constexpr std::size_t kKoladaKpisPerUrl = 20;
inline constexpr std::size_t kKoladaAreasPerUrl = 100;
inline constexpr int kKoladaPageSize = 5000;

// `{base}/v3/data/kpi/{kpis}/municipality/{areas}/year/{years}?per_page=5000`, one URL per
// slice of at most kKoladaKpisPerUrl KPIs × kKoladaAreasPerUrl areas (all years in each); the
// municipality and year parts are left out when the request names none. `base` without a
// trailing slash ("https://api.kolada.se").
std::vector<std::string> KoladaDataUrls(std::string_view base, const KoladaRequest& request);

// `{base}/v3/kpi/{ids}?per_page=5000`, one URL per kKoladaKpisPerUrl KPIs.
std::vector<std::string> KoladaKpiUrls(std::string_view base, const std::vector<std::string>& kpis);

// The paging of one answer: `next_page` (empty when null or absent) and the number of items in
// `values`. kInvalidValue (naming `name`, line and column) when the text is not a JSON object
// with a `values` array.
struct KoladaPageInfo {
  std::string next_page;
  std::uint64_t items = 0;
};
Result<KoladaPageInfo> ReadKoladaPageInfo(std::string_view text, std::string_view name);

// The KPIs of a /v3/kpi answer (`{"values": [{id, title, description, is_divided_by_gender,
// operating_area, …}]}`) as the catalogue reader makes them (ReadKoladaCatalogue: unit and value
// type from the title, sex dimension when divided by gender). Problems as "NAME#/values/3/id".
Result<std::vector<Indicator>> ReadKoladaKpiAnswer(std::string_view text, std::string_view name);

// "2010-2024" or "2020" → {from, to}; kInvalidValue otherwise (years 1900–2100, from ≤ to).
Result<std::pair<int, int>> ParseYearRange(std::string_view text);

}  // namespace halsonav::statsio
