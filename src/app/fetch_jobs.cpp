// Fetches started from the web application (docs/api.md, "Fetches"): the parameters are checked
// as a request body, the job is stored (table fetch_job) and run on a worker thread of this
// process, which records its state and progress in the database as it goes, so that any server
// process of the same database answers GET /fetches/{id}. The run itself is the CLI's
// (app/fetch.cpp): download, then one import.

#include <set>

#include <fmt/format.h>

#include "app/access.hpp"
#include "app/app.hpp"
#include "app/fetch.hpp"
#include "app/fetch_job_rules.hpp"
#include "io/kolada_api.hpp"
#include "store/store.hpp"

namespace halsonav {
namespace {

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
  if (!options.years.empty()) {
    if (auto years = statsio::ParseYearRange(options.years); !years) {
      return Fail(ErrorCode::kInvalidValue, years.error().message, {{"field", "/years"}});
    }
  }
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

// A job's JSON; `summary` (the list) leaves out the posted query and mapping documents and the
// report's file names and URLs.
Json JobJson(const FetchJobRecord& job, bool summary) {
  Json parameters = Json::parse(job.parameters);
  if (summary) {
    for (const char* document : {"query", "mapping"}) {
      if (parameters.contains(document)) parameters[document] = true;
    }
  }
  Json out{{"id", job.id},
           {"source", job.source},
           {"parameters", std::move(parameters)},
           {"state", job.state},
           {"progress", Json::parse(job.progress)},
           {"cancel_requested", job.cancel_requested},
           {"created_by", job.created_by},
           {"created_at", job.created_at},
           {"updated_at", job.updated_at}};
  if (job.state == "done" && !job.result.empty()) {
    out["report"] = Json::parse(job.result);
    if (summary) {
      out["report"].erase("files");
      if (out["report"].contains("fetch")) out["report"]["fetch"].erase("urls");
    }
  }
  if (job.state == "failed" && !job.result.empty()) out["error"] = Json::parse(job.result);
  return out;
}

}  // namespace

Result<KoladaFetchOptions> KoladaFetchOptionsOf(const Json& body) { return KoladaOptions(body); }
Result<PxWebFetchOptions> PxWebFetchOptionsOf(const Json& body) { return PxWebOptions(body); }

void App::SetFetchJobOptions(const FetchJobOptions& options) {
  const std::lock_guard lock(fetch_threads_mutex_);
  fetch_job_options_ = options;
}

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
  {
    // The limit counts this process's jobs: it protects this server's threads and network.
    const std::lock_guard lock(fetch_threads_mutex_);
    const auto running = static_cast<int>(live_fetches_.size()) + starting_fetches_;
    const int limit = fetch_job_options_.max_running;
    if (running >= limit) {
      return Fail(ErrorCode::kUnavailable,
                  fmt::format("{} fetches are running, as many as this server runs at once: try "
                              "again when one has ended (or cancel one)",
                              running),
                  {{"running", running}, {"limit", limit}});
    }
    ++starting_fetches_;
  }
  auto stored = StoreFetchJob(source, body, caller);
  const std::lock_guard lock(fetch_threads_mutex_);
  --starting_fetches_;
  if (!stored) return tl::unexpected(stored.error());
  std::erase_if(fetch_threads_, [](FetchThread& running) {
    if (!*running.finished) return false;
    running.thread.join();
    return true;
  });
  auto live = std::make_shared<LiveFetch>();
  live_fetches_[stored->id] = live;
  auto finished = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([this, id = stored->id, body, caller, live, finished] {
    RunFetchJob(id, body, caller, live);
    *finished = true;
  });
  fetch_threads_.push_back({std::move(thread), std::move(finished)});
  return JobJson(*stored, false);
}

Result<FetchJobRecord> App::StoreFetchJob(const std::string& source, const Json& body,
                                          const Caller& caller) {
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  const auto now = now_();
  FetchJobRecord job{0,   source, body.dump(),  "queued", R"({"stage": "fetch"})", "", caller.user,
                     now, now,    fetch_owner_, now};
  auto id = (*tx)->Insert(job);
  if (!id) return tl::unexpected(id.error());
  if (auto ok = (*tx)->Commit(); !ok) return tl::unexpected(ok.error());
  job.id = *id;
  return job;
}

