// Area geometries for the map (issue 7): the GeoJSON import, the FeatureCollection served from
// the stored text, and the periods an indicator has values in.

#include <iterator>
#include <map>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "app/access.hpp"
#include "app/app.hpp"
#include "app/stats_support.hpp"
#include "core/text.hpp"
#include "io/geojson.hpp"
#include "io/problems.hpp"
#include "store/store.hpp"

namespace halsonav {
namespace {

// The region a county parameter names, or a kInvalidParameter error.
Result<std::string> RegionParameter(const std::vector<Area>& areas, const std::string& text) {
  const auto code = NormalizeAreaCode(text);
  for (const auto& area : areas) {
    if (area.code == code && area.kind == AreaKind::kRegion) return code;
  }
  return stats_support::BadParameter(
      "county",
      fmt::format("query parameter county: \"{}\" is not a region of the area registry", text));
}

// Whether an area lies in the region `county`: one of its municipalities, or the region itself.
bool InCounty(const Area& area, const std::string& county) {
  return area.county_code == county || (area.kind == AreaKind::kRegion && area.code == county);
}

}  // namespace

Result<Json> App::ImportGeometries(const std::vector<StatsFile>& files,
                                   const GeometryImportOptions& options, const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kAnalyst}, "import outlines"); !ok) {
    return tl::unexpected(ok.error());
  }
  if (files.empty()) return Fail(ErrorCode::kInvalidValue, "no GeoJSON file to import");
  if (options.code_property.empty()) {
    return Fail(ErrorCode::kInvalidValue, "the code property must name a feature property");
  }
  const geo::GeoJsonOptions read_options{options.code_property, 5};
  std::vector<Problem> problems;
  std::vector<geo::AreaShape> shapes;
  Json files_json = Json::array();
  for (const auto& file : files) {
    auto text = file.load();
    if (!text) return tl::unexpected(text.error());
    auto read = geo::ReadGeoJson(*text, file.name, read_options);
    if (!read) {
      const auto listed = read.error().details.find("problems");
      if (listed == read.error().details.end()) return tl::unexpected(read.error());
      for (const auto& problem : *listed) {
        problems.push_back({problem.value("pointer", ""), problem.value("message", "")});
      }
      continue;
    }
    files_json.push_back({{"name", file.name}, {"features", read->size()}});
    shapes.insert(shapes.end(), std::make_move_iterator(read->begin()),
                  std::make_move_iterator(read->end()));
  }

  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  auto areas = (*tx)->Areas();
  if (!areas) return tl::unexpected(areas.error());
  std::map<std::string, Id> area_ids;
  for (const auto& area : *areas) area_ids.emplace(area.code, area.id);
  const auto code_pointer = [&](const geo::AreaShape& shape) {
    return fmt::format("{}/properties/{}", shape.where, EscapePointerToken(options.code_property));
  };
  std::map<std::string, std::string> first_of_code;  // across files
  std::map<std::string, std::string> unknown_areas;  // code → pointer
  std::vector<Id> shape_area_ids(shapes.size(), 0);
  for (std::size_t idx = 0; idx < shapes.size(); ++idx) {
    const auto& shape = shapes[idx];
    const auto [first, inserted] = first_of_code.emplace(shape.code, shape.where);
    if (!inserted) {
      problems.push_back({code_pointer(shape),
                          fmt::format("area code \"{}\" is also the code of {}: one geometry per "
                                      "area",
                                      shape.code, first->second)});
      continue;
    }
    const auto found = area_ids.find(shape.code);
    if (found == area_ids.end()) {
      unknown_areas.emplace(shape.code, code_pointer(shape));
      problems.push_back({code_pointer(shape),
                          fmt::format("area code \"{}\" is not in the area registry", shape.code)});
      continue;
    }
    shape_area_ids[idx] = found->second;
  }
  if (!problems.empty()) {
    auto error = ProblemsError(
        problems, files.size() == 1 ? files.front().name : std::string("the geometry import"));
    if (!unknown_areas.empty()) {
      error.value().message += " (unknown areas: import the area registry first)";
      Json unknown = Json::array();
      for (const auto& [code, where] : unknown_areas) {
        unknown.push_back({{"code", code}, {"pointer", where}});
      }
      error.value().details["unknown_areas"] = std::move(unknown);
    }
    return error;
  }

  auto stored = (*tx)->AreaGeometries();
  if (!stored) return tl::unexpected(stored.error());
  std::map<Id, std::string> stored_text;
  for (auto& geometry : *stored)
    stored_text.emplace(geometry.area_id, std::move(geometry.geometry));
  std::int64_t created = 0;
  std::int64_t changed = 0;
  std::int64_t positions = 0;
  std::int64_t bytes = 0;
  std::vector<std::size_t> to_write;
  for (std::size_t idx = 0; idx < shapes.size(); ++idx) {
    positions += static_cast<std::int64_t>(shapes[idx].positions);
    bytes += static_cast<std::int64_t>(shapes[idx].geometry.size());
    const auto found = stored_text.find(shape_area_ids[idx]);
    if (found != stored_text.end() && found->second == shapes[idx].geometry) continue;
    ++(found == stored_text.end() ? created : changed);
    to_write.push_back(idx);
  }
  Json report{{"import_id", nullptr},
              {"dry_run", options.dry_run},
              {"code_property", options.code_property},
              {"files", std::move(files_json)},
              {"geometries",
               {{"new", created},
                {"changed", changed},
                {"unchanged", static_cast<std::int64_t>(shapes.size()) - created - changed}}},
              {"positions", positions},
              {"bytes", bytes}};
  // A dry run, or nothing to write: the transaction rolls back and no import is recorded.
  if (options.dry_run || to_write.empty()) return report;

  const auto now = now_();
  Json names = Json::array();
  for (const auto& file : files) names.push_back(file.name);
  auto import_id =
      (*tx)->Insert(StatsImportRecord{0, now, caller.user, "geojson", names.dump(), "{}"});
  if (!import_id) return tl::unexpected(import_id.error());
  for (const auto idx : to_write) {
    const auto& shape = shapes[idx];
    if (auto ok = (*tx)->Put(AreaGeometry{shape_area_ids[idx], shape.geometry, shape.west,
                                          shape.south, shape.east, shape.north, *import_id, now});
        !ok) {
      return tl::unexpected(ok.error());
    }
  }
  report["import_id"] = *import_id;
  if (auto ok = (*tx)->SetImportReport(*import_id, report.dump()); !ok) {
    return tl::unexpected(ok.error());
  }
  return stats_support::CommitRecorded(**tx, "stats_import", *import_id, caller, now,
                                       std::move(report));
}

