// Fetch jobs (store.hpp, FetchJobRecord).

#include "store/sqlite_transaction.hpp"

namespace halsonav {

Result<Id> SqliteTransaction::Insert(const FetchJobRecord& job) {
  auto query =
      Q("INSERT INTO fetch_job (source, parameters, state, progress, result, created_by, "
        "created_at, updated_at) VALUES (");
  query.Param(job.source).Sql(", ").Param(job.parameters).Sql(", ").Param(job.state).Sql(", ");
  query.Param(job.progress).Sql(", ").Param(job.result).Sql(", ").Param(job.created_by).Sql(", ");
  query.Param(job.created_at).Sql(", ").Param(job.updated_at).Sql(") RETURNING id");
  return *query.ScalarInt();
}

Result<void> SqliteTransaction::Update(const FetchJobRecord& job) {
  auto query = Q("UPDATE fetch_job SET state = ");
  query.Param(job.state).Sql(", progress = ").Param(job.progress).Sql(", result = ");
  query.Param(job.result).Sql(", updated_at = ").Param(job.updated_at).Sql(" WHERE id = ");
  query.Param(job.id).Execute();
  return {};
}

Result<std::optional<FetchJobRecord>> SqliteTransaction::FindFetchJob(Id id) {
  std::optional<FetchJobRecord> found;
  using C = sql::Column;
  Q("SELECT id, source, parameters, state, progress, result, created_by, created_at, updated_at "
    "FROM fetch_job WHERE id = ")
      .Param(id)
      .ForEach(
          {C::kInt, C::kText, C::kText, C::kText, C::kText, C::kText, C::kText, C::kText, C::kText},
          [&](const sql::Row& row) {
            found = FetchJobRecord{row.Int(0),  row.Text(1), row.Text(2), row.Text(3), row.Text(4),
                                   row.Text(5), row.Text(6), row.Text(7), row.Text(8)};
          });
  return found;
}

}  // namespace halsonav
