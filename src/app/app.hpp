#pragma once

// The use cases of Hälsonav, as one facade that the server and the CLI call. Each call runs in
// one store transaction: it either completes and is recorded in the change history, or fails
// with an Error and changes nothing. Entities come back as the JSON the API shows (core's
// json_codec), which is also what the history keeps. Thread-safe: calls may run concurrently.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/json_codec.hpp"
#include "core/queries.hpp"
#include "core/roles.hpp"
#include "core/statistics.hpp"

namespace halsonav {

class Store;
struct FetchJobRecord;
namespace plan {
struct PlanFile;
}

// How a plan import treats what the registry lacks, and whether it stores anything.
struct PlanImportOptions {
  bool dry_run = false;        // check and report what would be created; store nothing
  bool create_actors = false;  // create actors and units the registry lacks (else an error)
};

// ---- Statistics (issue 5; docs/indicators.md) ----

// kAuto: each file's own, told by its content (io/stats_format.hpp).
enum class StatsFormat { kKolada, kJsonStat, kCsv, kPx, kAuto };

// One file of a statistics import. `load` reads it when its turn comes, so that a national
// import holds one file in memory at a time; `size` (bytes, may be 0) drives the progress.
struct StatsFile {
  std::string name;
  std::function<Result<std::string>()> load;
  std::uint64_t size = 0;
};

struct StatsImportOptions {
  StatsFormat format = StatsFormat::kCsv;
  bool dry_run = false;       // check and count; store nothing
  bool create_areas = false;  // create areas (kind "other") for codes the registry lacks
  std::string area = "0000";  // the area of data that names none (JSON-stat without geo, CSV)
  std::string indicator;      // CSV without an indicator column: its indicator
  std::string period;         // JSON-stat or PX without a time dimension: its period ("2015")
  std::string mapping;        // JSON-stat and PX mapping file text (docs/jsonstat.md); may be empty
  std::string language;       // PX: the language of the texts to read ("en"); "" = the file's
  std::string mapping_name = "mapping";
  // Called now and then with bytes done and bytes in all (for a progress bar).
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
  // Kolada KPI definitions written first, in the same transaction, as `import kpis` writes them
  // (the Kolada fetch's KPI metadata: app/fetch_kolada.cpp); the report's "definitions" tells
  // what they changed, under `definitions_name`.
  std::vector<Indicator> definitions;
  std::string definitions_name;
  // Asked before each file and before the end: true stops the import with kInterrupted, nothing
  // stored (a fetch job being cancelled).
  std::function<bool()> cancelled;
};

// Filters of the area list.
struct AreaFilter {
  std::optional<AreaKind> kind;
  std::string county;  // region code: its municipalities
  std::string group;   // area group code: its members
  std::string text;    // part of the name or code, case-insensitive
};

// Observations of one indicator. Empty lists mean all.
struct ObservationFilter {
  std::vector<std::string> areas;       // area codes
  std::string group;                    // an area group's members, added to `areas`
  std::optional<AreaKind> kind;         // every area of this kind, added to `areas`
  std::string county;                   // with `kind`: only the areas in this region
  std::vector<std::string> periods;     // period codes
  std::string from;                     // period code, inclusive
  std::string to;                       // period code, inclusive
  std::vector<std::string> sexes;       // "total", "women", "men": the breakdowns by sex alone
  std::vector<std::string> breakdowns;  // "total" or "dim:category;dim:category"
  std::int64_t limit = 10000;
  // Markers (docs/METHODS.md): "county", "country" or an area code compares every observation
  // with that area's of the same breakdown and period; `trend` adds the recent trend of every
  // area and breakdown returned.
  std::string benchmark;
  bool trend = false;
};

// Area geometries (issue 7's map; docs/api.md, "Area geometries").
struct GeometryImportOptions {
  std::string code_property = "id";  // the feature property that holds the area code
  bool dry_run = false;              // check and count; store nothing
};

// Which geometries to serve: empty means all.
struct GeometryFilter {
  std::optional<AreaKind> kind;
  std::string county;  // a region code: its municipalities, or the region itself
};

// A served document with its validator: the ETag changes whenever the data may have.
struct CachedJson {
  std::shared_ptr<const std::string> document;
  std::string etag;
};

// The measures of inequality of one indicator between the categories of one dimension.
struct EquityQuery {
  std::string area;                // default: the country (Riket)
  std::string period;              // default: the latest with two or more categories shown
  std::string dimension;           // default: sex when split by it, else the first dimension
  std::vector<std::string> order;  // the categories, least advantaged first (ordered)
  std::string reference;           // a reference category (MDRU, MDRW, D and R)
};

// The yearly follow-up of one indicator for one area, in total and by sex.
struct FollowUpQuery {
  std::string area;              // default: the country (Riket)
  std::string baseline;          // a year; default: the first with a value
  std::string follow_up;         // a year; default: the latest
  std::optional<double> target;  // Open SDG's progress with a target
  std::optional<int> target_year;
};

// How this process runs fetch jobs (app/fetch_jobs.cpp, app/fetch_job_rules.hpp).
struct FetchJobOptions {
  int max_running = 2;              // jobs running at once in this process; one more: kUnavailable
  double heartbeat_every_s = 5;     // how often a running job writes its heartbeat
  double stale_after_s = 60;        // a queued or running job silent this long has lost its process
  double stale_importing_s = 1800;  // the same while importing: the import's transaction holds
                                    // the database, so no heartbeat can be written meanwhile
};

// Who is making a change: recorded in the history. Until accounts exist, the name a request
// header gives, or the operating-system user for the CLI.
class App {
 public:
  // `now` gives the current UTC time as YYYY-MM-DDTHH:MM:SSZ (injectable for tests).
  explicit App(std::unique_ptr<Store> store, std::function<std::string()> now = {});
  ~App();

