#pragma once

// Kolada (https://www.kolada.se): the API's data responses and the registry files that describe
// its areas, municipality groups and KPIs (docs/kolada-and-csv.md).

#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/statistics.hpp"
#include "io/stats_batch.hpp"

namespace halsonav::statsio {

// A Kolada API data response, v2 or v3 (`{"values": [{"kpi", "municipality", "period",
// "values": [{"gender", "count", "status", "value"}]}], "count", "next_page"/"next_url"…}`), or a
// JSON array of such responses (several pages in one file). Gender T/K/M becomes the total, women
// and men; a null value or a missing status becomes kObservationMissing. Each KPI id becomes an
// indicator with source kKolada (only the code is known from a data response).
// `count` (group members behind an unweighted group mean) is not kept. Status words map as
// docs/kolada-and-csv.md lists them; an unknown status word is a problem. Observations' origin is
// (item << 8) | inner, item counting items across all pages of the file.
// Every problem is collected (JSON pointers "FILE#/values/3/values/1", "FILE#/1/values/…" in a
// file of pages; FILE:LINE:COLUMN for syntax errors, truncation and invalid UTF-8); any problem
// fails the file (ProblemsError). Duplicate keys, a data response for organisational units
// (`ou`), non-finite or huge (beyond ±1e15) numbers, unknown genders and the same
// kpi × municipality × period × gender twice are problems. Never throws.
Result<StatsBatch> ReadKoladaData(std::string_view text, std::string_view file_name);

// The area list as Kolada's /municipality endpoint gives it, in CSV (`"id","title","type"`,
// type K municipality, L region or Riket "0000") or as the API's JSON response
// (`{"values": [{"id","title","type"}]}`). Problems as FILE:LINE:COLUMN or pointers.
Result<std::vector<Area>> ReadKoladaAreas(std::string_view text, std::string_view file_name);

// Municipality groups in long form (`group_id, group_title, member_id, member_title`), one
// AreaGroup per group id with source "kolada", members in file order.
Result<std::vector<AreaGroup>> ReadKoladaGroups(std::string_view text, std::string_view file_name);

// The KPI catalogue (`id, title, description, is_divided_by_gender, municipality_type, auspice,
// operating_area, perspective, …`). Each row becomes an Indicator with source kKolada; the unit
// and value type are read from the title's last comma-separated part ("…, kr/inv" ratio, "…,
// andel (%)" proportion, "…, antal" count, "…, antal/1000 inv" rate per 1000) as
// docs/kolada-and-csv.md describes; is_divided_by_gender gives dimensions {"sex"}; direction is
// kNone.
Result<std::vector<Indicator>> ReadKoladaCatalogue(std::string_view text,
                                                   std::string_view file_name);

}  // namespace halsonav::statsio
