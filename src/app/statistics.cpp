// Reading statistics: indicator search and definitions, observations and the area profile. Every
// observation leaves through ObservationJson, which blanks suppressed figures: the response says
// that a value was suppressed, never what it was.

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include <fmt/format.h>

#include "app/access.hpp"
#include "app/app.hpp"
#include "app/stats_support.hpp"
#include "stats/trends.hpp"
#include "store/store.hpp"

namespace halsonav {
namespace stats_support {

Json Number(double value) { return Present(value) ? Json(value) : Json(nullptr); }

Json PeriodJson(std::int64_t key) {
  auto period = PeriodFromKey(key);
  return period ? Json(PeriodCode(*period)) : Json(nullptr);
}

Json IndicatorJson(const Indicator& indicator) {
  return {{"code", indicator.code},
          {"title", indicator.title},
          {"description", indicator.description},
          {"unit", indicator.unit},
          {"value_type", ToString(indicator.value_type)},
          {"per", indicator.per > 0 ? Json(indicator.per) : Json(nullptr)},
          {"direction", ToString(indicator.direction)},
          {"source", ToString(indicator.source)},
          {"source_table", indicator.source_table},
          {"source_code", indicator.source_code},
          {"dimensions", indicator.dimensions},
          {"operating_area", indicator.operating_area},
          {"decimals", indicator.decimals ? Json(*indicator.decimals) : Json(nullptr)},
          {"observations", indicator.observations},
          {"first_period",
           indicator.observations > 0 ? PeriodJson(indicator.first_period) : Json(nullptr)},
          {"last_period",
           indicator.observations > 0 ? PeriodJson(indicator.last_period) : Json(nullptr)}};
}

Json StatusJson(std::uint8_t status) {
  Json out = Json::array();
  for (auto name : StatusNames(status)) out.push_back(name);
  return out;
}

// The figures of an observation as they may be shown: none at all when suppressed.
void PutFigures(Json& out, const ObservationRow& row, bool counts) {
  const bool hidden = (row.status & kObservationSuppressed) != 0;
  out["value"] = hidden ? Json(nullptr) : Number(row.value);
  out["ci_low"] = hidden ? Json(nullptr) : Number(row.ci_low);
  out["ci_high"] = hidden ? Json(nullptr) : Number(row.ci_high);
  if (counts) {
    out["numerator"] = hidden ? Json(nullptr) : Number(row.numerator);
    out["denominator"] = hidden ? Json(nullptr) : Number(row.denominator);
    out["respondents"] = hidden ? Json(nullptr) : Number(row.respondents);
  }
  out["status"] = StatusJson(row.status);
}

Json BreakdownJson(const Breakdown& breakdown) {
  Json out = Json::object();
  for (const auto& [dimension, category] : breakdown) out[dimension] = category;
  return out;
}

tl::unexpected<Error> BadParameter(std::string_view parameter, std::string message) {
  return Fail(ErrorCode::kInvalidParameter, std::move(message), {{"parameter", parameter}});
}

Result<Indicator> RequireIndicator(Transaction& tx, const std::string& code) {
  auto indicator = tx.FindIndicator(code);
  if (!indicator) return tl::unexpected(indicator.error());
  if (!*indicator) {
    return Fail(ErrorCode::kNotFound, fmt::format("no indicator {}", code), {{"code", code}});
  }
  return std::move(**indicator);
}

// Breakdowns by id, parsed.
Result<std::map<Id, Breakdown>> LoadBreakdowns(Transaction& tx) {
  auto stored = tx.Breakdowns();
  if (!stored) return tl::unexpected(stored.error());
  std::map<Id, Breakdown> out;
  for (const auto& [id, key] : *stored)
    out.emplace(id, ParseBreakdownKey(key).value_or(Breakdown{}));
  return out;
}

std::optional<Id> FindBreakdown(const std::map<Id, Breakdown>& breakdowns,
                                const Breakdown& wanted) {
  for (const auto& [id, breakdown] : breakdowns) {
    if (breakdown == wanted) return id;
  }
  return std::nullopt;
}

Result<std::int64_t> PeriodParameter(std::string_view parameter, const std::string& text) {
  auto period = ParsePeriod(text);
  if (!period) {
    return BadParameter(parameter, fmt::format("query parameter {}: \"{}\" is not a period "
                                               "(2024, 2024Q1, 2024M01, 2021-2024)",
                                               parameter, text));
  }
  return PeriodKey(*period);
}

// "total" or "dimension:category;dimension:category".
Result<Breakdown> BreakdownParameter(const std::string& text) {
  Breakdown out;
  if (text == "total") return out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    auto part = text.substr(start, end - start);
    auto colon = part.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == part.size()) {
      return BadParameter(
          "breakdown", fmt::format("query parameter breakdown: \"{}\" is not \"total\" or "
                                   "dimension:category (joined by ;), e.g. sex:women;education:low",
                                   text));
    }
    out.emplace_back(part.substr(0, colon), part.substr(colon + 1));
    start = end + 1;
  }
  if (!NormalizeBreakdown(out)) {
    return BadParameter(
        "breakdown",
        fmt::format("query parameter breakdown: \"{}\" names a dimension twice", text));
  }
  return out;
}

}  // namespace stats_support