  // Adds the content every database holds (national framework, classifications) if missing.
  Result<void> EnsureNationalContent();

  Result<Json> Create(EntityKind kind, const Json& body, const Caller& caller);
  // Reads (Get, the framework lists, History, FrameworkTree, the exports and the content) are
  // for `caller`: a visitor who is not signed in reads nothing of a draft framework (kNotFound
  // as for a missing id; left out of lists and totals), signed-in users read everything
  // (app/access.hpp, ReadAudience; docs/SECURITY.md, "Reading").
  Result<Json> Get(EntityKind kind, Id id, const Caller& caller);
  // `body` must carry the `version` the client last read; only the fields present change.
  Result<Json> Update(EntityKind kind, Id id, const Json& body, const Caller& caller);
  // Soft delete; `version`, when given, must be current.
  Result<Json> Delete(EntityKind kind, Id id, std::optional<std::int64_t> version,
                      const Caller& caller);
  Result<Json> Restore(EntityKind kind, Id id, const Caller& caller);

  // {"items": [...], "total", "limit", "offset"}
  Result<Json> ListActors(const ActorFilter& filter, const PageRequest& page);
  Result<Json> ListUnits(const UnitFilter& filter, const PageRequest& page);
  // The filters' `audience` is set from the caller (whatever it says).
  Result<Json> ListFrameworks(FrameworkFilter filter, const PageRequest& page,
                              const Caller& caller);
  Result<Json> ListNodes(NodeFilter filter, const PageRequest& page, const Caller& caller);
  Result<Json> ListMeasures(MeasureFilter filter, const PageRequest& page, const Caller& caller);
  Result<Json> ListAdoptions(AdoptionFilter filter, const PageRequest& page, const Caller& caller);
  Result<Json> History(HistoryFilter filter, const PageRequest& page, const Caller& caller);

  // {"framework": {...}, "nodes": [node + "children" + "measures"]}: the whole tree, as JSON
  // text. Served from a cache, per framework and audience, while the history has no newer change
  // (docs/BENCHMARKS.md).
  Result<std::shared_ptr<const std::string>> FrameworkTree(Id framework_id, const Caller& caller);

