#include "io/kolada_api.hpp"

#include <simdjson.h>

#include <charconv>

#include <fmt/format.h>

#include "core/json_codec.hpp"
#include "io/kolada.hpp"
#include "io/problems.hpp"

namespace halsonav::statsio {
namespace {

std::string Join(const std::vector<std::string>& parts, std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t idx = begin; idx < end; ++idx) {
    if (idx > begin) out += ',';
    out += parts[idx];
  }
  return out;
}

std::string YearList(int from, int to) {
  std::string out;
  for (int year = from; year <= to; ++year) {
    if (year > from) out += ',';
    out += std::to_string(year);
  }
  return out;
}

// A CSV cell, quoted, with quotes doubled.
std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::vector<std::string> KoladaDataUrls(std::string_view base, const KoladaRequest& request) {
  std::vector<std::string> urls;
  const std::string years =
      request.from_year > 0 ? fmt::format("/year/{}", YearList(request.from_year, request.to_year))
                            : std::string();
  for (std::size_t kpi = 0; kpi < request.kpis.size(); kpi += kKoladaKpisPerUrl) {
    const auto kpis =
        Join(request.kpis, kpi, std::min(kpi + kKoladaKpisPerUrl, request.kpis.size()));
    if (request.areas.empty()) {
      urls.push_back(
          fmt::format("{}/v3/data/kpi/{}{}?per_page={}", base, kpis, years, kKoladaPageSize));
      continue;
    }
    for (std::size_t area = 0; area < request.areas.size(); area += kKoladaAreasPerUrl) {
      const auto areas =
          Join(request.areas, area, std::min(area + kKoladaAreasPerUrl, request.areas.size()));
      urls.push_back(fmt::format("{}/v3/data/kpi/{}/municipality/{}{}?per_page={}", base, kpis,
                                 areas, years, kKoladaPageSize));
    }
  }
  return urls;
}

std::vector<std::string> KoladaKpiUrls(std::string_view base,
                                       const std::vector<std::string>& kpis) {
  std::vector<std::string> urls;
  for (std::size_t kpi = 0; kpi < kpis.size(); kpi += kKoladaKpisPerUrl) {
    urls.push_back(fmt::format("{}/v3/kpi/{}?per_page={}", base,
                               Join(kpis, kpi, std::min(kpi + kKoladaKpisPerUrl, kpis.size())),
                               kKoladaPageSize));
  }
  return urls;
}

Result<KoladaPageInfo> ReadKoladaPageInfo(std::string_view text, std::string_view name) {
  namespace od = simdjson::ondemand;
  const auto fail = [&](std::string_view what) {
    return Fail(ErrorCode::kInvalidValue, fmt::format("{}: not a Kolada answer: {}", name, what));
  };
  const simdjson::padded_string padded(text);
  od::parser parser;
  od::document document;
  if (auto error = parser.iterate(padded).get(document); error != simdjson::SUCCESS) {
    return fail(simdjson::error_message(error));
  }
  od::object object;
  if (auto error = document.get_object().get(object); error != simdjson::SUCCESS) {
    return fail(fmt::format("not a JSON object ({})", simdjson::error_message(error)));
  }
  KoladaPageInfo info;
  bool has_values = false;
  for (auto field : object) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key); error != simdjson::SUCCESS) {
      return fail(simdjson::error_message(error));
    }
    od::value value;
    if (auto error = field.value().get(value); error != simdjson::SUCCESS) {
      return fail(simdjson::error_message(error));
    }
    if (key == "next_page") {
      bool is_null = false;
      if (value.is_null().get(is_null) == simdjson::SUCCESS && is_null) continue;
      std::string_view next;
      if (auto error = value.get_string().get(next); error != simdjson::SUCCESS) {
        return fail(fmt::format("next_page is neither an address nor null ({})",
                                simdjson::error_message(error)));
      }
      info.next_page = std::string(next);
    } else if (key == "values") {
      od::array values;
      std::size_t count = 0;
      if (value.get_array().get(values) != simdjson::SUCCESS ||
          values.count_elements().get(count) != simdjson::SUCCESS) {
        return fail("\"values\" is not a whole array");
      }
      info.items = count;
      has_values = true;
    }
  }
  if (!has_values) return fail("no \"values\" array");
  return info;
}

Result<std::vector<Indicator>> ReadKoladaKpiAnswer(std::string_view text, std::string_view name) {
  auto parsed = ParseJson(text);
  if (!parsed) {
    return Fail(ErrorCode::kInvalidValue,
                fmt::format("{}: not a Kolada answer: {}", name, parsed.error().message));
  }
  const auto values = parsed->find("values");
  if (!parsed->is_object() || values == parsed->end() || !values->is_array()) {
    return Fail(ErrorCode::kInvalidValue,
                fmt::format("{}: not a Kolada KPI answer (no \"values\" array)", name));
  }
  // The catalogue reader holds the rules (units from titles, the sex dimension): the answer is
  // turned into its CSV, one row per KPI, after checking what the CSV could not say.
  std::vector<Problem> problems;
  std::string csv =
      "\"id\",\"title\",\"description\",\"is_divided_by_gender\",\"operating_area\"\n";
  for (std::size_t idx = 0; idx < values->size(); ++idx) {
    const auto& kpi = (*values)[idx];
    const auto where = fmt::format("{}#/values/{}", name, idx);
    if (!kpi.is_object()) {
      problems.push_back({where, "a KPI is an object"});
      continue;
    }
    const auto text_of = [&](const char* field) -> std::string {
      const auto found = kpi.find(field);
      if (found == kpi.end() || found->is_null()) return {};
      if (found->is_string()) return found->get<std::string>();
      problems.push_back({where + "/" + field, "not a string"});
      return {};
    };
    const auto id = text_of("id");
    const auto title = text_of("title");
    if (id.empty()) problems.push_back({where + "/id", "a KPI without an id"});
    std::string divided = "FALSE";
    if (const auto found = kpi.find("is_divided_by_gender"); found != kpi.end()) {
      if (found->is_boolean()) {
        divided = found->get<bool>() ? "TRUE" : "FALSE";
      } else if (found->is_number_integer()) {
        divided = found->get<std::int64_t>() != 0 ? "TRUE" : "FALSE";
      } else if (!found->is_null()) {
        problems.push_back({where + "/is_divided_by_gender", "neither true nor false"});
      }
    }
    csv += fmt::format("{},{},{},{},{}\n", Quoted(id), Quoted(title),
                       Quoted(text_of("description")), divided, Quoted(text_of("operating_area")));
  }
  if (!problems.empty()) return ProblemsError(problems, name);
  return ReadKoladaCatalogue(csv, name);
}

Result<std::pair<int, int>> ParseYearRange(std::string_view text) {
  const auto dash = text.find('-');
  const auto number = [](std::string_view part) -> int {
    int value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (error != std::errc() || end != part.data() + part.size()) return 0;
    return value >= 1900 && value <= 2100 ? value : 0;
  };
  const int from = number(text.substr(0, dash));
  const int to = dash == std::string_view::npos ? from : number(text.substr(dash + 1));
  if (from == 0 || to == 0 || from > to) {
    return Fail(ErrorCode::kInvalidValue,
                fmt::format("\"{}\" is not a year or a range of years (2010-2024)", text));
  }
  return std::pair{from, to};
}

}  // namespace halsonav::statsio
