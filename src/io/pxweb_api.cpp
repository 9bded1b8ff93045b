#include "io/pxweb_api.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "core/json_codec.hpp"
#include "io/problems.hpp"

namespace halsonav::statsio {
namespace {

// Percent-encodes a query value (RFC 3986 unreserved characters stay).
std::string Encode(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t begin = 0;
  while (begin < path.size()) {
    auto end = path.find('/', begin);
    if (end == std::string_view::npos) end = path.size();
    if (end > begin) out.push_back(path.substr(begin, end - begin));
    begin = end + 1;
  }
  return out;
}

bool IsLanguage(std::string_view segment) {
  return segment.size() == 2 && std::islower(static_cast<unsigned char>(segment[0])) != 0 &&
         std::islower(static_cast<unsigned char>(segment[1])) != 0;
}

tl::unexpected<Error> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidValue, std::move(message));
}

// The codes of a JSON-stat category index (an array, or an object of code → position).
std::vector<std::string> IndexCodes(const Json& index) {
  std::vector<std::string> codes;
  if (index.is_array()) {
    for (const auto& code : index) {
      if (code.is_string()) codes.push_back(code.get<std::string>());
    }
  } else if (index.is_object()) {
    codes.resize(index.size());
    for (const auto& [code, position] : index.items()) {
      if (!position.is_number_unsigned() || position.get<std::size_t>() >= codes.size()) return {};
      codes[position.get<std::size_t>()] = code;
    }
  }
  return codes;
}

Result<PxWebTable> ReadV1(const Json& root, std::string_view name) {
  PxWebTable table;
  table.title = root.value("title", "");
  const auto variables = root.find("variables");
  if (variables == root.end() || !variables->is_array()) {
    return Invalid(fmt::format("{}: not PxWeb table metadata (no \"variables\" array)", name));
  }
  for (std::size_t idx = 0; idx < variables->size(); ++idx) {
    const auto& entry = (*variables)[idx];
    const auto values = entry.find("values");
    if (!entry.is_object() || !entry.contains("code") || !entry["code"].is_string() ||
        values == entry.end() || !values->is_array()) {
      return Invalid(
          fmt::format("{}#/variables/{}: a variable has a \"code\" and \"values\"", name, idx));
    }
    PxWebVariable variable;
    variable.code = entry["code"].get<std::string>();
    variable.text = entry.value("text", variable.code);
    for (const auto& value : *values) {
      if (!value.is_string()) {
        return Invalid(fmt::format("{}#/variables/{}/values: codes are strings", name, idx));
      }
      variable.values.push_back(value.get<std::string>());
    }
    variable.elimination = entry.value("elimination", false);
    variable.time = entry.value("time", false);
    table.variables.push_back(std::move(variable));
  }
  return table;
}

Result<PxWebTable> ReadV2(const Json& root, std::string_view name) {
  PxWebTable table;
  table.title = root.value("label", "");
  const auto ids = root.find("id");
  const auto dimensions = root.find("dimension");
  if (ids == root.end() || !ids->is_array() || dimensions == root.end() ||
      !dimensions->is_object()) {
    return Invalid(fmt::format(
        "{}: not PxWeb v2 table metadata (a JSON-stat dataset with \"id\" and \"dimension\")",
        name));
  }
  std::set<std::string> time_roles;
  if (const auto role = root.find("role"); role != root.end() && role->is_object()) {
    for (const auto& code : role->value("time", Json::array())) {
      if (code.is_string()) time_roles.insert(code.get<std::string>());
    }
  }
  for (const auto& id : *ids) {
    const auto code = id.is_string() ? id.get<std::string>() : std::string();
    const auto dimension = dimensions->find(code);
    if (dimension == dimensions->end() || !dimension->is_object()) {
      return Invalid(fmt::format("{}#/dimension: no dimension \"{}\"", name, code));
    }
    PxWebVariable variable;
    variable.code = code;
    variable.text = dimension->value("label", code);
    const auto category = dimension->find("category");
    if (category != dimension->end() && category->is_object() && category->contains("index")) {
      variable.values = IndexCodes((*category)["index"]);
    }
    if (variable.values.empty()) {
      return Invalid(fmt::format("{}#/dimension/{}/category/index: no codes", name, code));
    }
    if (const auto extension = dimension->find("extension");
        extension != dimension->end() && extension->is_object()) {
      variable.elimination = extension->value("elimination", false);
      if (const auto total = extension->find("eliminationValueCode");
          total != extension->end() && total->is_string()) {
        variable.elimination_value = total->get<std::string>();
      }
    }
    variable.time = time_roles.contains(code);
    table.variables.push_back(std::move(variable));
  }
  return table;
}

