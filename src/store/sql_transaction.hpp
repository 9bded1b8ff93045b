#pragma once

// Private to the store: the transaction of both back ends (SQLite and PostgreSQL), on one SOCI
// session leased from the store's pool. Most of its SQL is the same on both; where the dialects
// differ (full-text search, a few functions) it asks `backend_`. Its methods are in
// sql_entities.cpp, sql_lists.cpp, sql_accounts.cpp, sql_jobs.cpp and sql_statistics.cpp, the
// beginning and end in sql_transaction.cpp.

#include <map>
#include <memory>
#include <string_view>

#include <soci/soci.h>

#include "store/row_statement.hpp"
#include "store/sql_query.hpp"
#include "store/store.hpp"

namespace halsonav {

class SqlTransaction final : public Transaction {
 public:
  // Takes the connection leased at `position` of `pool` (given back on destruction) and begins
  // a transaction. Writers are serialised, as SQLite does it, so that a version read in a write
  // transaction is still the version when it commits: SQLite's BEGIN IMMEDIATE, PostgreSQL's
  // transaction-scoped advisory lock (kWriterLock) taken at BEGIN, across all processes. A
  // reader sees one snapshot (PostgreSQL: REPEATABLE READ).
  SqlTransaction(soci::connection_pool& pool, std::size_t position, bool write);
  ~SqlTransaction() override;

  Result<void> Load(Id id, Actor& out) override;
  Result<void> Load(Id id, Unit& out) override;
  Result<void> Load(Id id, Framework& out) override;
  Result<void> Load(Id id, Node& out) override;
  Result<void> Load(Id id, Measure& out) override;
  Result<void> Load(Id id, Adoption& out) override;

  Result<Id> Insert(const Actor& actor) override;
  Result<Id> Insert(const Unit& unit) override;
  Result<Id> Insert(const Framework& framework) override;
  Result<Id> Insert(const Node& node) override;
  Result<Id> Insert(const Measure& measure) override;
  Result<Id> Insert(const Adoption& adoption) override;

  Result<void> Update(const Actor& actor) override;
  Result<void> Update(const Unit& unit) override;
  Result<void> Update(const Framework& framework) override;
  Result<void> Update(const Node& node) override;
  Result<void> Update(const Measure& measure) override;
  Result<void> Update(const Adoption& adoption) override;

  Result<Page<Actor>> List(const ActorFilter& filter, const PageRequest& page) override;
  Result<Page<Unit>> List(const UnitFilter& filter, const PageRequest& page) override;
  Result<Page<Framework>> List(const FrameworkFilter& filter, const PageRequest& page) override;
  Result<Page<Node>> List(const NodeFilter& filter, const PageRequest& page) override;
  Result<Page<Measure>> List(const MeasureFilter& filter, const PageRequest& page) override;
  Result<Page<Adoption>> List(const AdoptionFilter& filter, const PageRequest& page) override;

  Result<std::vector<Node>> FrameworkNodes(Id framework_id) override;
  Result<std::vector<Measure>> FrameworkMeasures(Id framework_id) override;

  Result<std::optional<Id>> FindNodeByCode(Id framework_id, const std::string& kind,
                                           const std::string& code) override;
  Result<std::optional<Id>> FindMeasureByCode(Id framework_id, const std::string& code) override;
  Result<std::optional<Id>> FindAdoption(Id framework_id, Id actor_id) override;
  Result<std::vector<Reference>> LiveReferences(EntityKind kind, Id id) override;

  Result<std::vector<Classification>> Classifications() override;
  Result<void> Insert(const Classification& classification) override;

  Result<void> Record(const ChangeRecord& change) override;
  Result<Page<ChangeRecord>> History(const HistoryFilter& filter, const PageRequest& page) override;

  Result<void> Load(Id framework_id, FrameworkContent& out) override;
  Result<void> Save(const FrameworkContent& content) override;