  Result<Json> ListClassifications(const std::optional<std::string>& scheme,
                                   const PageRequest& page);
  Result<Json> GetClassification(const std::string& id);

  // Plan files (docs/plan-format.md). Import is all-or-nothing: any problem is an error whose
  // details list every problem found with its JSON pointer in the file, and nothing is stored.
  // The report: {"framework_id", "title", "dry_run", "created": {"frameworks", "actors",
  // "units", "nodes", "measures", "adoptions"}, "actors_created", "units_created",
  // "actors_matched"}.
  Result<Json> ImportPlan(std::string_view text, const PlanImportOptions& options,
                          const Caller& caller);
  // Imports the demo plans (app/demo_content.hpp), creating their actors; one report each.
  Result<Json> LoadDemo(const Caller& caller);
  // The national data every new database holds (app/embedded_data.hpp): Kolada's area registry,
  // municipality groups and KPI catalogue, and the outlines of the municipalities and regions,
  // through the same importers as `halsonav import`. Report: {"areas", "area_groups",
  // "kpi_catalogue": each importer's report, "outlines": geometries stored}.
  Result<Json> LoadNationalData(const Caller& caller);
  // The demo statistics (after LoadNationalData): SCB's population table and Kolada's values
  // from the binary, and the synthetic survey set by sex and education (io/synth.hpp) for every
  // municipality, 20 indicators and 10 years. Report: {"observations", "synthetic_observations"}.
  Result<Json> LoadDemoStatistics(const Caller& caller);
  // The canonical plan file of a live framework.
  Result<std::string> ExportPlan(Id framework_id, const Caller& caller);
  // The framework as an XLSX workbook (io/plan_xlsx.hpp): measures, partners, classifications.
  Result<std::string> ExportPlanXlsx(Id framework_id, const Caller& caller);
  // Adds measures from a CSV file (docs/measure-csv.md) to a framework, all or nothing: every
  // problem comes back as FILE:LINE[:COLUMN]. Report: {"framework_id", "dry_run", "created":
  // {"measures"}}.
  Result<Json> ImportMeasuresCsv(Id framework_id, std::string_view text, std::string_view file_name,
                                 bool dry_run, const Caller& caller);
  // A framework's commitments, result goals, follow-up and forums, with ids.
  Result<Json> GetFrameworkContent(Id framework_id, const Caller& caller);

  // ---- Statistics ----
  // Imports statistics files, all or nothing (app/stats_import.cpp). Report: {"import_id",
  // "dry_run", "format", "files": [{name, observations}], "observations": {"new", "changed",
  // "unchanged", "missing", "suppressed"}, "indicators_created": [...], "areas_created": [...]}.
  // Any problem in any file fails the import with every problem found (kInvalidValue, details
  // {"problems": [{pointer, message}]}; unknown areas also in details.unknown_areas).
  Result<Json> ImportStats(const std::vector<StatsFile>& files, const StatsImportOptions& options,
                           const Caller& caller);
  // The area registry from Kolada's area list (CSV or API JSON): {"areas": N, "created", ...}.
  Result<Json> ImportAreas(std::string_view text, std::string_view file_name, const Caller& caller);
  // Kolada's municipality groups (long-form CSV).
  Result<Json> ImportAreaGroups(std::string_view text, std::string_view file_name,
                                const Caller& caller);
  // Kolada's KPI catalogue (CSV): indicator definitions, searchable.
  Result<Json> ImportIndicatorCatalogue(std::string_view text, std::string_view file_name,
                                        const Caller& caller);