// The values a v1 query-file selection stands for; a problem when its filter is not read.
std::optional<std::vector<std::string>> FilterValues(const Json& selection, std::string& problem) {
  const auto filter = selection.value("filter", "item");
  const auto values = selection.value("values", Json::array());
  std::vector<std::string> codes;
  for (const auto& value : values) {
    if (value.is_string()) codes.push_back(value.get<std::string>());
  }
  if (filter == "item") return codes;
  if (filter == "all" && codes.size() == 1 && codes.front() == "*") return codes;
  if (filter == "top" && codes.size() == 1) {
    return std::vector<std::string>{fmt::format("top:{}", codes.front())};
  }
  problem = fmt::format(
      "filter \"{}\" is not read (value sets and aggregations change the codes): select the "
      "codes with \"item\"",
      filter);
  return std::nullopt;
}

}  // namespace

Result<PxWebAddress> ParsePxWebAddress(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos ||
      (url.substr(0, scheme) != "http" && url.substr(0, scheme) != "https")) {
    return Invalid(fmt::format("\"{}\" is not an http:// or https:// address", url));
  }
  const auto path_begin = url.find('/', scheme + 3);
  if (path_begin == std::string_view::npos) {
    return Invalid(fmt::format("\"{}\" names no table", url));
  }
  const auto origin = url.substr(0, path_begin);
  const auto query_begin = url.find('?', path_begin);
  const auto path = url.substr(path_begin, query_begin - path_begin);
  const auto query = query_begin == std::string_view::npos ? "" : url.substr(query_begin + 1);
  const auto segments = Segments(path);
  PxWebAddress address;
  const auto tables = std::find(segments.begin(), segments.end(), "tables");
  const bool v2_api = std::any_of(segments.begin(), segments.end(), [](std::string_view s) {
    return s == "v2" || s.starts_with("v2beta");
  });
  if (v2_api && tables != segments.end() && tables + 1 != segments.end()) {
    address.version = PxWebVersion::kV2;
    address.table_id = std::string(*(tables + 1));
    std::string api(origin);
    for (auto segment = segments.begin(); segment != tables; ++segment) {
      api += fmt::format("/{}", *segment);
    }
    std::size_t lang = query.find("lang=");
    while (lang != std::string_view::npos && lang > 0 && query[lang - 1] != '&') {
      lang = query.find("lang=", lang + 1);
    }
    if (lang != std::string_view::npos) {
      address.language = std::string(query.substr(lang + 5, query.find('&', lang) - lang - 5));
    }
    const auto lang_part =
        address.language.empty() ? std::string() : fmt::format("lang={}", Encode(address.language));
    const auto table = fmt::format("{}/tables/{}", api, Encode(address.table_id));
    address.metadata_url =
        fmt::format("{}/metadata{}{}", table, lang_part.empty() ? "" : "?", lang_part);
    address.data_url = table + "/data";
    address.config_url = api + "/config";
    return address;
  }
  if (segments.empty()) return Invalid(fmt::format("\"{}\" names no table", url));
  address.table_id = std::string(segments.back());
  address.metadata_url = std::string(url);
  address.data_url = std::string(url);
  // The v1 root ends at the language after "v1" (SCB: /OV0104/v1/doris/sv, Folkhälsodata:
  // /PXWeb/api/v1/sv); its "?config" tells the limits.
  const auto v1 = std::find(segments.begin(), segments.end(), "v1");
  for (auto segment = v1; v1 != segments.end() && segment != segments.end(); ++segment) {
    if (segment != v1 && IsLanguage(*segment)) {
      std::string root(origin);
      for (auto part = segments.begin(); part != segment + 1; ++part)
        root += fmt::format("/{}", *part);
      address.config_url = root + "/?config";
      break;
    }
  }
  return address;
}

Result<PxWebTable> ReadPxWebMetadata(PxWebVersion version, std::string_view text,
                                     std::string_view name) {
  auto root = ParseJson(text);
  if (!root) return Invalid(fmt::format("{}: not JSON: {}", name, root.error().message));
  if (!root->is_object()) return Invalid(fmt::format("{}: not a JSON object", name));
  auto table = version == PxWebVersion::kV1 ? ReadV1(*root, name) : ReadV2(*root, name);
  if (table && table->variables.empty()) {
    return Invalid(fmt::format("{}: the table has no variables", name));
  }
  return table;
}