  Result<std::vector<Area>> Areas() override;
  Result<Id> Upsert(const Area& area) override;
  Result<std::vector<AreaGroup>> AreaGroups() override;
  Result<Id> Upsert(const AreaGroup& group) override;
  Result<bool> DeleteAreaGroup(const std::string& code) override;
  Result<std::optional<Indicator>> FindIndicator(const std::string& code) override;
  Result<Id> Upsert(const Indicator& indicator) override;
  Result<Page<Indicator>> List(const IndicatorFilter& filter, const PageRequest& page) override;
  Result<void> RefreshIndicatorSummary(Id indicator_id) override;
  Result<std::vector<std::pair<Id, std::string>>> Breakdowns() override;
  Result<Id> InsertBreakdown(const std::string& key) override;
  Result<Id> Insert(const StatsImportRecord& record) override;
  Result<void> SetImportReport(Id import_id, const std::string& report) override;
  Result<std::vector<StatsImportRecord>> StatsImports(std::int64_t limit) override;
  Result<Id> Insert(const FetchJobRecord& job) override;
  Result<void> Update(const FetchJobRecord& job) override;
  Result<std::optional<FetchJobRecord>> FindFetchJob(Id id) override;
  Result<Page<FetchJobRecord>> ListFetchJobs(const PageRequest& page, bool unfinished) override;
  Result<bool> FetchJobHeartbeat(Id id, const std::string& at) override;
  Result<bool> RequestFetchCancel(Id id) override;
  Result<bool> HasObservations(Id indicator_id) override;
  Result<void> ForEachObservation(
      Id indicator_id, const std::function<void(const ObservationRow&)>& on_row) override;
  Result<bool> Put(const ObservationRow& row) override;
  Result<void> PutAll(const std::vector<ObservationRow>& rows) override;
  Result<void> SetObservationStatus(const ObservationRow& row) override;
  Result<std::vector<ObservationRow>> Observations(const ObservationQuery& query, std::size_t limit,
                                                   bool& truncated) override;
  Result<std::optional<ObservationRow>> FindObservation(Id indicator_id, Id area_id,
                                                        Id breakdown_id,
                                                        std::int64_t period) override;
  Result<std::optional<std::int64_t>> LatestPeriod(Id indicator_id, Id area_id,
                                                   Id breakdown_id) override;
  Result<std::vector<ObservationRow>> RecentObservations(Id indicator_id, Id area_id,
                                                         Id breakdown_id,
                                                         std::size_t count) override;
  Result<Id> Insert(const UserRecord& user) override;
  Result<void> Update(const UserRecord& user) override;
  Result<std::optional<UserRecord>> FindUser(Id id) override;
  Result<std::optional<UserRecord>> FindUserByLogin(const std::string& login) override;
  Result<std::vector<UserRecord>> Users() override;
  Result<std::int64_t> CountUsers() override;
  Result<void> Insert(const SessionRecord& session) override;
  Result<std::optional<SessionRecord>> FindSession(const std::string& id_hash) override;
  Result<void> TouchSession(const std::string& id_hash, const std::string& at) override;
  Result<void> DeleteSession(const std::string& id_hash) override;
  Result<std::int64_t> DeleteSessions(Id user_id) override;
  Result<std::int64_t> DeleteExpiredSessions(const std::string& created_before,
                                             const std::string& seen_before) override;
  Result<Id> Insert(const ApiTokenRecord& token) override;
  Result<std::optional<ApiTokenRecord>> FindApiToken(const std::string& token_hash) override;
  Result<std::optional<ApiTokenRecord>> FindApiToken(Id id) override;
  Result<std::vector<ApiTokenRecord>> ApiTokens(Id user_id) override;
  Result<void> Update(const ApiTokenRecord& token) override;
  Result<SignInFailures> FindSignInFailures(const std::string& key) override;
  Result<void> RecordSignInFailure(const std::string& key, const std::string& at) override;
  Result<void> ClearSignInFailures(const std::string& key) override;
  Result<Id> Insert(const AuditRecord& record) override;
  Result<Page<AuditRecord>> Audit(const std::string& event, const PageRequest& page) override;
  Result<std::optional<std::string>> Setting(const std::string& key) override;
  Result<void> SetSetting(const std::string& key, const std::string& value) override;
  Result<std::vector<std::int64_t>> PeriodsWithValues(
      Id indicator_id, const std::optional<std::string>& area_kind) override;
  Result<std::vector<AreaGeometry>> AreaGeometries() override;
  Result<void> Put(const AreaGeometry& geometry) override;

  Result<std::int64_t> LatestChange() override;
  Result<void> Commit() override;

 private:
  sql::Query Q(std::string text = {}) { return sql::Query(session_, std::move(text)); }
  void Finish();

  // Fill the derived and child-table fields of entities just read. `ids_sql` is a parenthesised
  // SQL set of their ids: "(1,2,3)" or "(SELECT id FROM … WHERE framework_id = 5)".
  void FillUnitPaths(std::vector<Unit>& units);
  void FillNodeChildren(std::vector<Node>& nodes, const std::string& ids_sql);
  void FillMeasureChildren(std::vector<Measure>& measures, const std::string& ids_sql);
  void WriteNodeChildren(const Node& node);
  void WriteMeasureChildren(const Measure& measure);
  void FillFrameworkChildren(std::vector<Framework>& frameworks);
  void WriteFrameworkChildren(const Framework& framework);
  // A link table of classifications: `owner` is its owner column ("node_id"), `id` the owner's.
  void WriteClassifications(std::string_view table, std::string_view owner, Id id,
                            const std::vector<std::string>& stated,
                            const std::vector<std::string>& suggested);
  template <typename T>
  void FillClassifications(std::string_view table, std::string_view owner,
                           const std::string& ids_sql, const std::map<Id, T*>& by_id);

  // Prepared statements of the statistics hot paths (sql_statistics.cpp), made on first use
  // and kept for the transaction's life. shared_ptr: the type is complete only in that file.
  struct Statements;
  Statements& Stats();
  std::shared_ptr<Statements> statements_;

  soci::connection_pool& pool_;
  std::size_t position_;
  Backend backend_;
  soci::session& session_;
  bool finished_ = false;
};

}  // namespace halsonav