Json App::FetchJobView(FetchJobRecord job, bool summary) {
  if (!IsUnfinishedFetchState(job.state)) return JobJson(job, summary);
  std::shared_ptr<LiveFetch> live;
  bool starting = false;
  FetchJobOptions options;
  {
    const std::lock_guard lock(fetch_threads_mutex_);
    if (const auto it = live_fetches_.find(job.id); it != live_fetches_.end()) live = it->second;
    starting = starting_fetches_ > 0;
    options = fetch_job_options_;
  }
  std::optional<Error> lost;
  if (live) {
    // The worker's word is newer than the row, unless the job has just ended: then the row
    // (with its report) is about to be written, and the row read here is still the running one.
    const std::lock_guard lock(live->mutex);
    if (IsUnfinishedFetchState(live->state)) {
      job.state = live->state;
      job.progress = live->progress.dump();
    }
    job.cancel_requested = job.cancel_requested || live->cancel;
  } else if (job.owner == fetch_owner_) {
    // This process's job without its worker: it has just ended (the row read above is older than
    // its end: read it again), or the worker could not record its end.
    if (auto tx = store_->BeginRead(); tx) {
      if (auto fresh = (*tx)->FindFetchJob(job.id); fresh && *fresh) job = std::move(**fresh);
    }
    if (!starting && IsUnfinishedFetchState(job.state)) {
      lost = Error{ErrorCode::kInterrupted,
                   "the fetch stopped without recording its end (the database could not be "
                   "written); nothing was stored, start the fetch again",
                   {{"owner", job.owner}, {"reason", "not_recorded"}}};
    }
  } else {
    lost = LostFetchJob(job, now_(), options, ThisHost(), ProcessExists);
  }
  if (lost) {
    job.state = "failed";
    job.result = ErrorBody(*lost)["error"].dump();
  }
  return JobJson(job, summary);
}

Result<Json> App::GetFetch(Id id) {
  std::optional<FetchJobRecord> job;
  {
    // Released before the view, which may read the row again.
    auto tx = store_->BeginRead();
    if (!tx) return tl::unexpected(tx.error());
    auto found = (*tx)->FindFetchJob(id);
    if (!found) return tl::unexpected(found.error());
    job = std::move(*found);
  }
  if (!job) {
    return Fail(ErrorCode::kNotFound, fmt::format("no fetch {}", id),
                {{"entity", "fetch"}, {"id", id}});
  }
  return FetchJobView(std::move(*job), false);
}

Result<Json> App::ListFetches(const PageRequest& page) {
  Page<FetchJobRecord> jobs;
  {
    auto tx = store_->BeginRead();
    if (!tx) return tl::unexpected(tx.error());
    auto found = (*tx)->ListFetchJobs(page, false);
    if (!found) return tl::unexpected(found.error());
    jobs = std::move(*found);
  }
  Json items = Json::array();
  for (auto& job : jobs.items) items.push_back(FetchJobView(std::move(job), true));
  return Json{{"items", std::move(items)},
              {"total", jobs.total},
              {"limit", page.limit},
              {"offset", page.offset}};
}

Result<Json> App::CancelFetch(Id id, const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kAnalyst}, "cancel fetches"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto current = GetFetch(id);
  if (!current) return current;
  const auto state = (*current)["state"].get<std::string>();
  if (!IsUnfinishedFetchState(state)) {
    return Fail(ErrorCode::kRuleViolation,
                fmt::format("fetch {} has ended ({}): there is nothing to cancel", id, state),
                {{"state", state}});
  }
  std::shared_ptr<LiveFetch> live;
  {
    const std::lock_guard lock(fetch_threads_mutex_);
    if (const auto it = live_fetches_.find(id); it != live_fetches_.end()) live = it->second;
  }
  if (live) {
    // Our own job: no write, so that a cancel never waits for an import holding the database.
    live->cancel = true;
  } else {
    // Another server process's job: it reads the request with its next heartbeat.
    auto tx = store_->BeginWrite();
    if (!tx) return tl::unexpected(tx.error());
    if (auto ok = (*tx)->RequestFetchCancel(id); !ok) return tl::unexpected(ok.error());
    if (auto ok = (*tx)->Commit(); !ok) return tl::unexpected(ok.error());
  }
  (*current)["cancel_requested"] = true;
  return current;
}

}  // namespace halsonav
