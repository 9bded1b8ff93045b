#pragma once

// The persistence interface that `app` uses, with two implementations: SQLite (one file, the
// default; sqlite_store.hpp) and PostgreSQL (several server processes; postgres_store.hpp).
// Both run the same transaction code (sql_transaction.hpp) and the same tests.
//
// Work happens in transactions: BeginRead() for a consistent snapshot, BeginWrite() for changes
// (serialised across threads and processes). A transaction that is destroyed without Commit()
// rolls back, so a failed request writes nothing. A Transaction is used by one thread at a time;
// a Store may be shared by all threads.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/domain.hpp"
#include "core/error.hpp"
#include "core/queries.hpp"
#include "core/statistics.hpp"
#include "store/account_records.hpp"

namespace halsonav {

// One line of the change history. `before` and `after` are the entity's JSON as the API shows it
// (absent on create and delete respectively is not the rule: delete keeps both).
struct ChangeRecord {
  std::int64_t seq = 0;
  std::string entity;
  Id entity_id = 0;
  std::string action;  // create, update, delete, restore
  std::string user;
  std::string at;
  std::int64_t version = 0;
  std::optional<std::string> before;
  std::optional<std::string> after;
};

// Live entities that refer to another, by kind: {"measure", 3}.
struct Reference {
  std::string entity;
  std::int64_t count = 0;
};

// ---- Statistics (issue 5) ----

// One stored observation, its keys resolved to ids (area, breakdown) and the period as PeriodKey.
struct ObservationRow {
  Id indicator_id = 0;
  Id area_id = 0;
  Id breakdown_id = 0;
  std::int64_t period = 0;
  double value = kAbsent;
  double ci_low = kAbsent;
  double ci_high = kAbsent;
  double numerator = kAbsent;
  double denominator = kAbsent;
  double respondents = kAbsent;
  std::uint8_t status = 0;
  Id import_id = 0;
};

// Observations of one indicator; empty lists mean "all".
struct ObservationQuery {
  Id indicator_id = 0;
  std::vector<Id> area_ids;
  std::vector<Id> breakdown_ids;
  std::vector<std::int64_t> periods;
  std::optional<std::int64_t> from_period;  // inclusive
  std::optional<std::int64_t> to_period;    // inclusive
};

// One statistics import, as recorded.
struct StatsImportRecord {
  Id id = 0;
  std::string at;
  std::string user;
  std::string format;
  std::string files;   // JSON array of file names
  std::string report;  // JSON object
};

// A fetch started from the web application (issue 14; app/fetch_jobs.cpp): run by a worker thread
// of the server process that accepted it (`owner`), which writes `heartbeat_at` every few
// seconds while the job runs; its state, progress and result live here, so any process serving
// the same database can answer for it, and tell a job whose process died by its stale heartbeat.
struct FetchJobRecord {
  Id id = 0;
  std::string source;      // "kolada" | "pxweb"
  std::string parameters;  // JSON object, as posted
  // "queued" | "running" | "importing" | "done" | "failed" | "cancelled"
  std::string state;
  std::string progress;  // JSON object {"stage", "done", "total"}
  std::string result;    // JSON: the import's report (done) or the error (failed); "" before
  std::string created_by;
  std::string created_at;
  std::string updated_at;
  std::string owner;              // the process running it: "HOST:PID:NONCE"
  std::string heartbeat_at;       // when the owner last said it was alive (UTC, as updated_at)
  bool cancel_requested = false;  // a cancel was asked for; the owner ends the job
};

// An area's boundary (issue 7's map): the GeoJSON geometry object as compact JSON text, its
// bounding box in degrees, and the import that wrote it.
struct AreaGeometry {
  Id area_id = 0;
  std::string geometry;
  double west = 0;
  double south = 0;
  double east = 0;
  double north = 0;
  Id import_id = 0;
  std::string imported_at;
};

class Transaction {
 public:
  virtual ~Transaction() = default;