using namespace stats_support;  // NOLINT(google-build-using-namespace): app's own helpers

Result<Json> App::ListIndicators(const IndicatorFilter& filter, const PageRequest& page) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto found = (*tx)->List(filter, page);
  if (!found) return tl::unexpected(found.error());
  Json items = Json::array();
  for (const auto& indicator : found->items) items.push_back(IndicatorJson(indicator));
  return Json{{"items", std::move(items)},
              {"total", found->total},
              {"limit", page.limit},
              {"offset", page.offset}};
}

Result<Json> App::GetIndicator(const std::string& code) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto indicator = RequireIndicator(**tx, code);
  if (!indicator) return tl::unexpected(indicator.error());
  return IndicatorJson(*indicator);
}

Result<Json> App::CreateIndicator(const Json& body, const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kAnalyst}, "define indicators"); !ok) {
    return tl::unexpected(ok.error());
  }
  if (!body.is_object()) {
    return Fail(ErrorCode::kWrongType, "the body must be object",
                {{"field", ""}, {"expected", "object"}});
  }
  static const std::set<std::string> kFields{"code",      "title",      "description",
                                             "unit",      "value_type", "per",
                                             "direction", "dimensions", "decimals"};
  for (const auto& [key, value] : body.items()) {
    if (!kFields.contains(key)) {
      return Fail(ErrorCode::kUnknownField, fmt::format("/{} is not a field of an indicator", key),
                  {{"field", "/" + key}});
    }
  }
  Indicator indicator;
  indicator.source = IndicatorSource::kOwn;
  auto text = [&](const char* field, std::string& out, bool required) -> Result<void> {
    auto it = body.find(field);
    if (it == body.end()) {
      if (!required) return {};
      return Fail(ErrorCode::kMissingField, fmt::format("/{} is required", field),
                  {{"field", fmt::format("/{}", field)}});
    }
    if (!it->is_string()) {
      return Fail(ErrorCode::kWrongType, fmt::format("/{} must be string", field),
                  {{"field", fmt::format("/{}", field)}, {"expected", "string"}});
    }
    out = it->get<std::string>();
    if (required && out.find_first_not_of(" \t") == std::string::npos) {
      return Fail(ErrorCode::kInvalidValue, fmt::format("/{} must not be empty", field),
                  {{"field", fmt::format("/{}", field)}});
    }
    return {};
  };
  for (auto [field, out, required] :
       {std::tuple{"code", &indicator.code, true}, std::tuple{"title", &indicator.title, true},
        std::tuple{"description", &indicator.description, false},
        std::tuple{"unit", &indicator.unit, false}}) {
    if (auto ok = text(field, *out, required); !ok) return tl::unexpected(ok.error());
  }
  if (indicator.code.size() > 64 ||
      indicator.code.find_first_of(" \t\r\n/?#") != std::string::npos) {
    return Fail(ErrorCode::kInvalidValue,
                "/code must be at most 64 characters without spaces, '/', '?' or '#'",
                {{"field", "/code"}});
  }
  auto enumeration = [&]<typename E>(const char* field, E& out) -> Result<void> {
    auto it = body.find(field);
    if (it == body.end()) return {};
    auto parsed = it->is_string() ? ParseEnum<E>(it->get<std::string>()) : std::nullopt;
    if (!parsed) {
      std::vector<std::string_view> names;
      for (const auto& [value, name] : EnumNames<E>::kValues) names.push_back(name);
      return Fail(ErrorCode::kInvalidValue,
                  fmt::format("/{} must be one of: {}", field, fmt::join(names, ", ")),
                  {{"field", fmt::format("/{}", field)}});
    }
    out = *parsed;
    return {};
  };
  if (auto ok = enumeration("value_type", indicator.value_type); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = enumeration("direction", indicator.direction); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto it = body.find("per"); it != body.end() && !it->is_null()) {
    if (!it->is_number() || it->get<double>() <= 0) {
      return Fail(ErrorCode::kInvalidValue, "/per must be a positive number (e.g. 100000)",
                  {{"field", "/per"}});
    }
    indicator.per = it->get<double>();
  }
  if (auto it = body.find("decimals"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < 0 || it->get<std::int64_t>() > 15) {
      return Fail(ErrorCode::kInvalidValue, "/decimals must be a whole number from 0 to 15",
                  {{"field", "/decimals"}});
    }
    indicator.decimals = it->get<int>();
  }
  if (auto it = body.find("dimensions"); it != body.end()) {
    if (!it->is_array()) {
      return Fail(ErrorCode::kWrongType, "/dimensions must be an array of names",
                  {{"field", "/dimensions"}, {"expected", "array"}});
    }
    for (std::size_t idx = 0; idx < it->size(); ++idx) {
      if (!(*it)[idx].is_string()) {
        return Fail(ErrorCode::kWrongType, fmt::format("/dimensions/{} must be string", idx),
                    {{"field", fmt::format("/dimensions/{}", idx)}, {"expected", "string"}});
      }
      indicator.dimensions.push_back((*it)[idx].get<std::string>());
    }
  }
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  auto existing = (*tx)->FindIndicator(indicator.code);
  if (!existing) return tl::unexpected(existing.error());
  if (*existing) {
    return Fail(ErrorCode::kDuplicate,
                fmt::format("an indicator with code {} exists already", indicator.code),
                {{"field", "/code"}});
  }
  auto id = (*tx)->Upsert(indicator);
  if (!id) return tl::unexpected(id.error());
  indicator.id = *id;
  return stats_support::CommitRecorded(**tx, "indicator", *id, caller, now_(),
                                       IndicatorJson(indicator));
}

