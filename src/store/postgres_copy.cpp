#include "store/postgres_copy.hpp"

#include <cmath>
#include <string>

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>

#include "store/postgres_error.hpp"

namespace halsonav {
namespace {

// Sends a chunk of COPY data once it has grown this large.
constexpr std::size_t kChunkBytes = 1 << 20;

void Exec(PGconn* conn, const std::string& sql, ExecStatusType expected) {
  PGresult* result = PQexec(conn, sql.c_str());
  if (result == nullptr || PQresultStatus(result) != expected)
    ThrowPostgresError(conn, result, sql);
  PQclear(result);
}

// A real in COPY's text format: \N for absent, else the shortest text that reads back the same.
void AppendReal(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "\\N";
  } else {
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}

void AppendRow(std::string& out, const ObservationRow& row) {
  fmt::format_to(std::back_inserter(out), "{}\t{}\t{}\t{}\t", row.indicator_id, row.area_id,
                 row.breakdown_id, row.period);
  for (const double value :
       {row.value, row.ci_low, row.ci_high, row.numerator, row.denominator, row.respondents}) {
    AppendReal(out, value);
    out += '\t';
  }
  fmt::format_to(std::back_inserter(out), "{}\t{}\n", static_cast<int>(row.status), row.import_id);
}

void Send(PGconn* conn, std::string& buffer) {
  if (PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) != 1) {
    ThrowPostgresError(conn, nullptr, "COPY observation_stage");
  }
  buffer.clear();
}

}  // namespace

void CopyObservations(soci::session& session, const std::vector<ObservationRow>& rows,
                      std::string_view columns, std::string_view on_conflict) {
  if (rows.empty()) return;
  auto* conn = static_cast<soci::postgresql_session_backend*>(session.get_backend())->conn_;
  Exec(conn,
       "CREATE TEMPORARY TABLE IF NOT EXISTS observation_stage "
       "(LIKE observation INCLUDING DEFAULTS) ON COMMIT DELETE ROWS",
       PGRES_COMMAND_OK);
  Exec(conn, fmt::format("COPY observation_stage ({}) FROM STDIN", columns), PGRES_COPY_IN);
  std::string buffer;
  buffer.reserve(kChunkBytes + 256);
  for (const auto& row : rows) {
    AppendRow(buffer, row);
    if (buffer.size() >= kChunkBytes) Send(conn, buffer);
  }
  if (!buffer.empty()) Send(conn, buffer);
  if (PQputCopyEnd(conn, nullptr) != 1) ThrowPostgresError(conn, nullptr, "COPY observation_stage");
  // The COPY's own result, then the end of the command.
  for (PGresult* result = PQgetResult(conn); result != nullptr; result = PQgetResult(conn)) {
    if (PQresultStatus(result) != PGRES_COMMAND_OK)
      ThrowPostgresError(conn, result, "COPY observation_stage");
    PQclear(result);
  }
  Exec(conn,
       fmt::format("INSERT INTO observation ({0}) SELECT {0} FROM observation_stage {1}", columns,
                   on_conflict),
       PGRES_COMMAND_OK);
  // Emptied now, not only at commit: a second merge in the same transaction starts afresh.
  Exec(conn, "TRUNCATE observation_stage", PGRES_COMMAND_OK);
}

}  // namespace halsonav