  // Area boundaries from GeoJSON files (io/geojson.hpp), all or nothing in one transaction: a
  // problem in any file, an area code not in the registry (details.unknown_areas: [{code,
  // pointer}]) or the same code twice fails the import with every problem found (kInvalidValue,
  // details.problems). Report: {"import_id" (null on a dry run or when nothing changed),
  // "dry_run", "code_property", "files": [{"name", "features"}], "geometries": {"new",
  // "changed", "unchanged"}, "positions", "bytes"}; one stats_import row and history line when
  // something changed.
  Result<Json> ImportGeometries(const std::vector<StatsFile>& files,
                                const GeometryImportOptions& options, const Caller& caller);
  // The stored geometries as a GeoJSON FeatureCollection, in area code order: each Feature has
  // "id" (the code), "bbox", "properties" {code, name, kind, county_code} and the stored
  // geometry text as it is. kInvalidParameter for a county that is no region of the registry.
  // Cached per filter while the history has no newer change.
  Result<CachedJson> AreaGeometries(const GeometryFilter& filter);
  // The periods with a value shown for the indicator (for areas of `kind` when given), in period
  // order: {"indicator", "periods": ["2015", …]}.
  Result<Json> IndicatorPeriods(const std::string& indicator_code, std::optional<AreaKind> kind);

  Result<Json> ListAreas(const AreaFilter& filter, const PageRequest& page);
  Result<Json> GetArea(const std::string& code);
  Result<Json> ListAreaGroups(const std::optional<std::string>& source);
  // A user's own group: {"code", "title", "members": [area codes]}; replaces one of the same
  // code (kReadOnly for Kolada's groups).
  Result<Json> PutAreaGroup(const Json& body, const Caller& caller);
  Result<Json> DeleteAreaGroup(const std::string& code, const Caller& caller);

  Result<Json> ListIndicators(const IndicatorFilter& filter, const PageRequest& page);
  Result<Json> GetIndicator(const std::string& code);
  // A user's own indicator definition (source "own"); kDuplicate when the code exists.
  Result<Json> CreateIndicator(const Json& body, const Caller& caller);
  Result<Json> Observations(const std::string& indicator_code, const ObservationFilter& filter);
  // Every indicator's latest value for the area beside its county and Riket, by sex:
  // {"area", "county", "country", "indicators": [{"indicator", "period", "total": {"area",
  // "county", "country"}, "women": …, "men": …}]}. The document is cached per area while the
  // history has no newer change.
  Result<Json> AreaProfile(const std::string& area_code);
  // Every applicable measure of inequality (stats/inequality.hpp) with its interval for one
  // area, period and dimension; the same for every period; and whether the gap is closing.
  Result<Json> Equity(const std::string& indicator_code, const EquityQuery& query);
  // The Västmanland rule (positive movement from baseline to follow-up, judged with the
  // intervals) and Open SDG's progress measure, in total and by sex (docs/METHODS.md).
  Result<Json> FollowUp(const std::string& indicator_code, const FollowUpQuery& query);
  Result<std::shared_ptr<const std::string>> AreaProfileDocument(const std::string& area_code);

  // Writes the synthetic national set (io/synth.hpp) into `directory` for the first
  // `municipalities` municipalities of the registry (kInvalidValue when it has fewer), their
  // regions and Riket.
  // Returns {"kolada_files", "jsonstat_files", "mapping_file", "observations", "bytes"}.
  Result<Json> WriteSyntheticData(int municipalities, int indicators, int years, std::uint64_t seed,
                                  const std::string& directory);