Result<PxWebLimits> ReadPxWebConfig(PxWebVersion version, std::string_view text,
                                    std::string_view name) {
  auto root = ParseJson(text);
  if (!root || !root->is_object()) {
    return Invalid(fmt::format("{}: not a PxWeb configuration (a JSON object)", name));
  }
  PxWebLimits limits;
  const auto positive = [&](const char* field, auto& out) {
    const auto found = root->find(field);
    if (found != root->end() && found->is_number() && found->template get<double>() > 0) {
      out = found->template get<std::remove_reference_t<decltype(out)>>();
    }
  };
  positive(version == PxWebVersion::kV1 ? "maxValues" : "maxDataCells", limits.max_cells);
  positive(version == PxWebVersion::kV1 ? "maxCalls" : "maxCallsPerTimeWindow", limits.max_calls);
  positive("timeWindow", limits.window_s);
  return limits;
}

Result<PxWebSelection> ParsePxWebSelect(std::string_view text) {
  const auto equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0 || equals + 1 == text.size()) {
    return Invalid(fmt::format("--select \"{}\" is not VARIABLE=CODE,CODE…", text));
  }
  PxWebSelection selection{std::string(text.substr(0, equals)), {}};
  for (std::size_t begin = equals + 1; begin <= text.size();) {
    auto end = text.find(',', begin);
    if (end == std::string_view::npos) end = text.size();
    if (end > begin) selection.values.emplace_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  if (selection.values.empty()) {
    return Invalid(fmt::format("--select \"{}\" names no code", text));
  }
  return selection;
}

Result<std::vector<PxWebSelection>> ReadPxWebQueryFile(std::string_view text,
                                                       std::string_view name) {
  auto root = ParseJson(text);
  if (!root) return Invalid(fmt::format("{}: {}", name, root.error().message));
  std::vector<PxWebSelection> selections;
  std::vector<Problem> problems;
  if (root->is_object() && root->contains("query") && (*root)["query"].is_array()) {
    const auto& query = (*root)["query"];
    for (std::size_t idx = 0; idx < query.size(); ++idx) {
      const auto& entry = query[idx];
      const auto where = fmt::format("{}#/query/{}", name, idx);
      if (!entry.is_object() || !entry.contains("code") || !entry["code"].is_string()) {
        problems.push_back({where, "each entry has a \"code\" and a \"selection\""});
        continue;
      }
      std::string problem;
      auto values = FilterValues(entry.value("selection", Json::object()), problem);
      if (!values) {
        problems.push_back({where + "/selection/filter", problem});
        continue;
      }
      selections.push_back({entry["code"].get<std::string>(), std::move(*values)});
    }
  } else if (root->is_object() && root->contains("selection") && (*root)["selection"].is_array()) {
    const auto& selection = (*root)["selection"];
    for (std::size_t idx = 0; idx < selection.size(); ++idx) {
      const auto& entry = selection[idx];
      if (!entry.is_object() || !entry.contains("variableCode") ||
          !entry["variableCode"].is_string()) {
        problems.push_back({fmt::format("{}#/selection/{}", name, idx),
                            "each entry has a \"variableCode\" and \"valueCodes\""});
        continue;
      }
      PxWebSelection item{entry["variableCode"].get<std::string>(), {}};
      for (const auto& code : entry.value("valueCodes", Json::array())) {
        if (code.is_string()) item.values.push_back(code.get<std::string>());
      }
      selections.push_back(std::move(item));
    }
  } else {
    return Invalid(fmt::format(
        "{}: not a PxWeb query (v1 {{\"query\": […]}} or v2 {{\"selection\": […]}})", name));
  }
  if (!problems.empty()) return ProblemsError(problems, name);
  return selections;
}

