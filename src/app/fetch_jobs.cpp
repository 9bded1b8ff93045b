// Fetches started from the web application (docs/api.md, "Fetches"): the parameters are checked
// as a request body, the job is stored (table fetch_job) and run on a worker thread of this
// process, which records its state and progress in the database as it goes, so that any server
// process of the same database answers GET /fetches/{id}. The run itself is the CLI's
// (app/fetch.cpp): download, then one import.

#include <chrono>
#include <set>

#include <fmt/format.h>

#include "app/access.hpp"
#include "app/app.hpp"
#include "app/fetch.hpp"
#include "store/store.hpp"

namespace halsonav {
namespace {

// Progress is written at most this often while downloading (each write is a transaction).
constexpr auto kProgressEvery = std::chrono::milliseconds(500);

tl::unexpected<Error> WrongType(const std::string& field, std::string_view expected) {
  return Fail(ErrorCode::kWrongType, fmt::format("/{} must be {}", field, expected),
              {{"field", "/" + field}, {"expected", expected}});
}

// Reads the body's fields into the options, strictly: unknown fields and wrong types are errors.
class Fields {
 public:
  explicit Fields(const Json& body) : body_(body) {}

  Result<void> Check(const std::set<std::string>& known) const {
    for (const auto& [key, value] : body_.items()) {
      if (!known.contains(key)) {
        return Fail(ErrorCode::kUnknownField,
                    fmt::format("/{} is not a field of a {} fetch", key,
                                body_.value("source", std::string())),
                    {{"field", "/" + key}});
      }
    }
    return {};
  }
  Result<void> Text(const std::string& field, std::string& out, bool required = false) const {
    const auto it = body_.find(field);
    if (it == body_.end()) {
      if (!required) return {};
      return Fail(ErrorCode::kMissingField, fmt::format("/{} is required", field),
                  {{"field", "/" + field}});
    }
    if (!it->is_string()) return WrongType(field, "string");
    out = it->get<std::string>();
    return {};
  }
  Result<void> Flag(const std::string& field, bool& out) const {
    const auto it = body_.find(field);
    if (it == body_.end()) return {};
    if (!it->is_boolean()) return WrongType(field, "boolean");
    out = it->get<bool>();
    return {};
  }
  Result<void> Number(const std::string& field, double& out, double low, double high) const {
    const auto it = body_.find(field);
    if (it == body_.end()) return {};
    if (!it->is_number()) return WrongType(field, "number");
    out = it->get<double>();
    if (out < low || out > high) {
      return Fail(ErrorCode::kInvalidValue,
                  fmt::format("/{} must be between {} and {}", field, low, high),
                  {{"field", "/" + field}});
    }
    return {};
  }
  Result<void> Texts(const std::string& field, std::vector<std::string>& out) const {
    const auto it = body_.find(field);
    if (it == body_.end()) return {};
    if (!it->is_array()) return WrongType(field, "array of strings");
    for (const auto& item : *it) {
      if (!item.is_string()) return WrongType(field, "array of strings");
      out.push_back(item.get<std::string>());
    }
    return {};
  }
  Result<void> Document(const std::string& field, std::string& out) const {
    const auto it = body_.find(field);
    if (it == body_.end()) return {};
    if (!it->is_object()) return WrongType(field, "object");
    out = it->dump();
    return {};
  }
  Result<void> Network(FetchNetwork& network) const {
    if (auto ok = Number("timeout_s", network.read_timeout_s, 0.1, 600); !ok) return ok;
    double retries = network.retries;
    if (auto ok = Number("retries", retries, 0, 10); !ok) return ok;
    network.retries = static_cast<int>(retries);
    return {};
  }