  // Disclosure control (docs/METHODS.md): {"min_count"}. Changing it re-applies the rule to
  // every stored observation.
  // ---- Fetches started from the web application (app/fetch_jobs.cpp; docs/api.md) ----
  // Checks the parameters (kUnknownField, kWrongType, kMissingField, kInvalidValue naming the
  // field), stores a job in state "queued" and runs it on a worker thread of this process;
  // returns the job. Body: {"source": "kolada", "kpis": [...], "municipalities": [...],
  // "all_municipalities", "regions", "years", "base_url", "dry_run", "timeout_s", "retries"} or
  // {"source": "pxweb", "table_url", "select": ["Kon=1,2"], "query": {PxWeb query},
  // "mapping": {JSON-stat mapping}, "area", "create_areas", "dry_run", "timeout_s", "retries"}.
  Result<Json> StartFetch(const Json& body, const Caller& caller);
  // A job: {"id", "source", "parameters", "state" (queued, running, importing, done, failed),
  // "progress": {"stage", "done", "total"}, "report" (done) or "error" {code, message, details}
  // (failed), "created_by", "created_at", "updated_at"}; kNotFound for an unknown id.
  Result<Json> GetFetch(Id id);
  // The jobs, newest first: {"items": [job, …], "total", "limit", "offset"} (a job as GetFetch
  // gives it, without "parameters"' query and mapping documents and without the report's
  // per-file details).
  Result<Json> ListFetches(const PageRequest& page);
  // Asks a queued or running job to stop: it ends in state "cancelled" with nothing stored (the
  // import is all or nothing), at the next request or imported answer. Returns the job with
  // "cancel_requested": true. kUnauthenticated or kForbidden unless the caller is an analyst (as
  // for StartFetch); kNotFound; kRuleViolation when the job has ended already.
  Result<Json> CancelFetch(Id id, const Caller& caller);
  // Set before the first job starts (the server's start-up).
  void SetFetchJobOptions(const FetchJobOptions& options);
  // Marks failed ("interrupted") every unfinished job whose process is gone (fetch_job_rules);
  // the server calls it at start-up. Returns how many.
  Result<int> RecoverFetchJobs();

  Result<Json> DisclosureRule();
  Result<Json> SetDisclosureRule(const Json& body, const Caller& caller);

  // ---- Accounts (app/accounts.cpp; docs/SECURITY.md) ----
  // A user as the API shows it: {"id", "name", "email", "roles": [...], "actor_id" (or null),
  // "disabled", "must_change_password", "version", "created_at", "updated_at"}.
  // Admins only. Body {"name", "email", "roles": [...], "actor_id"?, "password"?}: without a
  // password one is generated and returned once as "password". kDuplicate for a taken name or
  // e-mail; kInvalidValue for a weak password (secrets::CheckNewPassword) or unknown role.
  Result<Json> AddUser(const Json& body, const Caller& caller);
  Result<Json> ListUsers(const Caller& caller);
  // The operator's demo users, after the demo plans (init --demo): an admin, a coordinator of
  // Region Norrbotten (the owner of its action plan) and an editor of Kommunerna i Norrbotten
  // (responsible for two of its measures), each with a generated password. Returns
  // [{"name", "description", "password"}].
  Result<Json> AddDemoUsers(const Caller& caller);
  // Admins only. Body {"version", "email"?, "roles"?, "actor_id"?, "disabled"?}; disabling ends
  // the user's sessions. Audited.
  Result<Json> UpdateUser(Id id, const Json& body, const Caller& caller);
  // Admins only: a new generated password (returned once), to be changed at the next sign-in;
  // the user's sessions end. Audited.
  Result<Json> ResetPassword(Id id, const Caller& caller);
  // The signed-in user's own: body {"current_password", "new_password"}; ends the user's other
  // sessions (the one of `keep_session`, a session id, stays).
  Result<Json> ChangeOwnPassword(const Json& body, const Caller& caller,
                                 const std::string& keep_session);