  // Load an entity, deleted or not. kNotFound when no such id exists.
  virtual Result<void> Load(Id id, Actor& out) = 0;
  virtual Result<void> Load(Id id, Unit& out) = 0;
  virtual Result<void> Load(Id id, Framework& out) = 0;
  virtual Result<void> Load(Id id, Node& out) = 0;
  virtual Result<void> Load(Id id, Measure& out) = 0;
  virtual Result<void> Load(Id id, Adoption& out) = 0;

  // Insert a new entity with the meta given (id ignored); returns its id.
  virtual Result<Id> Insert(const Actor& actor) = 0;
  virtual Result<Id> Insert(const Unit& unit) = 0;
  virtual Result<Id> Insert(const Framework& framework) = 0;
  virtual Result<Id> Insert(const Node& node) = 0;
  virtual Result<Id> Insert(const Measure& measure) = 0;
  virtual Result<Id> Insert(const Adoption& adoption) = 0;

  // Overwrite every stored field of an existing entity, its meta included (soft delete and
  // restore are updates of `meta.deleted`).
  virtual Result<void> Update(const Actor& actor) = 0;
  virtual Result<void> Update(const Unit& unit) = 0;
  virtual Result<void> Update(const Framework& framework) = 0;
  virtual Result<void> Update(const Node& node) = 0;
  virtual Result<void> Update(const Measure& measure) = 0;
  virtual Result<void> Update(const Adoption& adoption) = 0;

  virtual Result<Page<Actor>> List(const ActorFilter& filter, const PageRequest& page) = 0;
  virtual Result<Page<Unit>> List(const UnitFilter& filter, const PageRequest& page) = 0;
  virtual Result<Page<Framework>> List(const FrameworkFilter& filter, const PageRequest& page) = 0;
  virtual Result<Page<Node>> List(const NodeFilter& filter, const PageRequest& page) = 0;
  virtual Result<Page<Measure>> List(const MeasureFilter& filter, const PageRequest& page) = 0;
  virtual Result<Page<Adoption>> List(const AdoptionFilter& filter, const PageRequest& page) = 0;

  // Every live node and measure of a framework, in tree order (order, then id).
  virtual Result<std::vector<Node>> FrameworkNodes(Id framework_id) = 0;
  virtual Result<std::vector<Measure>> FrameworkMeasures(Id framework_id) = 0;

  // The live entity holding a code, if any.
  virtual Result<std::optional<Id>> FindNodeByCode(Id framework_id, const std::string& kind,
                                                   const std::string& code) = 0;
  virtual Result<std::optional<Id>> FindMeasureByCode(Id framework_id, const std::string& code) = 0;
  virtual Result<std::optional<Id>> FindAdoption(Id framework_id, Id actor_id) = 0;

  // Live entities that refer to the given one (and would dangle if it were deleted).
  virtual Result<std::vector<Reference>> LiveReferences(EntityKind kind, Id id) = 0;

  virtual Result<std::vector<Classification>> Classifications() = 0;
  virtual Result<void> Insert(const Classification& classification) = 0;

  virtual Result<void> Record(const ChangeRecord& change) = 0;
  virtual Result<Page<ChangeRecord>> History(const HistoryFilter& filter,
                                             const PageRequest& page) = 0;

  // A framework's content beyond its tree. Load gives an empty content (with framework_id set)
  // when none was saved; Save replaces the whole of it.
  virtual Result<void> Load(Id framework_id, FrameworkContent& out) = 0;
  virtual Result<void> Save(const FrameworkContent& content) = 0;

  // ---- Statistics ----
  virtual Result<std::vector<Area>> Areas() = 0;  // by code
  // Insert or update (by code); returns the id.
  virtual Result<Id> Upsert(const Area& area) = 0;
  virtual Result<std::vector<AreaGroup>> AreaGroups() = 0;  // by code, members in order
  // Insert or replace (by code), members included; a member code not in the registry is
  // kReferenceNotFound.
  virtual Result<Id> Upsert(const AreaGroup& group) = 0;
  // false when no such group.
  virtual Result<bool> DeleteAreaGroup(const std::string& code) = 0;

