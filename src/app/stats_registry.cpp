// The registries the statistics rest on: areas, area groups and the Kolada KPI catalogue, each
// imported from Kolada's files; the user's own area groups.

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "app/access.hpp"
#include "app/app.hpp"
#include "app/stats_support.hpp"
#include "core/json_reader.hpp"
#include "core/text.hpp"
#include "io/kolada.hpp"
#include "io/synth.hpp"
#include "store/store.hpp"

namespace halsonav {

namespace stats_support {

Result<stats::DisclosureRule> LoadDisclosureRule(Transaction& tx) {
  stats::DisclosureRule rule;
  auto stored = tx.Setting(std::string(kDisclosureSetting));
  if (!stored) return tl::unexpected(stored.error());
  if (*stored) rule.min_count = std::strtod((*stored)->c_str(), nullptr);
  return rule;
}

Result<void> RecordStatsChange(Transaction& tx, std::string entity, Id id, const Caller& caller,
                               const std::string& at, const Json& after) {
  return tx.Record(ChangeRecord{0, std::move(entity), id, "create", caller.user, at, 1,
                                std::nullopt, after.dump()});
}

Result<Json> CommitRecorded(Transaction& tx, std::string entity, Id id, const Caller& caller,
                            const std::string& at, Json after) {
  if (auto ok = RecordStatsChange(tx, std::move(entity), id, caller, at, after); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx.Commit(); !ok) return tl::unexpected(ok.error());
  return after;
}

Result<void> RecordImport(Transaction& tx, std::string format, std::string_view file_name,
                          const Caller& caller, const std::string& at, const Json& report) {
  auto id = tx.Insert(StatsImportRecord{0, at, caller.user, std::move(format),
                                        Json::array({file_name}).dump(), report.dump()});
  if (!id) return tl::unexpected(id.error());
  return RecordStatsChange(tx, "stats_import", *id, caller, at, report);
}

}  // namespace stats_support

namespace {

Json AreaJson(const Area& area) {
  return {{"code", area.code},
          {"name", area.name},
          {"kind", ToString(area.kind)},
          {"county_code", area.county_code.empty() ? Json(nullptr) : Json(area.county_code)}};
}

Json GroupJson(const AreaGroup& group) {
  return {{"code", group.code},
          {"title", group.title},
          {"source", group.source},
          {"members", group.members}};
}

}  // namespace

Result<Json> App::ImportAreas(std::string_view text, std::string_view file_name,
                              const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kAnalyst}, "import the area registry"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto areas = statsio::ReadKoladaAreas(text, file_name);
  if (!areas) return tl::unexpected(areas.error());
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  auto before = (*tx)->Areas();
  if (!before) return tl::unexpected(before.error());
  std::map<std::string, Area> existing;
  for (auto& area : *before) existing.emplace(area.code, std::move(area));
  std::int64_t created = 0;
  std::int64_t updated = 0;
  for (const auto& area : *areas) {
    auto found = existing.find(area.code);
    if (found != existing.end() && found->second.name == area.name &&
        found->second.kind == area.kind && found->second.county_code == area.county_code) {
      continue;
    }
    ++(found == existing.end() ? created : updated);
    if (auto id = (*tx)->Upsert(area); !id) return tl::unexpected(id.error());
  }
  Json report{{"file", file_name},
              {"areas", areas->size()},
              {"created", created},
              {"updated", updated},
              {"unchanged", static_cast<std::int64_t>(areas->size()) - created - updated}};
  if (created + updated > 0) {
    if (auto ok =
            stats_support::RecordImport(**tx, "kolada-areas", file_name, caller, now_(), report);
        !ok) {
      return tl::unexpected(ok.error());
    }
  }
  if (auto ok = (*tx)->Commit(); !ok) return tl::unexpected(ok.error());
  return report;
}