Result<Json> App::Observations(const std::string& indicator_code, const ObservationFilter& filter) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto indicator = RequireIndicator(**tx, indicator_code);
  if (!indicator) return tl::unexpected(indicator.error());
  auto areas = (*tx)->Areas();
  if (!areas) return tl::unexpected(areas.error());
  std::map<std::string, Id> area_ids;
  std::map<Id, std::string> area_codes;
  for (const auto& area : *areas) {
    area_ids.emplace(area.code, area.id);
    area_codes.emplace(area.id, area.code);
  }
  ObservationQuery query;
  query.indicator_id = indicator->id;
  std::vector<std::string> wanted_areas = filter.areas;
  if (!filter.group.empty()) {
    auto groups = (*tx)->AreaGroups();
    if (!groups) return tl::unexpected(groups.error());
    auto group = std::find_if(groups->begin(), groups->end(),
                              [&](const AreaGroup& g) { return g.code == filter.group; });
    if (group == groups->end()) {
      return BadParameter("group",
                          fmt::format("query parameter group: no area group \"{}\"", filter.group));
    }
    wanted_areas.insert(wanted_areas.end(), group->members.begin(), group->members.end());
  }
  if (!filter.county.empty() && !filter.kind) {
    return BadParameter("county",
                        "query parameter county: narrows kind, which is missing (kind=municipality"
                        "&county=0024)");
  }
  if (filter.kind) {
    std::string county;
    if (!filter.county.empty()) {
      county = NormalizeAreaCode(filter.county);
      if (std::none_of(areas->begin(), areas->end(), [&](const Area& area) {
            return area.code == county && area.kind == AreaKind::kRegion;
          })) {
        return BadParameter("county", fmt::format("query parameter county: \"{}\" is not a "
                                                  "region of the area registry",
                                                  filter.county));
      }
    }
    // A region's own area counts as in it, so kind=region&county=0024 gives that region.
    for (const auto& area : *areas) {
      if (area.kind != *filter.kind) continue;
      if (!county.empty() && area.county_code != county && area.code != county) continue;
      wanted_areas.push_back(area.code);
    }
  }
  for (const auto& code : wanted_areas) {
    auto found = area_ids.find(NormalizeAreaCode(code));
    if (found == area_ids.end()) {
      return BadParameter(
          "area", fmt::format("query parameter area: \"{}\" is not in the area registry", code));
    }
    if (std::find(query.area_ids.begin(), query.area_ids.end(), found->second) ==
        query.area_ids.end()) {
      query.area_ids.push_back(found->second);
    }
  }
  // A kind with no areas gives no rows (not every area's).
  if (filter.kind && query.area_ids.empty()) query.area_ids.push_back(-1);
  for (const auto& text : filter.periods) {
    auto key = PeriodParameter("period", text);
    if (!key) return tl::unexpected(key.error());
    query.periods.push_back(*key);
  }
  if (!filter.from.empty()) {
    auto key = PeriodParameter("from", filter.from);
    if (!key) return tl::unexpected(key.error());
    query.from_period = *key;
  }
  if (!filter.to.empty()) {
    auto key = PeriodParameter("to", filter.to);
    if (!key) return tl::unexpected(key.error());
    query.to_period = *key;
  }
  auto breakdowns = LoadBreakdowns(**tx);
  if (!breakdowns) return tl::unexpected(breakdowns.error());
  std::vector<Breakdown> wanted_breakdowns;
  for (const auto& sex : filter.sexes) {
    if (sex == "total") {
      wanted_breakdowns.emplace_back();
    } else if (sex == "women" || sex == "men") {
      wanted_breakdowns.push_back(Breakdown{{std::string(kSexDimension), sex}});
    } else {
      return BadParameter("sex", fmt::format("query parameter sex: \"{}\" is not one of: total, "
                                             "women, men",
                                             sex));
    }
  }
  for (const auto& text : filter.breakdowns) {
    auto breakdown = BreakdownParameter(text);
    if (!breakdown) return tl::unexpected(breakdown.error());
    wanted_breakdowns.push_back(std::move(*breakdown));
  }
  if (!wanted_breakdowns.empty()) {
    for (const auto& wanted : wanted_breakdowns) {
      if (auto id = FindBreakdown(*breakdowns, wanted)) query.breakdown_ids.push_back(*id);
    }
    // Breakdowns that no data has give no rows (not every row).
    if (query.breakdown_ids.empty()) query.breakdown_ids.push_back(-1);
  }
  if (filter.limit < 1 || filter.limit > 100000) {
    return BadParameter("limit", "query parameter limit: must be 1–100000");
  }
  bool truncated = false;
  auto rows = (*tx)->Observations(query, static_cast<std::size_t>(filter.limit), truncated);
  if (!rows) return tl::unexpected(rows.error());
  // The benchmark area of each observation's area (docs/METHODS.md, "Comparison with a
  // benchmark"): its county, the country, or one area for all.
  std::map<Id, const Area*> area_by_id;
  const Area* country = nullptr;
  for (const auto& area : *areas) {
    area_by_id.emplace(area.id, &area);
    if (area.kind == AreaKind::kCountry) country = &area;
  }
  auto benchmark_of = [&](Id area_id) -> const Area* {
    if (filter.benchmark == "country") return country;
    if (filter.benchmark == "county") {
      auto found = area_ids.find(area_by_id[area_id]->county_code);
      return found == area_ids.end() ? nullptr : area_by_id[found->second];
    }
    auto found = area_ids.find(NormalizeAreaCode(filter.benchmark));
    return found == area_ids.end() ? nullptr : area_by_id[found->second];
  };
  if (!filter.benchmark.empty() && filter.benchmark != "county" && filter.benchmark != "country" &&
      !area_ids.contains(NormalizeAreaCode(filter.benchmark))) {
    return BadParameter("benchmark", fmt::format("query parameter benchmark: \"{}\" is not "
                                                 "county, country or an area in the registry",
                                                 filter.benchmark));
  }
  Json items = Json::array();
  std::int64_t suppressed = 0;
  for (const auto& row : *rows) {
    Json item{{"area", area_codes[row.area_id]},
              {"period", PeriodJson(row.period)},
              {"breakdown", BreakdownJson((*breakdowns)[row.breakdown_id])}};
    PutFigures(item, row, true);
    if ((row.status & kObservationSuppressed) != 0) ++suppressed;
    if (!filter.benchmark.empty()) {
      const Area* benchmark = benchmark_of(row.area_id);
      if (benchmark == nullptr || benchmark->id == row.area_id) {
        item["benchmark"] = {{"area", nullptr},
                             {"value", nullptr},
                             {"at_95", "not_compared"},
                             {"at_998", "not_compared"},
                             {"reason", benchmark == nullptr ? "the area has no such benchmark area"
                                                             : "the area is its own benchmark"}};
      } else {
        auto other =
            (*tx)->FindObservation(indicator->id, benchmark->id, row.breakdown_id, row.period);
        if (!other) return tl::unexpected(other.error());
        item["benchmark"] =
            ComparisonJson(row, other->value_or(ObservationRow{.status = kObservationMissing}),
                           benchmark->code, *indicator);
      }
    }
    items.push_back(std::move(item));
  }
  Json out{{"indicator", IndicatorJson(*indicator)},
           {"observations", std::move(items)},
           {"count", rows->size()},
           {"suppressed", suppressed},
           {"truncated", truncated}};
  if (filter.trend) {
    // The recent trend of every area and breakdown returned (rows come by area, breakdown,
    // period).
    Json trends = Json::array();
    for (std::size_t begin = 0; begin < rows->size();) {
      std::size_t end = begin;
      while (end < rows->size() && (*rows)[end].area_id == (*rows)[begin].area_id &&
             (*rows)[end].breakdown_id == (*rows)[begin].breakdown_id) {
        ++end;
      }
      Json trend = TrendJson(std::span(rows->data() + begin, end - begin), *indicator);
      trends.push_back({{"area", area_codes[(*rows)[begin].area_id]},
                        {"breakdown", BreakdownJson((*breakdowns)[(*rows)[begin].breakdown_id])},
                        {"trend", std::move(trend)}});
      begin = end;
    }
    out["trends"] = std::move(trends);
  }
  return out;
}