  virtual Result<std::optional<Indicator>> FindIndicator(const std::string& code) = 0;
  // Insert or update (by code) the definition; the derived counts are left alone.
  virtual Result<Id> Upsert(const Indicator& indicator) = 0;
  virtual Result<Page<Indicator>> List(const IndicatorFilter& filter, const PageRequest& page) = 0;
  // Recomputes an indicator's derived counts from its observations.
  virtual Result<void> RefreshIndicatorSummary(Id indicator_id) = 0;

  // Every breakdown as (id, BreakdownKey); id 0 is the total.
  virtual Result<std::vector<std::pair<Id, std::string>>> Breakdowns() = 0;
  virtual Result<Id> InsertBreakdown(const std::string& key) = 0;

  virtual Result<Id> Insert(const StatsImportRecord& record) = 0;
  virtual Result<void> SetImportReport(Id import_id, const std::string& report) = 0;
  virtual Result<std::vector<StatsImportRecord>> StatsImports(std::int64_t limit) = 0;

  // Fetch jobs: Insert returns the id; Update writes state, progress, result, updated_at and
  // heartbeat_at, and sets cancel_requested when the record has it (never clears it).
  virtual Result<Id> Insert(const FetchJobRecord& job) = 0;
  virtual Result<void> Update(const FetchJobRecord& job) = 0;
  virtual Result<std::optional<FetchJobRecord>> FindFetchJob(Id id) = 0;
  // Newest first; `unfinished`: only queued, running and importing jobs.
  virtual Result<Page<FetchJobRecord>> ListFetchJobs(const PageRequest& page, bool unfinished) = 0;
  // Writes the job's heartbeat; returns whether a cancel has been requested (false when no job).
  virtual Result<bool> FetchJobHeartbeat(Id id, const std::string& at) = 0;
  // Sets cancel_requested; false when no such job.
  virtual Result<bool> RequestFetchCancel(Id id) = 0;

  virtual Result<bool> HasObservations(Id indicator_id) = 0;
  // Every stored observation of an indicator, in key order (area, breakdown, period).
  virtual Result<void> ForEachObservation(
      Id indicator_id, const std::function<void(const ObservationRow&)>& on_row) = 0;
  // Inserts the row, or replaces the one with its key unless that one was written by the same
  // import (row.import_id): then nothing is written and the result is false (a duplicate).
  virtual Result<bool> Put(const ObservationRow& row) = 0;
  // Writes many rows as Put does, for the bulk import: keys unique among them (the importer has
  // found duplicates before); a stored row of the same import is left as it is. SQLite runs
  // Put's statement for each; PostgreSQL copies the rows into a staging table (COPY) and merges
  // them from there in one statement.
  virtual Result<void> PutAll(const std::vector<ObservationRow>& rows) = 0;
  // Sets the status of the stored row with the row's key (disclosure control re-applied), and
  // nothing else: the row keeps its figures and its import.
  virtual Result<void> SetObservationStatus(const ObservationRow& row) = 0;
  // Observations in key order; `limit` caps the rows read (the result says whether more exist).
  virtual Result<std::vector<ObservationRow>> Observations(const ObservationQuery& query,
                                                           std::size_t limit, bool& truncated) = 0;
  virtual Result<std::optional<ObservationRow>> FindObservation(Id indicator_id, Id area_id,
                                                                Id breakdown_id,
                                                                std::int64_t period) = 0;
  // The latest period with a row for the indicator, area and breakdown.
  virtual Result<std::optional<std::int64_t>> LatestPeriod(Id indicator_id, Id area_id,
                                                           Id breakdown_id) = 0;
  // The `count` most recent rows for the indicator, area and breakdown, by period ascending.
  virtual Result<std::vector<ObservationRow>> RecentObservations(Id indicator_id, Id area_id,
                                                                 Id breakdown_id,
                                                                 std::size_t count) = 0;