Result<Json> App::ImportAreaGroups(std::string_view text, std::string_view file_name,
                                   const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kAnalyst}, "import area groups"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto groups = statsio::ReadKoladaGroups(text, file_name);
  if (!groups) return tl::unexpected(groups.error());
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  std::int64_t members = 0;
  for (auto& group : *groups) {
    group.source = "kolada";
    members += static_cast<std::int64_t>(group.members.size());
    if (auto id = (*tx)->Upsert(group); !id) {
      auto error = id.error();
      error.message = fmt::format("{}: {}", file_name, error.message);
      return tl::unexpected(std::move(error));
    }
  }
  Json report{{"file", file_name}, {"groups", groups->size()}, {"members", members}};
  if (auto ok =
          stats_support::RecordImport(**tx, "kolada-groups", file_name, caller, now_(), report);
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = (*tx)->Commit(); !ok) return tl::unexpected(ok.error());
  return report;
}

namespace stats_support {

Result<Json> ApplyCatalogue(Transaction& tx, const std::vector<Indicator>& catalogue,
                            std::string_view file_name) {
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  for (const auto& indicator : catalogue) {
    auto stored = tx.FindIndicator(indicator.code);
    if (!stored) return tl::unexpected(stored.error());
    if (*stored) {
      if ((*stored)->source != IndicatorSource::kKolada) {
        return Fail(ErrorCode::kDuplicate,
                    fmt::format("{}: the catalogue's KPI {} has the code of an indicator of "
                                "source {}; nothing was imported",
                                file_name, indicator.code, ToString((*stored)->source)),
                    {{"code", indicator.code}});
      }
      auto merged = indicator;
      // The dimensions found in data stay, beside those the catalogue names.
      for (const auto& dimension : (*stored)->dimensions) {
        if (std::find(merged.dimensions.begin(), merged.dimensions.end(), dimension) ==
            merged.dimensions.end()) {
          merged.dimensions.push_back(dimension);
        }
      }
      const auto& old = **stored;
      if (old.title == merged.title && old.description == merged.description &&
          old.unit == merged.unit && old.value_type == merged.value_type && old.per == merged.per &&
          old.dimensions == merged.dimensions && old.operating_area == merged.operating_area) {
        ++unchanged;
        continue;
      }
      ++updated;
      if (auto id = tx.Upsert(merged); !id) return tl::unexpected(id.error());
    } else {
      ++created;
      if (auto id = tx.Upsert(indicator); !id) return tl::unexpected(id.error());
    }
  }
  return Json{{"file", file_name},
              {"indicators", catalogue.size()},
              {"created", created},
              {"updated", updated},
              {"unchanged", unchanged}};
}

}  // namespace stats_support

Result<Json> App::ImportIndicatorCatalogue(std::string_view text, std::string_view file_name,
                                           const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kAnalyst}, "import the KPI catalogue"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto catalogue = statsio::ReadKoladaCatalogue(text, file_name);
  if (!catalogue) return tl::unexpected(catalogue.error());
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  auto report = stats_support::ApplyCatalogue(**tx, *catalogue, file_name);
  if (!report) return tl::unexpected(report.error());
  if (report->at("created").get<std::int64_t>() + report->at("updated").get<std::int64_t>() > 0) {
    if (auto ok =
            stats_support::RecordImport(**tx, "kolada-kpis", file_name, caller, now_(), *report);
        !ok) {
      return tl::unexpected(ok.error());
    }
  }
  if (auto ok = (*tx)->Commit(); !ok) return tl::unexpected(ok.error());
  return report;
}