Result<CachedJson> App::AreaGeometries(const GeometryFilter& filter) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto change = (*tx)->LatestChange();
  if (!change) return tl::unexpected(change.error());
  const auto etag = fmt::format("\"geo-{}\"", *change);
  const auto key = fmt::format("{}|{}", filter.kind ? ToString(*filter.kind) : "",
                               NormalizeAreaCode(filter.county));
  {
    std::lock_guard lock(geometry_cache_mutex_);
    const auto it = geometry_cache_.find(key);
    if (it != geometry_cache_.end() && it->second.change == *change) {
      return CachedJson{it->second.document, etag};
    }
  }
  auto areas = (*tx)->Areas();
  if (!areas) return tl::unexpected(areas.error());
  std::string county;
  if (!filter.county.empty()) {
    auto region = RegionParameter(*areas, filter.county);
    if (!region) return tl::unexpected(region.error());
    county = *region;
  }
  auto geometries = (*tx)->AreaGeometries();
  if (!geometries) return tl::unexpected(geometries.error());
  std::map<Id, const AreaGeometry*> by_area;
  std::size_t size = 64;
  for (const auto& geometry : *geometries) {
    by_area.emplace(geometry.area_id, &geometry);
    size += geometry.geometry.size() + 200;
  }
  // Written as text around the stored geometry, which is never parsed again.
  std::string out;
  out.reserve(size);
  out += R"({"type":"FeatureCollection","features":[)";
  bool first = true;
  for (const auto& area : *areas) {  // by code
    if (filter.kind && area.kind != *filter.kind) continue;
    if (!county.empty() && !InCounty(area, county)) continue;
    const auto found = by_area.find(area.id);
    if (found == by_area.end()) continue;
    const auto& geometry = *found->second;
    const auto code = Json(area.code).dump();
    fmt::format_to(std::back_inserter(out),
                   R"({}{{"type":"Feature","id":{},"bbox":[{},{},{},{}],"properties":{{"code":{},)"
                   R"("name":{},"kind":"{}","county_code":{}}},"geometry":)",
                   first ? "" : ",", code, geometry.west, geometry.south, geometry.east,
                   geometry.north, code, Json(area.name).dump(), ToString(area.kind),
                   area.county_code.empty() ? "null" : Json(area.county_code).dump());
    out += geometry.geometry;
    out += '}';
    first = false;
  }
  out += "]}";
  auto document = std::make_shared<const std::string>(std::move(out));
  std::lock_guard lock(geometry_cache_mutex_);
  // Few filters exist (two kinds × 21 counties); the bound only guards against odd ones.
  constexpr std::size_t kMaxCachedDocuments = 64;
  if (geometry_cache_.size() >= kMaxCachedDocuments && !geometry_cache_.contains(key)) {
    geometry_cache_.clear();
  }
  geometry_cache_[key] = CachedDocument{*change, document};
  return CachedJson{document, etag};
}

Result<Json> App::IndicatorPeriods(const std::string& indicator_code,
                                   std::optional<AreaKind> kind) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto indicator = stats_support::RequireIndicator(**tx, indicator_code);
  if (!indicator) return tl::unexpected(indicator.error());
  auto keys = (*tx)->PeriodsWithValues(
      indicator->id, kind ? std::optional<std::string>(ToString(*kind)) : std::nullopt);
  if (!keys) return tl::unexpected(keys.error());
  Json periods = Json::array();
  for (const auto key : *keys) periods.push_back(stats_support::PeriodJson(key));
  return Json{{"indicator", indicator->code}, {"periods", std::move(periods)}};
}

}  // namespace halsonav