Result<PxWebQuery> BuildPxWebQuery(const PxWebTable& table,
                                   const std::vector<PxWebSelection>& selections) {
  std::vector<Problem> problems;
  std::map<std::string, const PxWebSelection*> chosen;
  for (const auto& selection : selections) {
    const bool known = std::any_of(table.variables.begin(), table.variables.end(),
                                   [&](const auto& v) { return v.code == selection.code; });
    if (!known) {
      std::string codes;
      for (const auto& variable : table.variables)
        codes += fmt::format("{}{}", codes.empty() ? "" : ", ", variable.code);
      problems.push_back(
          {selection.code,
           fmt::format("the table has no variable \"{}\" (it has: {})", selection.code, codes)});
    } else if (!chosen.emplace(selection.code, &selection).second) {
      problems.push_back({selection.code, fmt::format("\"{}\" is selected twice", selection.code)});
    }
  }
  PxWebQuery query;
  for (const auto& variable : table.variables) {
    const auto found = chosen.find(variable.code);
    if (found == chosen.end()) {
      if (!variable.elimination) query.variables.push_back({variable.code, variable.values});
      continue;
    }
    const auto& values = found->second->values;
    PxWebSelection item{variable.code, {}};
    if (values.size() == 1 && values.front() == "*") {
      item.values = variable.values;
    } else if (values.size() == 1 && values.front().starts_with("top:")) {
      const auto count = std::strtoul(values.front().c_str() + 4, nullptr, 10);
      if (count == 0 || count > variable.values.size()) {
        problems.push_back(
            {variable.code,
             fmt::format("top {} of {} values", values.front().substr(4), variable.values.size())});
        continue;
      }
      // PxWeb's "top" is the latest values of time, the first ones of anything else.
      const auto begin = variable.time ? variable.values.end() - static_cast<long>(count)
                                       : variable.values.begin();
      item.values.assign(begin, begin + static_cast<long>(count));
    } else {
      std::set<std::string> seen;
      for (const auto& code : values) {
        if (std::find(variable.values.begin(), variable.values.end(), code) ==
            variable.values.end()) {
          problems.push_back(
              {variable.code,
               fmt::format("\"{}\" has no code \"{}\" (it has {}: {}…)", variable.code, code,
                           variable.values.size(), variable.values.front())});
        } else if (seen.insert(code).second) {
          item.values.push_back(code);
        }
      }
    }
    query.variables.push_back(std::move(item));
  }
  if (!problems.empty()) return ProblemsError(problems, "the selection");
  return query;
}

std::uint64_t CellCount(const PxWebQuery& query) {
  std::uint64_t cells = 1;
  for (const auto& variable : query.variables) cells *= variable.values.size();
  return cells;
}

std::vector<PxWebQuery> SplitPxWebQuery(const PxWebQuery& query, std::uint64_t max_cells) {
  const auto cells = CellCount(query);
  if (cells <= max_cells || max_cells == 0 || cells == 0) return {query};
  // Cut the variable with the most values (the first of equals).
  std::size_t widest = 0;
  for (std::size_t idx = 1; idx < query.variables.size(); ++idx) {
    if (query.variables[idx].values.size() > query.variables[widest].values.size()) widest = idx;
  }
  const auto& values = query.variables[widest].values;
  const auto rest = cells / values.size();  // cells of one value of the widest variable
  const std::size_t run = rest >= max_cells ? 1 : static_cast<std::size_t>(max_cells / rest);
  std::vector<PxWebQuery> pieces;
  for (std::size_t begin = 0; begin < values.size(); begin += run) {
    PxWebQuery piece = query;
    piece.variables[widest].values.assign(
        values.begin() + static_cast<long>(begin),
        values.begin() + static_cast<long>(std::min(begin + run, values.size())));
    for (auto& part : SplitPxWebQuery(piece, max_cells)) pieces.push_back(std::move(part));
  }
  return pieces;
}

std::string PxWebV1Body(const PxWebQuery& query) {
  Json variables = Json::array();
  for (const auto& variable : query.variables) {
    variables.push_back({{"code", variable.code},
                         {"selection", {{"filter", "item"}, {"values", variable.values}}}});
  }
  return Json{{"query", variables}, {"response", {{"format", "json-stat2"}}}}.dump();
}

std::string PxWebV2DataUrl(const PxWebAddress& address, const PxWebQuery& query) {
  std::string url = address.data_url + "?outputFormat=json-stat2";
  if (!address.language.empty()) url += fmt::format("&lang={}", Encode(address.language));
  for (const auto& variable : query.variables) {
    std::string codes;
    for (const auto& code : variable.values) {
      if (!codes.empty()) codes += ',';
      codes += Encode(code);
    }
    url += fmt::format("&valueCodes%5B{}%5D={}", Encode(variable.code), codes);
  }
  return url;
}

}  // namespace halsonav::statsio