Result<Json> App::AreaProfile(const std::string& area_code) {
  auto document = AreaProfileDocument(area_code);
  if (!document) return tl::unexpected(document.error());
  return Json::parse(**document);
}

// The profile is written straight into a string (550 indicators × 3 sexes × 3 areas: a DOM
// would double its cost; docs/BENCHMARKS.md) and cached per area while the history has no newer
// change, as the framework tree is.
Result<std::shared_ptr<const std::string>> App::AreaProfileDocument(const std::string& area_code) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto change = (*tx)->LatestChange();
  if (!change) return tl::unexpected(change.error());
  const auto code = NormalizeAreaCode(area_code);
  {
    std::lock_guard lock(profile_cache_mutex_);
    const auto it = profile_cache_.find(code);
    if (it != profile_cache_.end() && it->second.change == *change) return it->second.document;
  }
  auto areas = (*tx)->Areas();
  if (!areas) return tl::unexpected(areas.error());
  const Area* area = nullptr;
  const Area* county = nullptr;
  const Area* country = nullptr;
  for (const auto& candidate : *areas) {
    if (candidate.code == code) area = &candidate;
  }
  if (area == nullptr) {
    return Fail(ErrorCode::kNotFound, fmt::format("no area {} in the registry", area_code),
                {{"code", area_code}});
  }
  for (const auto& candidate : *areas) {
    if (!area->county_code.empty() && candidate.code == area->county_code) county = &candidate;
    if (candidate.kind == AreaKind::kCountry && candidate.code != area->code) country = &candidate;
  }
  auto breakdowns = LoadBreakdowns(**tx);
  if (!breakdowns) return tl::unexpected(breakdowns.error());
  const auto women = FindBreakdown(*breakdowns, {{std::string(kSexDimension), "women"}});
  const auto men = FindBreakdown(*breakdowns, {{std::string(kSexDimension), "men"}});
  auto indicators = (*tx)->List(IndicatorFilter{{}, std::nullopt, true}, PageRequest{1000000, 0});
  if (!indicators) return tl::unexpected(indicators.error());

  std::vector<std::pair<std::string_view, const Area*>> columns{{"area", area}};
  if (county != nullptr) columns.emplace_back("county", county);
  if (country != nullptr) columns.emplace_back("country", country);
  const std::array<std::pair<std::string_view, std::optional<Id>>, 3> sexes{
      {{"total", 0}, {"women", women}, {"men", men}}};
  auto text = [](std::string_view value) {
    return Json(value).dump(-1, ' ', false, Json::error_handler_t::replace);
  };
  auto number = [](double value) {
    return Present(value) ? fmt::format("{}", value) : std::string("null");
  };
  auto area_json = [&](const Area* which) {
    if (which == nullptr) return std::string("null");
    return fmt::format(R"({{"code":{},"name":{},"kind":"{}"}})", text(which->code),
                       text(which->name), ToString(which->kind));
  };
  fmt::memory_buffer out;
  auto append = [&](std::string_view piece) {
    out.append(piece.data(), piece.data() + piece.size());
  };
  append(fmt::format(R"({{"area":{},"county":{},"country":{},"indicators":[)", area_json(area),
                     area_json(county), area_json(country)));
  bool first_row = true;
  for (const auto& indicator : indicators->items) {
    // The area's total: its five most recent rows give the latest period, the area's total cell
    // and the recent trend in one read.
    auto series = (*tx)->RecentObservations(indicator.id, area->id, 0, stats::kRecentTrendPoints);
    if (!series) return tl::unexpected(series.error());
    std::optional<std::int64_t> period;
    if (!series->empty()) period = series->back().period;
    for (const auto& [name, breakdown] : sexes) {
      if (!breakdown || period) continue;
      auto latest = (*tx)->LatestPeriod(indicator.id, area->id, *breakdown);
      if (!latest) return tl::unexpected(latest.error());
      if (*latest) {
        period = *latest;
        break;
      }
    }
    if (!period) continue;
    append(first_row ? "" : ",");
    first_row = false;
    append(fmt::format(
        R"({{"indicator":{{"code":{},"title":{},"unit":{},"value_type":"{}","direction":"{}"}},"period":{})",
        text(indicator.code), text(indicator.title), text(indicator.unit),
        ToString(indicator.value_type), ToString(indicator.direction), PeriodJson(*period).dump()));
    for (const auto& [name, breakdown] : sexes) {
      if (!breakdown) continue;
      std::string cells;
      bool any = false;
      std::optional<ObservationRow> area_row;
      std::string compared;
      for (const auto& [column, column_area] : columns) {
        Result<std::optional<ObservationRow>> found = std::nullopt;
        if (column_area == area && *breakdown == 0 && !series->empty() &&
            series->back().period == *period) {
          found = series->back();
        } else {
          found = (*tx)->FindObservation(indicator.id, column_area->id, *breakdown, *period);
        }
        if (!found) return tl::unexpected(found.error());
        cells += fmt::format("{}\"{}\":", cells.empty() ? "" : ",", column);
        if (!*found) {
          cells += "null";
          continue;
        }
        any = true;
        const auto& row = **found;
        if (column_area == area) {
          area_row = row;
        } else if (area_row) {
          // Fingertips' comparison of the area with its county and Riket (docs/METHODS.md).
          const auto outcomes = CompareRows(*area_row, row, indicator);
          compared +=
              fmt::format(R"({}"{}":{{"at_95":"{}","at_998":"{}"}})", compared.empty() ? "" : ",",
                          column, outcomes.at_95, outcomes.at_998);
        }
        const bool hidden = (row.status & kObservationSuppressed) != 0;
        cells +=
            fmt::format(R"({{"value":{},"ci_low":{},"ci_high":{},"status":{}}})",
                        hidden ? "null" : number(row.value), hidden ? "null" : number(row.ci_low),
                        hidden ? "null" : number(row.ci_high), StatusJson(row.status).dump());
      }
      if (!compared.empty()) cells += fmt::format(R"(,"compared":{{{}}})", compared);
      if (any) append(fmt::format(R"(,"{}":{{{}}})", name, cells));
    }
    // The recent trend of the area's total (Fingertips' five most recent points).
    if (!series->empty()) {
      append(R"(,"trend":)");
      append(TrendText(TrendOf(*series, indicator)));
    }
    append("}");
  }
  append("]}");
  auto document = std::make_shared<const std::string>(out.data(), out.size());
  std::lock_guard lock(profile_cache_mutex_);
  // Bounded: a profile of 500 indicators is ~0.4 MB; all 312 areas would hold ~125 MB.
  constexpr std::size_t kMaxCachedProfiles = 64;
  if (profile_cache_.size() >= kMaxCachedProfiles && !profile_cache_.contains(code)) {
    profile_cache_.clear();
  }
  profile_cache_[code] = CachedDocument{*change, document};
  return document;
}

}  // namespace halsonav
