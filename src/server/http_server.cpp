#include "server/http_server.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include "core/text.hpp"
#include "server/account_routes.hpp"
#include "server/fetch_routes.hpp"
#include "server/guarded_server.hpp"
#include "server/http_support.hpp"
#include "server/query_params.hpp"
#include "server/request_guard.hpp"
#include "server/stats_routes.hpp"

namespace halsonav {
namespace {

using http::Allowed;
using http::kJsonType;
using http::NotFound;
using http::ParseId;
using http::RequireMediaType;
using http::SendError;
using http::SendJson;
using http::SendResult;

struct Collection {
  std::string_view path;
  EntityKind kind;
};

constexpr std::array<Collection, 6> kCollections = {{
    {"actors", EntityKind::kActor},
    {"units", EntityKind::kUnit},
    {"frameworks", EntityKind::kFramework},
    {"nodes", EntityKind::kNode},
    {"measures", EntityKind::kMeasure},
    {"adoptions", EntityKind::kAdoption},
}};

std::optional<EntityKind> CollectionKind(std::string_view segment) {
  for (const auto& collection : kCollections) {
    if (collection.path == segment) return collection.kind;
  }
  return std::nullopt;
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    const auto start = path.find_first_not_of('/');
    if (start == std::string_view::npos) break;
    path.remove_prefix(start);
    const auto end = path.find('/');
    segments.push_back(path.substr(0, end));
    path.remove_prefix(end == std::string_view::npos ? path.size() : end);
  }
  return segments;
}

std::string NewErrorId() {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  return fmt::format("{:016x}", generator());
}

// The media type of a web application file, by its extension.
std::string_view WebMediaType(const std::filesystem::path& file) {
  const std::string extension = file.extension().string();
  if (extension == ".html") return "text/html; charset=utf-8";
  if (extension == ".js" || extension == ".mjs") return "text/javascript; charset=utf-8";
  if (extension == ".css") return "text/css; charset=utf-8";
  if (extension == ".json" || extension == ".map") return "application/json";
  if (extension == ".svg") return "image/svg+xml";
  if (extension == ".png") return "image/png";
  if (extension == ".ico") return "image/x-icon";
  if (extension == ".woff2") return "font/woff2";
  if (extension == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

bool ReadFile(const std::filesystem::path& file, std::string& out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = std::move(buffer).str();
  return true;
}

}  // namespace

struct HttpServer::Impl {
  Impl(App& app_in, ServerConfig config_in)
      : app(app_in), config(std::move(config_in)), server(Limits(config)) {}

  // The connection limits of the configuration: twice as many connections may wait as there
  // are workers.
  static http::ConnectionLimits Limits(const ServerConfig& server_config) {
    http::ConnectionLimits limits;
    limits.threads = static_cast<std::size_t>(server_config.threads);
    limits.queue_limit = limits.threads * 2;
    limits.request_seconds = server_config.request_seconds;
    return limits;
  }
  void Dispatch(const httplib::Request& req, httplib::Response& res);
  bool ReadBody(const httplib::Request& req, httplib::Response& res,
                const httplib::ContentReader& reader) const;
  void ServeWeb(const httplib::Request& req, httplib::Response& res,
                const std::vector<std::string_view>& segments);
  Result<Json> ListCollection(EntityKind kind, QueryParams& params, const Caller& caller);
  Result<Json> Body(const httplib::Request& req);

  App& app;
  ServerConfig config;
  http::GuardConfig guard;  // set by Bind(), when the port is known
  http::GuardedServer server;
};

// Reads the body into the request (its form parts into `files`), counting the bytes as they
// arrive (after decompression, which httplib does before the receiver): a body past the limit
// is cut there, whether it came with Content-Length, chunked or compressed, and answered 413.
// A body that cannot be read (a broken chunk, a deadline) is answered 400. Either way the
// connection is closed after the answer: what is left of the body must not be read as the
// next request.
bool HttpServer::Impl::ReadBody(const httplib::Request& req, httplib::Response& res,
                                const httplib::ContentReader& reader) const {
  auto& request = const_cast<httplib::Request&>(req);  // httplib's own non-const object
  const std::size_t limit = config.max_body_bytes;
  std::size_t received = 0;
  bool too_large = false;
  bool bad_name = false;  // a form part's name or file name that is not UTF-8
  const auto count = [&](std::size_t size) {
    received += size;
    too_large = received > limit;
    return !too_large;
  };
  bool read = false;
  if (req.is_multipart_form_data()) {
    auto part = request.files.end();
    read = reader(
        [&](const httplib::MultipartFormData& header) {
          bad_name = FirstInvalidUtf8(header.name) != std::string::npos ||
                     FirstInvalidUtf8(header.filename) != std::string::npos;
          if (bad_name) return false;
          part = request.files.emplace(header.name, header);
          return true;
        },
        [&](const char* data, std::size_t size) {
          if (!count(size) || part == request.files.end()) return false;
          part->second.content.append(data, size);
          return true;
        });
  } else {
    read = reader([&](const char* data, std::size_t size) {
      if (!count(size)) return false;
      request.body.append(data, size);
      return true;
    });
  }
  if (read) return true;
  http::GuardedServer::CloseAfterResponse(req);
  if (bad_name) {
    SendError(res, Error{ErrorCode::kInvalidValue,
                         "a form part's name or file name is not valid UTF-8: send file names "
                         "as UTF-8 (RFC 7578)",
                         Json::object()});
  } else if (too_large) {
    SendError(res, Error{ErrorCode::kPayloadTooLarge,
                         fmt::format("the body is larger than the limit of {} bytes", limit),
                         {{"limit", limit}}});
  } else {
    SendError(res, Error{ErrorCode::kBadRequest,
                         "the body could not be read: a broken chunked or compressed encoding, or "
                         "it did not arrive in time",
                         Json::object()});
  }
  return false;
}

Result<Json> HttpServer::Impl::Body(const httplib::Request& req) {
  if (auto ok = RequireMediaType(req, "application/json"); !ok) return tl::unexpected(ok.error());
  return ParseJson(req.body);
}

Result<Json> HttpServer::Impl::ListCollection(EntityKind kind, QueryParams& params,
                                              const Caller& caller) {
  const auto page = params.Page();
  const bool include_deleted = params.Flag("include_deleted");
  switch (kind) {
    case EntityKind::kActor: {
      ActorFilter filter{params.Enum<ActorKind>("kind"), params.Text("q").value_or(""),
                         include_deleted};
      if (auto ok = params.Finish(); !ok) return tl::unexpected(ok.error());
      return app.ListActors(filter, page);
    }
    case EntityKind::kUnit: {
      UnitFilter filter{params.EntityId("actor_id"), include_deleted};
      if (auto ok = params.Finish(); !ok) return tl::unexpected(ok.error());
      return app.ListUnits(filter, page);
    }
    case EntityKind::kFramework: {
      FrameworkFilter filter{params.Enum<FrameworkKind>("kind"),
                             params.Enum<FrameworkStatus>("status"), include_deleted};
      if (auto ok = params.Finish(); !ok) return tl::unexpected(ok.error());
      return app.ListFrameworks(filter, page, caller);
    }
    case EntityKind::kNode: {
      NodeFilter filter;
      filter.framework_id = params.EntityId("framework_id");
      filter.include_deleted = include_deleted;
      if (params.Text("parent_id") == "root") {
        filter.only_roots = true;
      } else {
        filter.parent_id = params.EntityId("parent_id");
      }
      if (auto ok = params.Finish(); !ok) return tl::unexpected(ok.error());
      return app.ListNodes(filter, page, caller);
    }
    case EntityKind::kMeasure: {
      MeasureFilter filter;
      filter.framework_id = params.EntityId("framework_id");
      filter.node_id = params.EntityId("node_id");
      filter.actor_id = params.EntityId("actor_id");
      filter.status = params.Enum<MeasureStatus>("status");
      if (auto area = params.Integer("target_area", 1, 8)) {
        filter.classifications.push_back(fmt::format("target_area:{}", *area));
      }
      if (auto level = params.Text("prevention_level")) {
        if (*level != "universal" && *level != "selective" && *level != "indicated") {
          return Fail(ErrorCode::kInvalidParameter,
                      fmt::format("query parameter prevention_level: \"{}\" is not one of: "
                                  "universal, selective, indicated",
                                  *level),
                      {{"parameter", "prevention_level"}});
        }
        filter.classifications.push_back("prevention_level:" + *level);
      }
      filter.tag = params.Text("tag").value_or("");
      filter.text = params.Text("q").value_or("");
      filter.include_deleted = include_deleted;
      if (auto ok = params.Finish(); !ok) return tl::unexpected(ok.error());
      return app.ListMeasures(filter, page, caller);
    }
    case EntityKind::kAdoption: {
      AdoptionFilter filter{params.EntityId("framework_id"), params.EntityId("actor_id"),
                            include_deleted};
      if (auto ok = params.Finish(); !ok) return tl::unexpected(ok.error());
      return app.ListAdoptions(filter, page, caller);
    }
  }
  return Fail(ErrorCode::kInternal, "unknown collection");
}

// The web application (web/dist): a file that exists is sent as it is; any other path without
// an extension is a page of the application (its routes live in the URL), so index.html.
// Hashed assets are cached for a year, index.html is revalidated.
void HttpServer::Impl::ServeWeb(const httplib::Request& req, httplib::Response& res,
                                const std::vector<std::string_view>& segments) {
  std::filesystem::path file = config.web_root;
  for (const auto segment : segments) {
    if (segment == ".." || segment == "." || segment.find('\\') != std::string_view::npos) {
      SendError(res, NotFound(req.path).value());
      return;
    }
    file /= std::string(segment);
  }
  std::error_code error;
  if (segments.empty() || !std::filesystem::is_regular_file(file, error)) {
    const bool page = segments.empty() || segments.back().find('.') == std::string_view::npos;
    if (!page) {
      SendError(res, NotFound(req.path).value());
      return;
    }
    file = std::filesystem::path(config.web_root) / "index.html";
  }
  std::string body;
  if (!ReadFile(file, body)) {
    SendError(res, Error{ErrorCode::kNotFound,
                         fmt::format("the web application is not built ({} is missing): run "
                                     "`npm ci && npm run build` in web/",
                                     file.string()),
                         {{"path", req.path}}});
    return;
  }
  const bool immutable = !segments.empty() && segments[0] == "assets";
  res.set_header("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.set_content(std::move(body), std::string(WebMediaType(file)));
}

void HttpServer::Impl::Dispatch(const httplib::Request& req, httplib::Response& res) {
  const auto segments = Segments(req.path);
  const std::string_view method = req.method;
  http::SetSecurityHeaders(guard, res);
  // Answers 405 when the route exists but not for this method.
  const auto route = [&](const Allowed& allowed) {
    if (allowed.Has(method)) return true;
    res.set_header("Allow", fmt::format("{}", fmt::join(allowed.methods, ", ")));
    SendError(res, Error{ErrorCode::kMethodNotAllowed,
                         fmt::format("{} is not allowed on {}; use {}", method, req.path,
                                     fmt::join(allowed.methods, ", ")),
                         Json::object()});
    return false;
  };

  if (segments.size() == 1 && segments[0] == "healthz") {
    if (!route({{"GET"}})) return;
    SendJson(
        res, 200,
        {{"status", "ok"}, {"schema_version", app.SchemaVersion()}, {"version", HALSONAV_VERSION}});
    return;
  }
  if (segments.empty() || segments[0] != "api") {
    if (!config.web_root.empty() && (method == "GET" || method == "HEAD")) {
      ServeWeb(req, res, segments);
      return;
    }
  }
  if (segments.size() < 3 || segments[0] != "api" || segments[1] != "v1") {
    SendError(res, NotFound(req.path).value());
    return;
  }
  const std::vector<std::string_view> rest(segments.begin() + 2, segments.end());
  auto identity = http::Identify(app, guard, req);
  if (!identity) {
    SendError(res, identity.error());
    return;
  }
  const Caller& caller = identity->caller;
  // What a signed-in user reads (drafts, for one) must not be kept by a shared cache nor served
  // to another: every API answer varies with the credentials, and a signed-in one is private.
  struct CacheHeaders {
    httplib::Response& res;
    bool signed_in;
    ~CacheHeaders() {
      res.set_header("Vary", "Cookie, Authorization");
      if (!res.has_header("Cache-Control")) {
        res.set_header("Cache-Control", signed_in ? "private, no-store" : "no-cache");
      }
    }
  } cache_headers{res, caller.SignedIn()};

  if (rest.size() == 1 && rest[0] == "openapi.json") {
    if (!route({{"GET"}})) return;
    res.set_content(OpenApiDocument(), kJsonType.data());
    return;
  }
  if (http::DispatchAccounts(app, guard, req, res, rest, *identity, route)) return;
  if (rest[0] == "history" && rest.size() == 1) {
    if (!route({{"GET"}})) return;
    QueryParams history(req.params, {"entity", "id"});
    const auto page = history.Page();
    HistoryFilter filter;
    if (auto entity = history.Text("entity")) {
      if (!ParseEntityName(*entity) && *entity != "stats_import" && *entity != "indicator" &&
          *entity != "area_group" && *entity != "disclosure_rule") {
        SendError(res, Error{ErrorCode::kInvalidParameter,
                             fmt::format("query parameter entity: \"{}\" is not one of: actor, "
                                         "unit, framework, node, measure, adoption, stats_import, "
                                         "indicator, area_group, disclosure_rule",
                                         *entity),
                             {{"parameter", "entity"}}});
        return;
      }
      filter.entity = *entity;
    }
    filter.entity_id = history.EntityId("id");
    if (auto ok = history.Finish(); !ok) return SendError(res, ok.error());
    SendResult(res, app.History(filter, page, caller));
    return;
  }
  if (rest[0] == "classifications" && rest.size() <= 2) {
    if (!route({{"GET"}})) return;
    if (rest.size() == 2) {
      SendResult(res, app.GetClassification(std::string(rest[1])));
      return;
    }
    QueryParams list(req.params, {"scheme"});
    const auto page = list.Page();
    const auto scheme = list.Text("scheme");
    if (scheme && *scheme != "target_area" && *scheme != "agenda2030" &&
        *scheme != "prevention_level") {
      return SendError(res, Error{ErrorCode::kInvalidParameter,
                                  fmt::format("query parameter scheme: \"{}\" is not one of: "
                                              "target_area, agenda2030, prevention_level",
                                              *scheme),
                                  {{"parameter", "scheme"}}});
    }
    if (auto ok = list.Finish(); !ok) return SendError(res, ok.error());
    SendResult(res, app.ListClassifications(scheme, page));
    return;
  }
  if (rest[0] == "import" && rest.size() == 2 && rest[1] == "plan") {
    if (!route({{"POST"}})) return;
    QueryParams params(req.params, {"dry_run", "create_actors"});
    PlanImportOptions options{.dry_run = params.Flag("dry_run"),
                              .create_actors = params.Flag("create_actors")};
    if (auto ok = params.Finish(); !ok) return SendError(res, ok.error());
    if (auto ok = RequireMediaType(req, "application/json"); !ok) {
      return SendError(res, ok.error());
    }
    auto report = app.ImportPlan(req.body, options, caller);
    if (report && !options.dry_run) {
      res.set_header("Location",
                     fmt::format("/api/v1/frameworks/{}", (*report)["framework_id"].get<Id>()));
    }
    SendResult(res, report, options.dry_run ? 200 : 201);
    return;
  }
  if (rest.size() == 4 && rest[0] == "frameworks" && rest[2] == "import" && rest[3] == "measures") {
    const auto framework_id = ParseId(rest[1]);
    if (!framework_id) return SendError(res, NotFound(req.path).value());
    if (!route({{"POST"}})) return;
    QueryParams params(req.params, {"dry_run"});
    const bool dry_run = params.Flag("dry_run");
    if (auto ok = params.Finish(); !ok) return SendError(res, ok.error());
    if (auto ok = RequireMediaType(req, "text/csv"); !ok) return SendError(res, ok.error());
    SendResult(res, app.ImportMeasuresCsv(*framework_id, req.body, "body", dry_run, caller),
               dry_run ? 200 : 201);
    return;
  }
  if (http::DispatchFetches(app, req, res, rest, caller, route)) return;
  if (http::DispatchStats(app, req, res, rest, caller, route)) return;
  const auto kind = CollectionKind(rest[0]);
  if (!kind || rest.size() > 3) {
    SendError(res, NotFound(req.path).value());
    return;
  }
  if (rest.size() == 1) {
    if (!route({{"GET", "POST"}})) return;
    if (method == "GET") {
      // Each collection accepts only its own filters.
      static const std::map<EntityKind, std::set<std::string>> kFilters = {
          {EntityKind::kActor, {"kind", "q", "include_deleted"}},
          {EntityKind::kUnit, {"actor_id", "include_deleted"}},
          {EntityKind::kFramework, {"kind", "status", "include_deleted"}},
          {EntityKind::kNode, {"framework_id", "parent_id", "include_deleted"}},
          {EntityKind::kMeasure,
           {"framework_id", "node_id", "actor_id", "status", "target_area", "prevention_level",
            "tag", "q", "include_deleted"}},
          {EntityKind::kAdoption, {"framework_id", "actor_id", "include_deleted"}},
      };
      QueryParams scoped(req.params, kFilters.at(*kind));
      SendResult(res, ListCollection(*kind, scoped, caller));
      return;
    }
    auto body = Body(req);
    if (!body) return SendError(res, body.error());
    auto created = app.Create(*kind, *body, caller);
    if (created)
      res.set_header("Location", fmt::format("{}/{}", req.path, (*created)["id"].get<Id>()));
    SendResult(res, created, 201);
    return;
  }
  const auto id = ParseId(rest[1]);
  if (!id) {
    SendError(res, NotFound(req.path).value());
    return;
  }
  if (rest.size() == 3) {
    if (rest[2] == "restore") {
      if (!route({{"POST"}})) return;
      SendResult(res, app.Restore(*kind, *id, caller));
    } else if (rest[2] == "tree" && *kind == EntityKind::kFramework) {
      if (!route({{"GET"}})) return;
      const auto tree = app.FrameworkTree(*id, caller);
      if (!tree) return SendError(res, tree.error());
      res.set_content(**tree, kJsonType.data());
    } else if (rest[2] == "content" && *kind == EntityKind::kFramework) {
      if (!route({{"GET"}})) return;
      SendResult(res, app.GetFrameworkContent(*id, caller));
    } else if (rest[2] == "export" && *kind == EntityKind::kFramework) {
      if (!route({{"GET"}})) return;
      QueryParams params(req.params, {"format"});
      const auto format = params.Text("format").value_or("json");
      if (auto ok = params.Finish(); !ok) return SendError(res, ok.error());
      if (format != "json" && format != "xlsx") {
        return SendError(res, Error{ErrorCode::kInvalidParameter,
                                    fmt::format("query parameter format: \"{}\" is not one of: "
                                                "json, xlsx",
                                                format),
                                    {{"parameter", "format"}}});
      }
      auto file = format == "xlsx" ? app.ExportPlanXlsx(*id, caller) : app.ExportPlan(*id, caller);
      if (!file) return SendError(res, file.error());
      res.set_header("Content-Disposition",
                     fmt::format("attachment; filename=\"framework-{}.{}\"", *id, format));
      res.set_content(*file, format == "xlsx" ? "application/"
                                                "vnd.openxmlformats-officedocument.spreadsheetml."
                                                "sheet"
                                              : kJsonType.data());
    } else {
      SendError(res, NotFound(req.path).value());
    }
    return;
  }
  if (!route({{"GET", "PATCH", "DELETE"}})) return;
  if (method == "GET") {
    SendResult(res, app.Get(*kind, *id, caller));
  } else if (method == "PATCH") {
    auto body = Body(req);
    if (!body) return SendError(res, body.error());
    SendResult(res, app.Update(*kind, *id, *body, caller));
  } else {
    QueryParams del(req.params, {"version"});
    const auto version = del.Integer("version", 1, INT64_MAX);
    if (auto ok = del.Finish(); !ok) return SendError(res, ok.error());
    SendResult(res, app.Delete(*kind, *id, version, caller));
  }
}

namespace {

// An Accept-Encoding value without its `br` entries ("gzip, deflate, br" → "gzip, deflate").
std::string WithoutBrotli(const std::string& value) {
  std::string out;
  std::istringstream items(value);
  for (std::string item; std::getline(items, item, ',');) {
    const auto begin = item.find_first_not_of(' ');
    if (begin == std::string::npos) continue;
    item.erase(0, begin);
    if (item.substr(0, item.find_first_of("; ")) == "br") continue;
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

}  // namespace

HttpServer::HttpServer(App& app, ServerConfig config)
    : impl_(std::make_unique<Impl>(app, std::move(config))) {
  auto& server = impl_->server;
  server.set_tcp_nodelay(true);  // without it each reply waits ~40 ms (Nagle): see STACK.md
  server.set_keep_alive_timeout(impl_->config.keep_alive_seconds);
  server.set_keep_alive_max_count(10000);
  server.set_read_timeout(10, 0);
  server.set_payload_max_length(impl_->config.max_body_bytes);
  // Debian's cpp-httplib compresses with Brotli whenever the client accepts it, at Brotli's
  // slowest quality (11): 1.3 s for a 1.4 MB framework tree, against 8 ms with gzip. Every
  // browser accepts both, so the server offers itself only gzip (docs/BENCHMARKS.md). The
  // request is httplib's own non-const object; the handler only sees it as const.
  server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    http::GuardedServer::HeadersRead();
    auto& headers = const_cast<httplib::Request&>(req).headers;
    const auto [first, last] = headers.equal_range("Accept-Encoding");
    for (auto it = first; it != last; ++it) it->second = WithoutBrotli(it->second);
    // A request with neither Content-Length nor chunked encoding has no body (RFC 9112, 6.3);
    // httplib 0.11 would read one until the client closes.
    if (!req.has_header("Content-Length") &&
        LowerCase(req.get_header_value("Transfer-Encoding")) != "chunked") {
      const_cast<httplib::Request&>(req).set_header("Content-Length", "0");
    }
    // A declared length past the limit is refused before a byte of the body is read (httplib
    // would read it all to skip it); the connection closes after the answer.
    const auto limit = impl_->config.max_body_bytes;
    const auto length = req.get_header_value("Content-Length");
    std::uint64_t declared = 0;
    std::from_chars(length.data(), length.data() + length.size(), declared);
    if (declared > static_cast<std::uint64_t>(limit)) {
      // A body up to twice the limit is read and discarded after the answer (most clients
      // read the answer only once they have sent everything); a larger one is not read at all.
      const auto discard = declared <= 2 * static_cast<std::uint64_t>(limit) ? declared : 0;
      http::GuardedServer::CloseAfterResponse(req, static_cast<std::size_t>(discard));
      SendError(res, Error{ErrorCode::kPayloadTooLarge,
                           fmt::format("the body is larger than the limit of {} bytes", limit),
                           {{"limit", limit}}});
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    try {
      impl_->Dispatch(req, res);
    } catch (const std::exception& error) {
      const auto error_id = NewErrorId();
      spdlog::error("error {} on {} {}: {}", error_id, req.method, req.path, error.what());
      SendError(res, Error{ErrorCode::kInternal,
                           fmt::format("an internal error occurred (id {})", error_id),
                           {{"error_id", error_id}}});
    }
  };
  // Methods with a body read it through ReadBody (limits), then go the same way.
  const auto with_body = [this, handler](const httplib::Request& req, httplib::Response& res,
                                         const httplib::ContentReader& reader) {
    if (impl_->ReadBody(req, res, reader)) handler(req, res);
  };
  server.Get(".*", handler);
  server.Post(".*", with_body);
  server.Put(".*", with_body);
  server.Patch(".*", with_body);
  server.Delete(".*", with_body);
  server.Options(".*", handler);
  server.set_error_handler(static_cast<httplib::Server::HandlerWithResponse>(
      [this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (res.status == 413) {
          SendError(res, Error{ErrorCode::kPayloadTooLarge,
                               fmt::format("the body is larger than the limit of {} bytes",
                                           impl_->config.max_body_bytes),
                               {{"limit", impl_->config.max_body_bytes}}});
        } else if (res.status == 404) {
          SendError(res, NotFound(req.path).value());
        } else if (res.status == 400) {
          SendError(res, Error{ErrorCode::kBadRequest, "the HTTP request could not be read",
                               Json::object()});
        } else {
          const int status = res.status;
          SendJson(res, status,
                   ErrorBody(Error{status >= 500 ? ErrorCode::kInternal : ErrorCode::kBadRequest,
                                   fmt::format("HTTP {}", status), Json::object()}));
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
}

HttpServer::~HttpServer() = default;

Result<int> HttpServer::Bind() {
  auto& server = impl_->server;
  const auto& config = impl_->config;
  int port = config.port;
  if (port == 0) {
    port = server.bind_to_any_port(config.host);
  } else if (!server.bind_to_port(config.host, port)) {
    port = -1;
  }
  if (port < 0) {
    return Fail(ErrorCode::kInternal,
                fmt::format("cannot listen on {}:{} (address in use or not available)", config.host,
                            config.port));
  }
  impl_->guard = http::MakeGuardConfig(config.host, port, config.public_url);
  impl_->guard.trusted_proxies = config.trusted_proxies;
  impl_->guard.public_read = config.public_read;
  return port;
}

void HttpServer::Run() { impl_->server.listen_after_bind(); }

void HttpServer::Stop() { impl_->server.stop(); }

}  // namespace halsonav
