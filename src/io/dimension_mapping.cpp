#include "io/dimension_mapping.hpp"

// The mapping file is JSON, read with the JSON-stat reader's walker (io/jsonstat_walk.hpp) so
// that its problems carry JSON pointers as the data's do.

#include <array>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "io/jsonstat_walk.hpp"

namespace halsonav::statsio {

std::optional<double ObservationDraft::*> PartField(std::string_view name) {
  if (name == "value") return &ObservationDraft::value;
  if (name == "ci_low") return &ObservationDraft::ci_low;
  if (name == "ci_high") return &ObservationDraft::ci_high;
  if (name == "numerator") return &ObservationDraft::numerator;
  if (name == "denominator") return &ObservationDraft::denominator;
  if (name == "respondents") return &ObservationDraft::respondents;
  return std::nullopt;
}

namespace {

using namespace jsonstat;  // NOLINT(google-build-using-namespace): the walker's vocabulary

// Reads one string into `out`; false when the walk must stop.
bool ReadText(od::value value, const std::string& at, Problems& problems, std::string& out) {
  auto read = ReadString(value, at, problems, "this");
  if (read) out = std::move(*read);
  return !problems.fatal;
}

bool ReadRole(od::value value, const std::string& at, Problems& problems, DimensionMapping& dim) {
  std::string name;
  if (!ReadText(value, at, problems, name)) return false;
  static constexpr std::array<std::pair<std::string_view, DimensionRole>, 6> kRoles{{
      {"time", DimensionRole::kTime},
      {"geo", DimensionRole::kGeo},
      {"metric", DimensionRole::kMetric},
      {"parts", DimensionRole::kParts},
      {"breakdown", DimensionRole::kBreakdown},
      {"ignore", DimensionRole::kIgnore},
  }};
  for (const auto& [role_name, role] : kRoles) {
    if (role_name == name) dim.role = role;
  }
  if (!dim.role) {
    problems.Add(at, fmt::format("\"{}\" is not a role (time, geo, metric, parts, breakdown, "
                                 "ignore)",
                                 name));
  }
  return true;
}

bool ReadPer(od::value item, const std::string& at, Problems& problems, double& per) {
  od::json_type type;
  if (auto error = item.type().get(type)) return problems.Json(at, error);
  if (type != od::json_type::number) {
    problems.Add(at, "per must be a number");
    return Validate(item, at, problems);
  }
  if (auto error = item.get_double().get(per)) return problems.Json(at, error);
  if (!std::isfinite(per) || per < 0) problems.Add(at, "per must be a number from 0 up");
  return true;
}

bool ReadIndicator(od::value indicator, const std::string& at, Problems& problems,
                   MappedIndicator& named) {
  return ForEachField(indicator, at, problems, "an indicator",
                      [&](std::string_view name, od::value item, const std::string& item_at) {
                        if (name == "code") return ReadText(item, item_at, problems, named.code);
                        if (name == "title") return ReadText(item, item_at, problems, named.title);
                        if (name == "unit") return ReadText(item, item_at, problems, named.unit);
                        if (name == "value_type" || name == "direction") {
                          std::string word;
                          if (!ReadText(item, item_at, problems, word)) return false;
                          if (name == "value_type") {
                            named.value_type = ParseEnum<ValueType>(word);
                            if (!named.value_type) problems.Add(item_at, "not a value type");
                          } else {
                            named.direction = ParseEnum<Direction>(word);
                            if (!named.direction) problems.Add(item_at, "not a direction");
                          }
                          return true;
                        }
                        if (name == "per") return ReadPer(item, item_at, problems, named.per);
                        problems.Add(item_at, fmt::format("unknown key \"{}\"", name));
                        return Validate(item, item_at, problems);
                      });
}

bool ReadDimensionMapping(od::value value, const std::string& at, Problems& problems,
                          DimensionMapping& dim) {
  return ForEachField(
      value, at, problems, "a dimension's mapping",
      [&](std::string_view field, od::value field_value, const std::string& field_at) {
        if (field == "role") return ReadRole(field_value, field_at, problems, dim);
        if (field == "name") {
          if (!ReadText(field_value, field_at, problems, dim.name)) return false;
          bool identifier = !dim.name.empty();
          for (char c : dim.name) {
            identifier &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
          }
          if (!identifier) {
            problems.Add(field_at, "a breakdown name is a lower-case identifier (a-z, 0-9, _)");
          }
          return true;
        }
        if (field == "categories") {
          return ForEachField(
              field_value, field_at, problems, "categories",
              [&](std::string_view code, od::value category, const std::string& code_at) {
                std::string target;
                if (!ReadText(category, code_at, problems, target)) return false;
                dim.categories[std::string(code)] = std::move(target);
                return true;
              });
        }
        if (field == "indicators") {
          return ForEachField(
              field_value, field_at, problems, "indicators",
              [&](std::string_view code, od::value indicator, const std::string& code_at) {
                return ReadIndicator(indicator, code_at, problems,
                                     dim.indicators[std::string(code)]);
              });
        }
        problems.Add(field_at,
                     fmt::format("unknown key \"{}\" (role, name, categories, indicators)", field));
        return Validate(field_value, field_at, problems);
      });
}

bool ReadMappingRoot(od::value root, Problems& problems, JsonStatMapping& mapping) {
  return ForEachField(
      root, "", problems, "the mapping",
      [&](std::string_view key, od::value value, const std::string& at) {
        if (key == "table") return ReadText(value, at, problems, mapping.table);
        if (key == "area") return ReadText(value, at, problems, mapping.area);
        if (key == "period") {
          if (!ReadText(value, at, problems, mapping.period)) return false;
          if (!mapping.period.empty() && !ParsePeriod(mapping.period)) {
            problems.Add(at, fmt::format("\"{}\" is not a period", mapping.period));
          }
          return true;
        }
        if (key != "dimensions") {
          problems.Add(at,
                       fmt::format("unknown key \"{}\" (table, area, period, dimensions)", key));
          return Validate(value, at, problems);
        }
        return ForEachField(
            value, at, problems, "dimensions",
            [&](std::string_view id, od::value dim_value, const std::string& dim_at) {
              return ReadDimensionMapping(dim_value, dim_at, problems,
                                          mapping.dimensions[std::string(id)]);
            });
      });
}

}  // namespace

Result<JsonStatMapping> ReadJsonStatMapping(std::string_view text, std::string_view file_name) {
  JsonStatMapping mapping;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return mapping;
  Problems problems;
  const std::string what = fmt::format("the JSON-stat mapping {}", file_name);
  simdjson::padded_string padded(text.data(), text.size());
  od::parser parser;
  od::document doc;
  if (auto error = parser.iterate(padded).get(doc)) {
    problems.Json("", error);
    return ProblemsError(problems.list(), what);
  }
  od::value root;
  if (auto error = doc.get_value().get(root)) {
    problems.Json("", error);
    return ProblemsError(problems.list(), what);
  }
  ReadMappingRoot(root, problems, mapping);
  if (!problems.fatal) {
    const char* location = nullptr;
    if (!doc.current_location().get(location)) problems.Json("", simdjson::TAPE_ERROR);
  }
  if (!problems.empty()) return ProblemsError(problems.list(), what);
  for (const auto& [id, dim] : mapping.dimensions) {
    if (dim.role != DimensionRole::kParts) continue;
    for (const auto& [code, part] : dim.categories) {
      if (!PartField(part)) {
        problems.Add(fmt::format("/dimensions/{}/categories/{}", EscapePointerToken(id),
                                 EscapePointerToken(code)),
                     fmt::format("\"{}\" is not a part (value, ci_low, ci_high, numerator, "
                                 "denominator, respondents)",
                                 part));
      }
    }
  }
  if (!problems.empty()) return ProblemsError(problems.list(), what);
  return mapping;
}

}  // namespace halsonav::statsio