  // The periods (PeriodKey, ascending) in which the indicator has at least one value that is
  // shown (not missing, not suppressed), for areas of `area_kind` when given ("municipality").
  virtual Result<std::vector<std::int64_t>> PeriodsWithValues(
      Id indicator_id, const std::optional<std::string>& area_kind) = 0;

  // Every stored area geometry, by area id.
  virtual Result<std::vector<AreaGeometry>> AreaGeometries() = 0;
  // Inserts or replaces the geometry of `geometry.area_id`.
  virtual Result<void> Put(const AreaGeometry& geometry) = 0;

  // ---- Accounts (store/account_records.hpp) ----
  virtual Result<Id> Insert(const UserRecord& user) = 0;
  // Writes every field but id and created_at, and bumps the version.
  virtual Result<void> Update(const UserRecord& user) = 0;
  virtual Result<std::optional<UserRecord>> FindUser(Id id) = 0;
  // By name or e-mail, case-insensitive.
  virtual Result<std::optional<UserRecord>> FindUserByLogin(const std::string& login) = 0;
  virtual Result<std::vector<UserRecord>> Users() = 0;  // by name
  virtual Result<std::int64_t> CountUsers() = 0;

  virtual Result<void> Insert(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> FindSession(const std::string& id_hash) = 0;
  virtual Result<void> TouchSession(const std::string& id_hash, const std::string& at) = 0;
  virtual Result<void> DeleteSession(const std::string& id_hash) = 0;
  // Every session of a user (a disabled user, a changed password); returns how many.
  virtual Result<std::int64_t> DeleteSessions(Id user_id) = 0;
  // Sessions created before `created_before` or idle since before `seen_before`.
  virtual Result<std::int64_t> DeleteExpiredSessions(const std::string& created_before,
                                                     const std::string& seen_before) = 0;

  virtual Result<Id> Insert(const ApiTokenRecord& token) = 0;
  virtual Result<std::optional<ApiTokenRecord>> FindApiToken(const std::string& token_hash) = 0;
  virtual Result<std::optional<ApiTokenRecord>> FindApiToken(Id id) = 0;
  virtual Result<std::vector<ApiTokenRecord>> ApiTokens(Id user_id) = 0;  // newest first
  // Writes last_used_at and revoked.
  virtual Result<void> Update(const ApiTokenRecord& token) = 0;

  virtual Result<SignInFailures> FindSignInFailures(const std::string& key) = 0;
  virtual Result<void> RecordSignInFailure(const std::string& key, const std::string& at) = 0;
  virtual Result<void> ClearSignInFailures(const std::string& key) = 0;

  virtual Result<Id> Insert(const AuditRecord& record) = 0;
  // Newest first; `event` filters when not empty.
  virtual Result<Page<AuditRecord>> Audit(const std::string& event, const PageRequest& page) = 0;

  virtual Result<std::optional<std::string>> Setting(const std::string& key) = 0;
  virtual Result<void> SetSetting(const std::string& key, const std::string& value) = 0;

  // The sequence number of the newest change in the history (0 when there is none). Every write
  // is recorded there, so an unchanged number means unchanged data, whichever process wrote.
  virtual Result<std::int64_t> LatestChange() = 0;

  // Make the changes durable. Without it, the destructor rolls back.
  virtual Result<void> Commit() = 0;

  template <typename T>
  Result<T> Get(Id id) {
    T out;
    if (auto ok = Load(id, out); !ok) return tl::unexpected<Error>(ok.error());
    return out;
  }
};

class Store {
 public:
  virtual ~Store() = default;
  virtual Result<std::unique_ptr<Transaction>> BeginRead() = 0;
  virtual Result<std::unique_ptr<Transaction>> BeginWrite() = 0;
  // The schema version of the database (the highest migration applied).
  virtual std::int64_t SchemaVersion() const = 0;
};

}  // namespace halsonav
