#pragma once

// Private to the store: the boundary where SQLite's, PostgreSQL's and SOCI's exceptions become
// values. Every Transaction method of the SQL transaction is called through Guard, so that `Result`
// in the store means what it says (issue 15, item 9): a busy or locked database is kBusy (HTTP 503
// with Retry-After), a broken constraint kRuleViolation, anything else SOCI throws kDatabase. A
// method added to Transaction must be forwarded here too (the compiler says so: this class
// would be abstract).

#include <memory>

#include <soci/soci.h>

#include "store/sql_transaction.hpp"

namespace halsonav {

// The Error for an exception SOCI threw (its SQLite result code classifies it).
Error StoreError(const soci::soci_error& error);

// Leases a connection of `pool` (waiting at most `lease_timeout_ms`) and begins a transaction on
// it (sql_transaction.cpp): the Begin of both stores.
Result<std::unique_ptr<Transaction>> BeginSqlTransaction(soci::connection_pool& pool,
                                                         int lease_timeout_ms, bool write);

// Calls `body` (returning a Result); a soci_error it throws becomes StoreError.
template <typename Body>
auto Guard(Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const soci::soci_error& error) {
    return tl::unexpected(StoreError(error));
  }
}

class GuardedTransaction final : public Transaction {
 public:
  explicit GuardedTransaction(std::unique_ptr<SqlTransaction> inner) : inner_(std::move(inner)) {}

