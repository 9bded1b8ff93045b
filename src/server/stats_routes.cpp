#include "server/stats_routes.hpp"
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "server/query_params.hpp"

namespace halsonav::http {
namespace {

tl::unexpected<Error> BadParameter(const std::string& name, std::string message) {
  return Fail(ErrorCode::kInvalidParameter, std::move(message), {{"parameter", name}});
}

Result<StatsFormat> ParseFormat(const std::optional<std::string>& text) {
  if (!text) {
    return Fail(ErrorCode::kInvalidParameter,
                "query parameter format is required: kolada, jsonstat, px, csv or auto",
                {{"parameter", "format"}});
  }
  if (*text == "kolada") return StatsFormat::kKolada;
  if (*text == "jsonstat") return StatsFormat::kJsonStat;
  if (*text == "csv") return StatsFormat::kCsv;
  if (*text == "px") return StatsFormat::kPx;
  if (*text == "auto") return StatsFormat::kAuto;
  return BadParameter("format", fmt::format("query parameter format: \"{}\" is not one of: "
                                            "kolada, jsonstat, px, csv, auto",
                                            *text));
}

// The files of a statistics import: the body itself, or the "file" parts of a multipart form
// (with an optional "mapping" part).
Result<std::vector<StatsFile>> ImportFiles(const httplib::Request& req,
                                           StatsImportOptions& options) {
  std::vector<StatsFile> files;
  if (req.is_multipart_form_data()) {
    for (const auto& [name, part] : req.files) {
      if (name == "mapping") {
        options.mapping = part.content;
        options.mapping_name = part.filename.empty() ? "mapping" : part.filename;
      } else if (name == "file") {
        const auto* content = &part.content;
        auto file_name =
            part.filename.empty() ? fmt::format("file {}", files.size() + 1) : part.filename;
        files.push_back(StatsFile{
            file_name, [content]() -> Result<std::string> { return *content; }, content->size()});
      } else {
        return Fail(ErrorCode::kInvalidValue,
                    fmt::format("form part \"{}\" is not known: send files as \"file\" and a "
                                "JSON-stat mapping as \"mapping\"",
                                name),
                    {{"part", name}});
      }
    }
    if (files.empty()) {
      return Fail(ErrorCode::kInvalidValue, "the form has no \"file\" part: nothing to import");
    }
    return files;
  }
  const auto* body = &req.body;
  files.push_back(
      StatsFile{"body", [body]() -> Result<std::string> { return *body; }, body->size()});
  return files;
}

void ImportStats(App& app, const httplib::Request& req, httplib::Response& res,
                 const Caller& caller) {
  QueryParams params(
      req.params, {"format", "dry_run", "create_areas", "area", "indicator", "period", "language"});
  StatsImportOptions options;
  auto format = ParseFormat(params.Text("format"));
  if (!format) return SendError(res, format.error());
  options.format = *format;
  options.dry_run = params.Flag("dry_run");
  options.create_areas = params.Flag("create_areas");
  options.area = params.Text("area").value_or("0000");
  options.indicator = params.Text("indicator").value_or("");
  options.period = params.Text("period").value_or("");
  options.language = params.Text("language").value_or("");
  if (auto ok = params.Finish(); !ok) return SendError(res, ok.error());
  if (!req.is_multipart_form_data()) {
    // A PX file is text/plain; with auto, any of the three.
    const bool auto_format = options.format == StatsFormat::kAuto;
    const auto* expected = options.format == StatsFormat::kCsv  ? "text/csv"
                           : options.format == StatsFormat::kPx ? "text/plain"
                                                                : "application/json";
    auto ok = RequireMediaType(req, expected);
    if (!ok && auto_format) ok = RequireMediaType(req, "text/csv");
    if (!ok && auto_format) ok = RequireMediaType(req, "text/plain");
    if (!ok) return SendError(res, ok.error());
  }
  auto files = ImportFiles(req, options);
  if (!files) return SendError(res, files.error());
  SendResult(res, app.ImportStats(*files, options, caller), options.dry_run ? 200 : 201);
}

// POST /api/v1/import/{areas,area-groups,indicators}: Kolada's registry files.
void ImportRegistry(App& app, std::string_view what, const httplib::Request& req,
                    httplib::Response& res, const Caller& caller) {
  QueryParams params(req.params, {});
  if (auto ok = params.Finish(); !ok) return SendError(res, ok.error());
  const auto json = RequireMediaType(req, "application/json");
  if (!json && !RequireMediaType(req, "text/csv")) {
    return SendError(res, Fail(ErrorCode::kUnsupportedMediaType,
                               "the body must be sent as text/csv or application/json")
                              .value());
  }
  if (what == "areas") return SendResult(res, app.ImportAreas(req.body, "body", caller), 201);
  if (what == "area-groups") {
    return SendResult(res, app.ImportAreaGroups(req.body, "body", caller), 201);
  }
  SendResult(res, app.ImportIndicatorCatalogue(req.body, "body", caller), 201);
}

// POST /api/v1/import/geo: one GeoJSON FeatureCollection as the body.
void ImportGeometries(App& app, const httplib::Request& req, httplib::Response& res,
                      const Caller& caller) {
  QueryParams params(req.params, {"code_property", "dry_run"});
  GeometryImportOptions options;
  options.code_property = params.Text("code_property").value_or("id");
  options.dry_run = params.Flag("dry_run");
  if (options.code_property.empty()) {
    return SendError(
        res, BadParameter("code_property", "query parameter code_property: must name a property")
                 .value());
  }
  if (auto ok = params.Finish(); !ok) return SendError(res, ok.error());
  if (!RequireMediaType(req, "application/json") &&
      !RequireMediaType(req, "application/geo+json")) {
    return SendError(res, Fail(ErrorCode::kUnsupportedMediaType,
                               "the body must be sent as application/geo+json or application/json")
                              .value());
  }
  const auto* body = &req.body;
  const std::vector<StatsFile> files{
      StatsFile{"body", [body]() -> Result<std::string> { return *body; }, body->size()}};
  SendResult(res, app.ImportGeometries(files, options, caller), options.dry_run ? 200 : 201);
}

// GET /api/v1/area-geometries: the stored text, with an ETag that changes with the data.
void AreaGeometries(App& app, const httplib::Request& req, httplib::Response& res) {
  QueryParams params(req.params, {"kind", "county"});
  GeometryFilter filter;
  const auto kind = params.Text("kind");
  filter.county = params.Text("county").value_or("");
  if (auto ok = params.Finish(); !ok) return SendError(res, ok.error());
  if (kind) {
    filter.kind = ParseEnum<AreaKind>(*kind);
    if (filter.kind != AreaKind::kMunicipality && filter.kind != AreaKind::kRegion) {
      return SendError(res, BadParameter("kind", fmt::format("query parameter kind: \"{}\" is "
                                                             "not one of: municipality, region",
                                                             *kind))
                                .value());
    }
  }
  auto document = app.AreaGeometries(filter);
  if (!document) return SendError(res, document.error());
  res.set_header("ETag", document->etag);
  // Revalidated on every use: an import changes the tag, an unchanged map costs a 304.
  res.set_header("Cache-Control", "no-cache");
  if (req.get_header_value("If-None-Match").find(document->etag) != std::string::npos) {
    res.status = 304;
    return;
  }
  res.set_content(*document->document, kJsonType.data());
}

Result<Json> ListAreas(App& app, QueryParams& params) {
  const auto page = params.Page();
  AreaFilter filter;
  filter.kind = params.Enum<AreaKind>("kind");
  filter.county = params.Text("county").value_or("");
  filter.group = params.Text("group").value_or("");
  filter.text = params.Text("q").value_or("");
  if (auto ok = params.Finish(); !ok) return tl::unexpected(ok.error());
  return app.ListAreas(filter, page);
}

Result<Json> ListIndicators(App& app, QueryParams& params) {
  const auto page = params.Page();
  IndicatorFilter filter;
  filter.text = params.Text("q").value_or("");
  filter.source = params.Enum<IndicatorSource>("source");
  if (params.Text("has_data")) filter.has_data = params.Flag("has_data");
  if (auto ok = params.Finish(); !ok) return tl::unexpected(ok.error());
  return app.ListIndicators(filter, page);
}

Result<Json> Observations(App& app, const std::string& code, QueryParams& params) {
  ObservationFilter filter;
  filter.areas = params.List("area");
  filter.group = params.Text("group").value_or("");
  filter.kind = params.Enum<AreaKind>("kind");
  filter.county = params.Text("county").value_or("");
  filter.periods = params.List("period");
  filter.from = params.Text("from").value_or("");
  filter.to = params.Text("to").value_or("");
  filter.sexes = params.List("sex");
  filter.breakdowns = params.List("breakdown");
  filter.limit = params.Integer("limit", 1, 100000).value_or(10000);
  filter.benchmark = params.Text("benchmark").value_or("");
  filter.trend = params.Flag("trend");
  if (auto ok = params.Finish(); !ok) return tl::unexpected(ok.error());
  return app.Observations(code, filter);
}

Result<Json> FollowUp(App& app, const std::string& code, QueryParams& params) {
  FollowUpQuery query;
  query.area = params.Text("area").value_or("");
  query.baseline = params.Text("baseline").value_or("");
  query.follow_up = params.Text("follow_up").value_or("");
  if (auto target = params.Text("target")) {
    char* end = nullptr;
    const double value = std::strtod(target->c_str(), &end);
    if (target->empty() || end != target->c_str() + target->size() || !std::isfinite(value)) {
      return BadParameter("target",
                          fmt::format("query parameter target: \"{}\" is not a number", *target));
    }
    query.target = value;
  }
  if (auto year = params.Integer("target_year", 1800, 2200))
    query.target_year = static_cast<int>(*year);
  if (auto ok = params.Finish(); !ok) return tl::unexpected(ok.error());
  return app.FollowUp(code, query);
}

Result<Json> Equity(App& app, const std::string& code, QueryParams& params) {
  EquityQuery query;
  query.area = params.Text("area").value_or("");
  query.period = params.Text("period").value_or("");
  query.dimension = params.Text("dimension").value_or("");
  query.order = params.List("order");
  query.reference = params.Text("reference").value_or("");
  if (auto ok = params.Finish(); !ok) return tl::unexpected(ok.error());
  return app.Equity(code, query);
}

}  // namespace

bool DispatchStats(App& app, const httplib::Request& req, httplib::Response& res,
                   const std::vector<std::string_view>& rest, const Caller& caller,
                   const std::function<bool(const Allowed&)>& route) {
  const std::string_view method = req.method;
  if (rest[0] == "import" && rest.size() == 2) {
    if (rest[1] == "stats") {
      if (route({{"POST"}})) ImportStats(app, req, res, caller);
      return true;
    }
    if (rest[1] == "geo") {
      if (route({{"POST"}})) ImportGeometries(app, req, res, caller);
      return true;
    }
    if (rest[1] == "areas" || rest[1] == "area-groups" || rest[1] == "indicators") {
      if (route({{"POST"}})) ImportRegistry(app, rest[1], req, res, caller);
      return true;
    }
    return false;
  }
  if (rest[0] == "areas" && rest.size() <= 3) {
    if (!route({{"GET"}})) return true;
    if (rest.size() == 1) {
      QueryParams params(req.params, {"kind", "county", "group", "q"});
      SendResult(res, ListAreas(app, params));
    } else if (rest.size() == 2) {
      QueryParams params(req.params, {});
      if (auto ok = params.Finish(); !ok) return SendError(res, ok.error()), true;
      SendResult(res, app.GetArea(std::string(rest[1])));
    } else if (rest[2] == "profile") {
      QueryParams params(req.params, {});
      if (auto ok = params.Finish(); !ok) return SendError(res, ok.error()), true;
      auto document = app.AreaProfileDocument(std::string(rest[1]));
      if (!document) return SendError(res, document.error()), true;
      res.set_content(**document, kJsonType.data());
    } else {
      SendError(res, NotFound(req.path).value());
    }
    return true;
  }
  if (rest[0] == "area-geometries" && rest.size() == 1) {
    if (route({{"GET"}})) AreaGeometries(app, req, res);
    return true;
  }
  if (rest[0] == "area-groups" && rest.size() <= 2) {
    if (rest.size() == 1) {
      if (!route({{"GET"}})) return true;
      QueryParams params(req.params, {"source"});
      auto source = params.Text("source");
      if (source && *source != "kolada" && *source != "user") {
        SendError(res, BadParameter("source", fmt::format("query parameter source: \"{}\" is not "
                                                          "one of: kolada, user",
                                                          *source))
                           .value());
        return true;
      }
      if (auto ok = params.Finish(); !ok) return SendError(res, ok.error()), true;
      SendResult(res, app.ListAreaGroups(source));
      return true;
    }
    if (!route({{"PUT", "DELETE"}})) return true;
    const std::string code(rest[1]);
    if (method == "DELETE") {
      SendResult(res, app.DeleteAreaGroup(code, caller));
      return true;
    }
    if (auto ok = RequireMediaType(req, "application/json"); !ok) {
      return SendError(res, ok.error()), true;
    }
    auto body = ParseJson(req.body);
    if (!body) return SendError(res, body.error()), true;
    if (body->is_object()) {
      auto given = body->find("code");
      if (given != body->end() && *given != code) {
        SendError(res, Fail(ErrorCode::kInvalidValue,
                            fmt::format("/code must be the group's code in the path ({})", code),
                            {{"field", "/code"}})
                           .value());
        return true;
      }
      (*body)["code"] = code;
    }
    SendResult(res, app.PutAreaGroup(*body, caller));
    return true;
  }
  if (rest[0] == "indicators" && rest.size() <= 3) {
    if (rest.size() == 1) {
      if (!route({{"GET", "POST"}})) return true;
      if (method == "POST") {
        if (auto ok = RequireMediaType(req, "application/json"); !ok) {
          return SendError(res, ok.error()), true;
        }
        auto body = ParseJson(req.body);
        if (!body) return SendError(res, body.error()), true;
        auto created = app.CreateIndicator(*body, caller);
        if (created) {
          res.set_header("Location", fmt::format("/api/v1/indicators/{}",
                                                 (*created)["code"].get<std::string>()));
        }
        SendResult(res, created, 201);
        return true;
      }
      QueryParams params(req.params, {"q", "source", "has_data"});
      SendResult(res, ListIndicators(app, params));
      return true;
    }
    if (!route({{"GET"}})) return true;
    const std::string code(rest[1]);
    if (rest.size() == 2) {
      QueryParams params(req.params, {});
      if (auto ok = params.Finish(); !ok) return SendError(res, ok.error()), true;
      SendResult(res, app.GetIndicator(code));
    } else if (rest[2] == "observations") {
      QueryParams params(req.params, {"area", "group", "kind", "county", "period", "from", "to",
                                      "sex", "breakdown", "limit", "benchmark", "trend"});
      SendResult(res, Observations(app, code, params));
    } else if (rest[2] == "periods" && rest.size() == 3) {
      QueryParams params(req.params, {"kind"});
      const auto kind = params.Enum<AreaKind>("kind");
      if (auto ok = params.Finish(); !ok) return SendError(res, ok.error()), true;
      SendResult(res, app.IndicatorPeriods(code, kind));
    } else if (rest[2] == "follow-up" && rest.size() == 3) {
      QueryParams params(req.params, {"area", "baseline", "follow_up", "target", "target_year"});
      SendResult(res, FollowUp(app, code, params));
    } else if (rest[2] == "equity" && rest.size() == 3) {
      QueryParams params(req.params, {"area", "period", "dimension", "order", "reference"});
      SendResult(res, Equity(app, code, params));
    } else {
      SendError(res, NotFound(req.path).value());
    }
    return true;
  }
  if (rest[0] == "settings" && rest.size() == 2 && rest[1] == "disclosure") {
    if (!route({{"GET", "PUT"}})) return true;
    if (method == "GET") {
      SendResult(res, app.DisclosureRule());
      return true;
    }
    if (auto ok = RequireMediaType(req, "application/json"); !ok) {
      return SendError(res, ok.error()), true;
    }
    auto body = ParseJson(req.body);
    if (!body) return SendError(res, body.error()), true;
    SendResult(res, app.SetDisclosureRule(*body, caller));
    return true;
  }
  return false;
}

}  // namespace halsonav::http