Result<Json> App::ListAreas(const AreaFilter& filter, const PageRequest& page) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto areas = (*tx)->Areas();
  if (!areas) return tl::unexpected(areas.error());
  std::set<std::string> members;
  if (!filter.group.empty()) {
    auto groups = (*tx)->AreaGroups();
    if (!groups) return tl::unexpected(groups.error());
    auto group = std::find_if(groups->begin(), groups->end(),
                              [&](const AreaGroup& g) { return g.code == filter.group; });
    if (group == groups->end()) {
      return Fail(ErrorCode::kInvalidParameter,
                  fmt::format("query parameter group: no area group \"{}\"", filter.group),
                  {{"parameter", "group"}});
    }
    members.insert(group->members.begin(), group->members.end());
  }
  const auto text = LowerCase(filter.text);
  Json items = Json::array();
  std::int64_t total = 0;
  for (const auto& area : *areas) {
    if (filter.kind && area.kind != *filter.kind) continue;
    if (!filter.county.empty() && area.county_code != NormalizeAreaCode(filter.county)) continue;
    if (!filter.group.empty() && !members.contains(area.code)) continue;
    if (!text.empty() && LowerCase(area.name).find(text) == std::string::npos &&
        area.code.find(text) == std::string::npos) {
      continue;
    }
    if (total >= page.offset && total < page.offset + page.limit) items.push_back(AreaJson(area));
    ++total;
  }
  return Json{{"items", std::move(items)},
              {"total", total},
              {"limit", page.limit},
              {"offset", page.offset}};
}

Result<Json> App::GetArea(const std::string& code) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto areas = (*tx)->Areas();
  if (!areas) return tl::unexpected(areas.error());
  const auto wanted = NormalizeAreaCode(code);
  auto area = std::find_if(areas->begin(), areas->end(),
                           [&](const Area& candidate) { return candidate.code == wanted; });
  if (area == areas->end()) {
    return Fail(ErrorCode::kNotFound, fmt::format("no area {} in the registry", code),
                {{"code", code}});
  }
  auto out = AreaJson(*area);
  Json municipalities = Json::array();
  for (const auto& other : *areas) {
    if (other.county_code == area->code) municipalities.push_back(other.code);
  }
  if (area->kind == AreaKind::kRegion) out["municipalities"] = std::move(municipalities);
  auto groups = (*tx)->AreaGroups();
  if (!groups) return tl::unexpected(groups.error());
  Json in_groups = Json::array();
  for (const auto& group : *groups) {
    if (std::find(group.members.begin(), group.members.end(), area->code) != group.members.end()) {
      in_groups.push_back({{"code", group.code}, {"title", group.title}, {"source", group.source}});
    }
  }
  out["groups"] = std::move(in_groups);
  return out;
}

Result<Json> App::ListAreaGroups(const std::optional<std::string>& source) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto groups = (*tx)->AreaGroups();
  if (!groups) return tl::unexpected(groups.error());
  Json items = Json::array();
  for (const auto& group : *groups) {
    if (source && group.source != *source) continue;
    items.push_back(GroupJson(group));
  }
  auto total = static_cast<std::int64_t>(items.size());
  return Json{{"items", std::move(items)}, {"total", total}};
}

Result<Json> App::PutAreaGroup(const Json& body, const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kAnalyst}, "change area groups"); !ok) {
    return tl::unexpected(ok.error());
  }
  AreaGroup group;
  group.source = "user";
  if (!body.is_object()) {
    return Fail(ErrorCode::kWrongType, "the body must be object",
                {{"field", ""}, {"expected", "object"}});
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "code" && key != "title" && key != "members") {
      return Fail(ErrorCode::kUnknownField, fmt::format("/{} is not a field of an area group", key),
                  {{"field", "/" + key}});
    }
  }
  for (const char* field : {"code", "title"}) {
    auto it = body.find(field);
    if (it == body.end()) {
      return Fail(ErrorCode::kMissingField, fmt::format("/{} is required", field),
                  {{"field", fmt::format("/{}", field)}});
    }
    if (!it->is_string() || it->get<std::string>().empty()) {
      return Fail(ErrorCode::kInvalidValue, fmt::format("/{} must be a non-empty string", field),
                  {{"field", fmt::format("/{}", field)}});
    }
  }
  group.code = body["code"].get<std::string>();
  group.title = body["title"].get<std::string>();
  const auto members = body.find("members");
  if (members == body.end() || !members->is_array()) {
    return Fail(ErrorCode::kWrongType, "/members must be an array of area codes",
                {{"field", "/members"}, {"expected", "array"}});
  }
  for (std::size_t idx = 0; idx < members->size(); ++idx) {
    if (!(*members)[idx].is_string()) {
      return Fail(ErrorCode::kWrongType, fmt::format("/members/{} must be an area code", idx),
                  {{"field", fmt::format("/members/{}", idx)}, {"expected", "string"}});
    }
    group.members.push_back(NormalizeAreaCode((*members)[idx].get<std::string>()));
  }
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  auto groups = (*tx)->AreaGroups();
  if (!groups) return tl::unexpected(groups.error());
  for (const auto& existing : *groups) {
    if (existing.code == group.code && existing.source != "user") {
      return Fail(ErrorCode::kReadOnly,
                  fmt::format("area group {} comes from Kolada and cannot be changed here; "
                              "choose another code for your own group",
                              group.code),
                  {{"field", "/code"}});
    }
  }
  auto id = (*tx)->Upsert(group);
  if (!id) return tl::unexpected(id.error());
  return stats_support::CommitRecorded(**tx, "area_group", *id, caller, now_(), GroupJson(group));
}