  Result<void> Load(Id id, Actor& out) override {
    return Guard([&] { return inner_->Load(id, out); });
  }
  Result<void> Load(Id id, Unit& out) override {
    return Guard([&] { return inner_->Load(id, out); });
  }
  Result<void> Load(Id id, Framework& out) override {
    return Guard([&] { return inner_->Load(id, out); });
  }
  Result<void> Load(Id id, Node& out) override {
    return Guard([&] { return inner_->Load(id, out); });
  }
  Result<void> Load(Id id, Measure& out) override {
    return Guard([&] { return inner_->Load(id, out); });
  }
  Result<void> Load(Id id, Adoption& out) override {
    return Guard([&] { return inner_->Load(id, out); });
  }
  Result<Id> Insert(const Actor& actor) override {
    return Guard([&] { return inner_->Insert(actor); });
  }
  Result<Id> Insert(const Unit& unit) override {
    return Guard([&] { return inner_->Insert(unit); });
  }
  Result<Id> Insert(const Framework& framework) override {
    return Guard([&] { return inner_->Insert(framework); });
  }
  Result<Id> Insert(const Node& node) override {
    return Guard([&] { return inner_->Insert(node); });
  }
  Result<Id> Insert(const Measure& measure) override {
    return Guard([&] { return inner_->Insert(measure); });
  }
  Result<Id> Insert(const Adoption& adoption) override {
    return Guard([&] { return inner_->Insert(adoption); });
  }
  Result<void> Update(const Actor& actor) override {
    return Guard([&] { return inner_->Update(actor); });
  }
  Result<void> Update(const Unit& unit) override {
    return Guard([&] { return inner_->Update(unit); });
  }
  Result<void> Update(const Framework& framework) override {
    return Guard([&] { return inner_->Update(framework); });
  }
  Result<void> Update(const Node& node) override {
    return Guard([&] { return inner_->Update(node); });
  }
  Result<void> Update(const Measure& measure) override {
    return Guard([&] { return inner_->Update(measure); });
  }
  Result<void> Update(const Adoption& adoption) override {
    return Guard([&] { return inner_->Update(adoption); });
  }
  Result<Page<Actor>> List(const ActorFilter& filter, const PageRequest& page) override {
    return Guard([&] { return inner_->List(filter, page); });
  }
  Result<Page<Unit>> List(const UnitFilter& filter, const PageRequest& page) override {
    return Guard([&] { return inner_->List(filter, page); });
  }
  Result<Page<Framework>> List(const FrameworkFilter& filter, const PageRequest& page) override {
    return Guard([&] { return inner_->List(filter, page); });
  }
  Result<Page<Node>> List(const NodeFilter& filter, const PageRequest& page) override {
    return Guard([&] { return inner_->List(filter, page); });
  }
  Result<Page<Measure>> List(const MeasureFilter& filter, const PageRequest& page) override {
    return Guard([&] { return inner_->List(filter, page); });
  }
  Result<Page<Adoption>> List(const AdoptionFilter& filter, const PageRequest& page) override {
    return Guard([&] { return inner_->List(filter, page); });
  }
  Result<std::vector<Node>> FrameworkNodes(Id framework_id) override {
    return Guard([&] { return inner_->FrameworkNodes(framework_id); });
  }
  Result<std::vector<Measure>> FrameworkMeasures(Id framework_id) override {
    return Guard([&] { return inner_->FrameworkMeasures(framework_id); });
  }
  Result<std::optional<Id>> FindNodeByCode(Id framework_id, const std::string& kind,
                                           const std::string& code) override {
    return Guard([&] { return inner_->FindNodeByCode(framework_id, kind, code); });
  }
  Result<std::optional<Id>> FindMeasureByCode(Id framework_id, const std::string& code) override {
    return Guard([&] { return inner_->FindMeasureByCode(framework_id, code); });
  }
  Result<std::optional<Id>> FindAdoption(Id framework_id, Id actor_id) override {
    return Guard([&] { return inner_->FindAdoption(framework_id, actor_id); });
  }
  Result<std::vector<Reference>> LiveReferences(EntityKind kind, Id id) override {
    return Guard([&] { return inner_->LiveReferences(kind, id); });
  }
  Result<std::vector<Classification>> Classifications() override {
    return Guard([&] { return inner_->Classifications(); });
  }
  Result<void> Insert(const Classification& classification) override {
    return Guard([&] { return inner_->Insert(classification); });
  }
  Result<void> Record(const ChangeRecord& change) override {
    return Guard([&] { return inner_->Record(change); });
  }
  Result<Page<ChangeRecord>> History(const HistoryFilter& filter,
                                     const PageRequest& page) override {
    return Guard([&] { return inner_->History(filter, page); });
  }
  Result<void> Load(Id framework_id, FrameworkContent& out) override {
    return Guard([&] { return inner_->Load(framework_id, out); });
  }
  Result<void> Save(const FrameworkContent& content) override {
    return Guard([&] { return inner_->Save(content); });
  }
  Result<std::vector<Area>> Areas() override {
    return Guard([&] { return inner_->Areas(); });
  }
  Result<Id> Upsert(const Area& area) override {
    return Guard([&] { return inner_->Upsert(area); });
  }
  Result<std::vector<AreaGroup>> AreaGroups() override {
    return Guard([&] { return inner_->AreaGroups(); });
  }
  Result<Id> Upsert(const AreaGroup& group) override {
    return Guard([&] { return inner_->Upsert(group); });
  }
  Result<bool> DeleteAreaGroup(const std::string& code) override {
    return Guard([&] { return inner_->DeleteAreaGroup(code); });
  }
  Result<std::optional<Indicator>> FindIndicator(const std::string& code) override {
    return Guard([&] { return inner_->FindIndicator(code); });
  }
  Result<Id> Upsert(const Indicator& indicator) override {
    return Guard([&] { return inner_->Upsert(indicator); });
  }
  Result<Page<Indicator>> List(const IndicatorFilter& filter, const PageRequest& page) override {
    return Guard([&] { return inner_->List(filter, page); });
  }
  Result<void> RefreshIndicatorSummary(Id indicator_id) override {
    return Guard([&] { return inner_->RefreshIndicatorSummary(indicator_id); });
  }
  Result<std::vector<std::pair<Id, std::string>>> Breakdowns() override {
    return Guard([&] { return inner_->Breakdowns(); });
  }
  Result<Id> InsertBreakdown(const std::string& key) override {
    return Guard([&] { return inner_->InsertBreakdown(key); });
  }
  Result<Id> Insert(const StatsImportRecord& record) override {
    return Guard([&] { return inner_->Insert(record); });
  }
  Result<void> SetImportReport(Id import_id, const std::string& report) override {
    return Guard([&] { return inner_->SetImportReport(import_id, report); });
  }
  Result<std::vector<StatsImportRecord>> StatsImports(std::int64_t limit) override {
    return Guard([&] { return inner_->StatsImports(limit); });
  }
  Result<Id> Insert(const FetchJobRecord& job) override {
    return Guard([&] { return inner_->Insert(job); });
  }
  Result<void> Update(const FetchJobRecord& job) override {
    return Guard([&] { return inner_->Update(job); });
  }
  Result<std::optional<FetchJobRecord>> FindFetchJob(Id id) override {
    return Guard([&] { return inner_->FindFetchJob(id); });
  }
  Result<Page<FetchJobRecord>> ListFetchJobs(const PageRequest& page, bool unfinished) override {
    return Guard([&] { return inner_->ListFetchJobs(page, unfinished); });
  }
  Result<bool> FetchJobHeartbeat(Id id, const std::string& at) override {
    return Guard([&] { return inner_->FetchJobHeartbeat(id, at); });
  }
  Result<bool> RequestFetchCancel(Id id) override {
    return Guard([&] { return inner_->RequestFetchCancel(id); });
  }
  Result<bool> HasObservations(Id indicator_id) override {
    return Guard([&] { return inner_->HasObservations(indicator_id); });
  }
  Result<void> ForEachObservation(
      Id indicator_id, const std::function<void(const ObservationRow&)>& on_row) override {
    return Guard([&] { return inner_->ForEachObservation(indicator_id, on_row); });
  }
  Result<bool> Put(const ObservationRow& row) override {
    return Guard([&] { return inner_->Put(row); });
  }
  Result<void> PutAll(const std::vector<ObservationRow>& rows) override {
    return Guard([&] { return inner_->PutAll(rows); });
  }
  Result<void> SetObservationStatus(const ObservationRow& row) override {
    return Guard([&] { return inner_->SetObservationStatus(row); });
  }
  Result<std::vector<ObservationRow>> Observations(const ObservationQuery& query, std::size_t limit,
                                                   bool& truncated) override {
    return Guard([&] { return inner_->Observations(query, limit, truncated); });
  }
  Result<std::optional<ObservationRow>> FindObservation(Id indicator_id, Id area_id,
                                                        Id breakdown_id,
                                                        std::int64_t period) override {
    return Guard(
        [&] { return inner_->FindObservation(indicator_id, area_id, breakdown_id, period); });
  }
  Result<std::optional<std::int64_t>> LatestPeriod(Id indicator_id, Id area_id,
                                                   Id breakdown_id) override {
    return Guard([&] { return inner_->LatestPeriod(indicator_id, area_id, breakdown_id); });
  }
  Result<std::vector<ObservationRow>> RecentObservations(Id indicator_id, Id area_id,
                                                         Id breakdown_id,
                                                         std::size_t count) override {
    return Guard(
        [&] { return inner_->RecentObservations(indicator_id, area_id, breakdown_id, count); });
  }
  Result<Id> Insert(const UserRecord& user) override {
    return Guard([&] { return inner_->Insert(user); });
  }
  Result<void> Update(const UserRecord& user) override {
    return Guard([&] { return inner_->Update(user); });
  }
  Result<std::optional<UserRecord>> FindUser(Id id) override {
    return Guard([&] { return inner_->FindUser(id); });
  }
  Result<std::optional<UserRecord>> FindUserByLogin(const std::string& login) override {
    return Guard([&] { return inner_->FindUserByLogin(login); });
  }
  Result<std::vector<UserRecord>> Users() override {
    return Guard([&] { return inner_->Users(); });
  }
  Result<std::int64_t> CountUsers() override {
    return Guard([&] { return inner_->CountUsers(); });
  }
  Result<void> Insert(const SessionRecord& session) override {
    return Guard([&] { return inner_->Insert(session); });
  }
  Result<std::optional<SessionRecord>> FindSession(const std::string& id_hash) override {
    return Guard([&] { return inner_->FindSession(id_hash); });
  }
  Result<void> TouchSession(const std::string& id_hash, const std::string& at) override {
    return Guard([&] { return inner_->TouchSession(id_hash, at); });
  }
  Result<void> DeleteSession(const std::string& id_hash) override {
    return Guard([&] { return inner_->DeleteSession(id_hash); });
  }
  Result<std::int64_t> DeleteSessions(Id user_id) override {
    return Guard([&] { return inner_->DeleteSessions(user_id); });
  }
  Result<std::int64_t> DeleteExpiredSessions(const std::string& created_before,
                                             const std::string& seen_before) override {
    return Guard([&] { return inner_->DeleteExpiredSessions(created_before, seen_before); });
  }
  Result<Id> Insert(const ApiTokenRecord& token) override {
    return Guard([&] { return inner_->Insert(token); });
  }
  Result<std::optional<ApiTokenRecord>> FindApiToken(const std::string& token_hash) override {
    return Guard([&] { return inner_->FindApiToken(token_hash); });
  }
  Result<std::optional<ApiTokenRecord>> FindApiToken(Id id) override {
    return Guard([&] { return inner_->FindApiToken(id); });
  }
  Result<std::vector<ApiTokenRecord>> ApiTokens(Id user_id) override {
    return Guard([&] { return inner_->ApiTokens(user_id); });
  }
  Result<void> Update(const ApiTokenRecord& token) override {
    return Guard([&] { return inner_->Update(token); });
  }
  Result<SignInFailures> FindSignInFailures(const std::string& key) override {
    return Guard([&] { return inner_->FindSignInFailures(key); });
  }
  Result<void> RecordSignInFailure(const std::string& key, const std::string& at) override {
    return Guard([&] { return inner_->RecordSignInFailure(key, at); });
  }
  Result<void> ClearSignInFailures(const std::string& key) override {
    return Guard([&] { return inner_->ClearSignInFailures(key); });
  }
  Result<Id> Insert(const AuditRecord& record) override {
    return Guard([&] { return inner_->Insert(record); });
  }
  Result<Page<AuditRecord>> Audit(const std::string& event, const PageRequest& page) override {
    return Guard([&] { return inner_->Audit(event, page); });
  }
  Result<std::optional<std::string>> Setting(const std::string& key) override {
    return Guard([&] { return inner_->Setting(key); });
  }
  Result<void> SetSetting(const std::string& key, const std::string& value) override {
    return Guard([&] { return inner_->SetSetting(key, value); });
  }
  Result<std::vector<std::int64_t>> PeriodsWithValues(
      Id indicator_id, const std::optional<std::string>& area_kind) override {
    return Guard([&] { return inner_->PeriodsWithValues(indicator_id, area_kind); });
  }
  Result<std::vector<AreaGeometry>> AreaGeometries() override {
    return Guard([&] { return inner_->AreaGeometries(); });
  }
  Result<void> Put(const AreaGeometry& geometry) override {
    return Guard([&] { return inner_->Put(geometry); });
  }
  Result<std::int64_t> LatestChange() override {
    return Guard([&] { return inner_->LatestChange(); });
  }
  Result<void> Commit() override {
    return Guard([&] { return inner_->Commit(); });
  }

 private:
  std::unique_ptr<SqlTransaction> inner_;
};

}  // namespace halsonav