 private:
  const Json& body_;
};

#define HALSONAV_TRY(expression) \
  if (auto ok = (expression); !ok) return tl::unexpected(ok.error())

Result<KoladaFetchOptions> KoladaOptions(const Json& body) {
  const Fields fields(body);
  HALSONAV_TRY(fields.Check({"source", "kpis", "municipalities", "all_municipalities", "regions",
                             "years", "base_url", "dry_run", "timeout_s", "retries"}));
  KoladaFetchOptions options;
  HALSONAV_TRY(fields.Texts("kpis", options.kpis));
  if (options.kpis.empty()) {
    return Fail(ErrorCode::kMissingField, "/kpis is required: at least one KPI id",
                {{"field", "/kpis"}});
  }
  HALSONAV_TRY(fields.Texts("municipalities", options.municipalities));
  HALSONAV_TRY(fields.Flag("all_municipalities", options.all_municipalities));
  HALSONAV_TRY(fields.Flag("regions", options.regions));
  HALSONAV_TRY(fields.Text("years", options.years));
  HALSONAV_TRY(fields.Text("base_url", options.base_url));
  HALSONAV_TRY(fields.Flag("dry_run", options.dry_run));
  HALSONAV_TRY(fields.Network(options.network));
  return options;
}

Result<PxWebFetchOptions> PxWebOptions(const Json& body) {
  const Fields fields(body);
  HALSONAV_TRY(fields.Check({"source", "table_url", "select", "query", "mapping", "area",
                             "create_areas", "dry_run", "timeout_s", "retries"}));
  PxWebFetchOptions options;
  HALSONAV_TRY(fields.Text("table_url", options.table_url, true));
  HALSONAV_TRY(fields.Texts("select", options.selects));
  HALSONAV_TRY(fields.Document("query", options.query));
  HALSONAV_TRY(fields.Document("mapping", options.mapping));
  HALSONAV_TRY(fields.Text("area", options.area));
  HALSONAV_TRY(fields.Flag("create_areas", options.create_areas));
  HALSONAV_TRY(fields.Flag("dry_run", options.dry_run));
  HALSONAV_TRY(fields.Network(options.network));
  return options;
}

#undef HALSONAV_TRY

Json JobJson(const FetchJobRecord& job) {
  Json out{{"id", job.id},
           {"source", job.source},
           {"parameters", Json::parse(job.parameters)},
           {"state", job.state},
           {"progress", Json::parse(job.progress)},
           {"created_by", job.created_by},
           {"created_at", job.created_at},
           {"updated_at", job.updated_at}};
  if (job.state == "done") out["report"] = Json::parse(job.result);
  if (job.state == "failed") out["error"] = Json::parse(job.result);
  return out;
}

}  // namespace

Result<Json> App::StartFetch(const Json& body, const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kAnalyst}, "fetch statistics"); !ok) {
    return tl::unexpected(ok.error());
  }
  if (!body.is_object()) {
    return Fail(ErrorCode::kWrongType, "the body must be object",
                {{"field", ""}, {"expected", "object"}});
  }
  const auto source =
      body.value("source", Json()).is_string() ? body["source"].get<std::string>() : std::string();
  // The options are checked now, so that a bad request is a 400 and never a failed job.
  if (source == "kolada") {
    if (auto ok = KoladaOptions(body); !ok) return tl::unexpected(ok.error());
  } else if (source == "pxweb") {
    if (auto ok = PxWebOptions(body); !ok) return tl::unexpected(ok.error());
  } else {
    return Fail(ErrorCode::kInvalidValue, "/source must be \"kolada\" or \"pxweb\"",
                {{"field", "/source"}, {"allowed", {"kolada", "pxweb"}}});
  }
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  const auto now = now_();
  FetchJobRecord job{0,  source,      body.dump(), "queued", R"({"stage": "fetch"})",
                     "", caller.user, now,         now};
  auto id = (*tx)->Insert(job);
  if (!id) return tl::unexpected(id.error());
  if (auto ok = (*tx)->Commit(); !ok) return tl::unexpected(ok.error());
  job.id = *id;
  {
    const std::lock_guard lock(fetch_threads_mutex_);
    std::erase_if(fetch_threads_, [](FetchThread& running) {
      if (!*running.finished) return false;
      running.thread.join();
      return true;
    });
    auto finished = std::make_shared<std::atomic<bool>>(false);
    std::thread thread([this, id = *id, body, caller, finished] {
      RunFetchJob(id, body, caller);
      *finished = true;
    });
    fetch_threads_.push_back({std::move(thread), std::move(finished)});
  }
  return JobJson(job);
}

Result<Json> App::GetFetch(Id id) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto job = (*tx)->FindFetchJob(id);
  if (!job) return tl::unexpected(job.error());
  if (!*job) {
    return Fail(ErrorCode::kNotFound, fmt::format("no fetch {}", id),
                {{"entity", "fetch"}, {"id", id}});
  }
  return JobJson(**job);
}

void App::RunFetchJob(Id id, const Json& parameters, const Caller& caller) {
  FetchJobRecord job;
  job.id = id;
  // Writes the job's state; a failed write is not the fetch's failure (the next one may pass).
  auto record = [&](std::string state, Json progress, std::string result = {}) {
    job.state = std::move(state);
    job.progress = progress.dump();
    job.result = std::move(result);
    job.updated_at = now_();
    auto tx = store_->BeginWrite();
    if (!tx) return;
    if ((*tx)->Update(job)) (void)(*tx)->Commit();
  };
  record("running", {{"stage", "fetch"}, {"done", 0}, {"total", 0}});
  auto last_write = std::chrono::steady_clock::now();
  bool importing = false;
  const FetchProgress progress = [&](std::string_view stage, std::uint64_t done,
                                     std::uint64_t total) {
    if (stage == "import") {
      // Only once, before the import's transaction begins: a write inside it would wait for it.
      if (!importing) record("importing", {{"stage", "import"}, {"done", done}, {"total", total}});
      importing = true;
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - last_write < kProgressEvery && done < total) return;
    last_write = now;
    record("running", {{"stage", "fetch"}, {"done", done}, {"total", total}});
  };
  Result<Json> report = Fail(ErrorCode::kInternal, "no fetch ran");
  try {
    if (parameters.at("source") == "kolada") {
      auto options = KoladaOptions(parameters);
      options->progress = progress;
      report = FetchKolada(*this, *options, caller);
    } else {
      auto options = PxWebOptions(parameters);
      options->progress = progress;
      report = FetchPxWeb(*this, *options, caller);
    }
  } catch (const std::exception& error) {
    // The edge of a worker thread: an unexpected failure ends the job, never the server.
    report =
        Fail(ErrorCode::kInternal, fmt::format("the fetch failed unexpectedly: {}", error.what()));
  }
  const Json end{{"stage", importing ? "import" : "fetch"}};
  if (report) {
    record("done", end, report->dump());
  } else {
    record("failed", end, ErrorBody(report.error())["error"].dump());
  }
}

void App::JoinFetchJobs() {
  std::vector<FetchThread> threads;
  {
    const std::lock_guard lock(fetch_threads_mutex_);
    threads.swap(fetch_threads_);
  }
  for (auto& running : threads) running.thread.join();
}

}  // namespace halsonav