Result<Json> App::DeleteAreaGroup(const std::string& code, const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kAnalyst}, "delete area groups"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  auto groups = (*tx)->AreaGroups();
  if (!groups) return tl::unexpected(groups.error());
  auto group = std::find_if(groups->begin(), groups->end(),
                            [&](const AreaGroup& candidate) { return candidate.code == code; });
  if (group == groups->end()) {
    return Fail(ErrorCode::kNotFound, fmt::format("no area group {}", code), {{"code", code}});
  }
  if (group->source != "user") {
    return Fail(ErrorCode::kReadOnly,
                fmt::format("area group {} comes from Kolada and cannot be deleted", code),
                {{"code", code}});
  }
  auto before = GroupJson(*group);
  if (auto ok = (*tx)->DeleteAreaGroup(code); !ok) return tl::unexpected(ok.error());
  ChangeRecord change{0, "area_group",  group->id,   "delete", caller.user, now_(),
                      1, before.dump(), std::nullopt};
  if (auto ok = (*tx)->Record(change); !ok) return tl::unexpected(ok.error());
  if (auto ok = (*tx)->Commit(); !ok) return tl::unexpected(ok.error());
  return before;
}

Result<Json> App::WriteSyntheticData(int municipalities, int indicators, int years,
                                     std::uint64_t seed, const std::string& directory) {
  statsio::SynthOptions options;
  options.indicators = indicators;
  options.years = years;
  options.seed = seed;
  {
    auto tx = store_->BeginRead();
    if (!tx) return tl::unexpected(tx.error());
    auto areas = (*tx)->Areas();
    if (!areas) return tl::unexpected(areas.error());
    for (const auto& area : *areas) {
      if (area.kind == AreaKind::kMunicipality &&
          static_cast<int>(options.municipalities.size()) < municipalities) {
        options.municipalities.push_back(area.code);
      }
    }
  }
  const auto chosen = static_cast<int>(options.municipalities.size());
  if (chosen >= municipalities) {
    // Their regions and Riket too, so that a profile compares with county and country.
    std::set<std::string> counties;
    for (const auto& code : options.municipalities) counties.insert(CountyOf(code));
    options.municipalities.insert(options.municipalities.end(), counties.begin(), counties.end());
    options.municipalities.emplace_back("0000");
  }
  if (chosen < municipalities) {
    return Fail(ErrorCode::kInvalidValue,
                fmt::format("the area registry has {} municipalities, fewer than the {} asked "
                            "for; import the registry first (halsonav import areas FILE)",
                            options.municipalities.size(), municipalities));
  }
  auto summary = statsio::WriteSynthetic(options, directory);
  if (!summary) return tl::unexpected(summary.error());
  auto paths = [](const std::vector<std::filesystem::path>& files) {
    Json out = Json::array();
    for (const auto& file : files) out.push_back(file.string());
    return out;
  };
  return Json{{"kolada_files", paths(summary->kolada_files)},
              {"jsonstat_files", paths(summary->jsonstat_files)},
              {"mapping_file", summary->mapping_file.string()},
              {"catalogue_file", summary->catalogue_file.string()},
              {"observations", summary->observations},
              {"bytes", summary->bytes}};
}

}  // namespace halsonav
