// Fetch jobs (store.hpp, FetchJobRecord).

#include <fmt/format.h>

#include "store/sql_transaction.hpp"

namespace halsonav {
namespace {

constexpr const char* kJobColumns =
    "id, source, parameters, state, progress, result, created_by, created_at, updated_at, owner, "
    "heartbeat_at, cancel_requested";

const std::vector<sql::Column>& JobColumnTypes() {
  using C = sql::Column;
  static const std::vector<C> kTypes = {C::kInt,  C::kText, C::kText, C::kText, C::kText, C::kText,
                                        C::kText, C::kText, C::kText, C::kText, C::kText, C::kInt};
  return kTypes;
}

FetchJobRecord JobOf(const sql::Row& row) {
  return FetchJobRecord{row.Int(0),  row.Text(1), row.Text(2),  row.Text(3),
                        row.Text(4), row.Text(5), row.Text(6),  row.Text(7),
                        row.Text(8), row.Text(9), row.Text(10), row.Bool(11)};
}

}  // namespace

Result<Id> SqlTransaction::Insert(const FetchJobRecord& job) {
  auto query =
      Q("INSERT INTO fetch_job (source, parameters, state, progress, result, created_by, "
        "created_at, updated_at, owner, heartbeat_at) VALUES (");
  query.Param(job.source).Sql(", ").Param(job.parameters).Sql(", ").Param(job.state).Sql(", ");
  query.Param(job.progress).Sql(", ").Param(job.result).Sql(", ").Param(job.created_by).Sql(", ");
  query.Param(job.created_at).Sql(", ").Param(job.updated_at).Sql(", ").Param(job.owner);
  query.Sql(", ").Param(job.heartbeat_at).Sql(") RETURNING id");
  return *query.ScalarInt();
}

Result<void> SqlTransaction::Update(const FetchJobRecord& job) {
  auto query = Q("UPDATE fetch_job SET state = ");
  query.Param(job.state).Sql(", progress = ").Param(job.progress).Sql(", result = ");
  query.Param(job.result).Sql(", updated_at = ").Param(job.updated_at);
  query.Sql(", heartbeat_at = ").Param(job.heartbeat_at);
  // Set by the owner's own cancel, never cleared: another process's request stays.
  query.Sql(", cancel_requested = cancel_requested | ").Param(job.cancel_requested);
  query.Sql(" WHERE id = ");
  query.Param(job.id).Execute();
  return {};
}

Result<std::optional<FetchJobRecord>> SqlTransaction::FindFetchJob(Id id) {
  std::optional<FetchJobRecord> found;
  Q(fmt::format("SELECT {} FROM fetch_job WHERE id = ", kJobColumns))
      .Param(id)
      .ForEach(JobColumnTypes(), [&](const sql::Row& row) { found = JobOf(row); });
  return found;
}

Result<Page<FetchJobRecord>> SqlTransaction::ListFetchJobs(const PageRequest& page,
                                                           bool unfinished) {
  const std::string where =
      unfinished ? " WHERE state IN ('queued', 'running', 'importing')" : std::string();
  Page<FetchJobRecord> result;
  result.total = Q("SELECT count(*) FROM fetch_job" + where).ScalarInt().value_or(0);
  auto rows =
      Q(fmt::format("SELECT {} FROM fetch_job{} ORDER BY id DESC LIMIT ", kJobColumns, where));
  rows.Param(page.limit).Sql(" OFFSET ").Param(page.offset);
  rows.ForEach(JobColumnTypes(), [&](const sql::Row& row) { result.items.push_back(JobOf(row)); });
  return result;
}

Result<bool> SqlTransaction::FetchJobHeartbeat(Id id, const std::string& at) {
  Q("UPDATE fetch_job SET heartbeat_at = ").Param(at).Sql(" WHERE id = ").Param(id).Execute();
  return Q("SELECT cancel_requested FROM fetch_job WHERE id = ")
             .Param(id)
             .ScalarInt()
             .value_or(0) != 0;
}

Result<bool> SqlTransaction::RequestFetchCancel(Id id) {
  auto exists = Q("SELECT count(*) FROM fetch_job WHERE id = ").Param(id).ScalarInt().value_or(0);
  if (exists == 0) return false;
  Q("UPDATE fetch_job SET cancel_requested = 1 WHERE id = ").Param(id).Execute();
  return true;
}

}  // namespace halsonav