  // A signed-in session: the secret for the cookie (never stored) and what GET /session shows.
  struct SessionGrant {
    std::string secret;
    Json session;
  };
  // Body {"user": name or e-mail, "password"}. One message for an unknown user, a wrong password
  // and a disabled account (kUnauthenticated); kTooManyRequests (details.retry_after, seconds)
  // while failures from this address for this user, or from this address, are throttled.
  Result<SessionGrant> SignIn(const Json& body, const std::string& address);
  // The session of a cookie's secret: its caller and CSRF token, and with `describe` the body
  // of GET /session ({"user", "actor", "roles", "csrf_token", "expires_at", "idle_expires_at",
  // "must_change_password"}; null without: every request resolves its session, and only
  // GET /session needs the body); nullopt when the secret names no live session.
  struct SessionView {
    Caller caller;
    std::string csrf_token;
    Json session;
  };
  Result<std::optional<SessionView>> ResolveSession(const std::string& secret,
                                                    const std::string& address,
                                                    bool describe = false);
  Result<void> SignOut(const std::string& secret, const Caller& caller);
  // A personal API token's caller; nullopt when the token is unknown, revoked or expired.
  Result<std::optional<Caller>> ResolveToken(const std::string& token, const std::string& address);
  // The caller's own tokens (or, for the operator, the user's named by `user`).
  // Body {"name", "expires_in_days"?: 1–3650 (default 365), "user"? (operator only)}; returns
  // the token once as "token".
  Result<Json> CreateToken(const Json& body, const Caller& caller);
  Result<Json> ListTokens(const std::string& user, const Caller& caller);
  Result<Json> RevokeToken(Id id, const Caller& caller);
  // Admins only: the audit log, newest first; `event` filters when not empty.
  Result<Json> AuditLog(const std::string& event, const PageRequest& page, const Caller& caller);

  std::int64_t SchemaVersion() const;

 private:
  Result<plan::PlanFile> PlanOf(Id framework_id, const Caller& caller);

  template <typename T>
  Result<Json> CreateEntity(const Json& body, const Caller& caller);
  template <typename T>
  Result<Json> UpdateEntity(Id id, const Json& body, const Caller& caller);
  template <typename T>
  Result<Json> DeleteEntity(Id id, std::optional<std::int64_t> version, const Caller& caller);
  template <typename T>
  Result<Json> RestoreEntity(Id id, const Caller& caller);
  template <typename T>
  Result<Json> GetEntity(Id id, const Caller& caller);

  struct LiveFetch;
  void RunFetchJob(Id id, const Json& parameters, const Caller& caller,
                   const std::shared_ptr<LiveFetch>& live);
  void JoinFetchJobs();
  // The job as readers see it: this process's own running jobs from memory (their progress
  // through the import), others judged by their heartbeat.
  Json FetchJobView(FetchJobRecord job, bool summary);
  Result<FetchJobRecord> StoreFetchJob(const std::string& source, const Json& body,
                                       const Caller& caller);

  std::unique_ptr<Store> store_;
  std::function<std::string()> now_;
  // The fetch jobs' worker threads: finished ones are joined when the next job starts, the rest
  // when the app closes.
  struct FetchThread {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> finished;
  };
  std::mutex fetch_threads_mutex_;
  std::vector<FetchThread> fetch_threads_;
  std::map<Id, std::shared_ptr<LiveFetch>> live_fetches_;  // this process's unfinished jobs
  int starting_fetches_ = 0;                               // accepted, not yet in live_fetches_
  bool stopping_ = false;  // the app is closing: running jobs end as interrupted
  FetchJobOptions fetch_job_options_;
  std::string fetch_owner_;

  // Serialised trees by framework and audience, each with the history sequence it was built at.
  // The audience is part of the key so that what one audience may read is never served to
  // another, whatever the documents hold.
  struct CachedTree {
    std::int64_t change = -1;
    std::shared_ptr<const std::string> document;
  };
  std::mutex tree_cache_mutex_;
  std::map<std::pair<Id, Audience>, CachedTree> tree_cache_;
  // Serialised area profiles by area code, each with the history sequence it was built at.
  struct CachedDocument {
    std::int64_t change = -1;
    std::shared_ptr<const std::string> document;
  };
  std::mutex profile_cache_mutex_;
  std::map<std::string, CachedDocument> profile_cache_;
  // Geometry documents by filter ("municipality|0024").
  std::mutex geometry_cache_mutex_;
  std::map<std::string, CachedDocument> geometry_cache_;
};

// The current UTC time, YYYY-MM-DDTHH:MM:SSZ.
std::string UtcNow();

}  // namespace halsonav
