#include "store/sql_transaction.hpp"

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "store/guarded_transaction.hpp"

namespace halsonav {
namespace {

// The key of PostgreSQL's advisory lock that serialises writers (any number: "Halsonav" in
// ASCII, recognisable in pg_locks).
constexpr std::int64_t kWriterLock = 0x48616c736f6e6176;

Error BusyError() {
  return Error{ErrorCode::kBusy,
               "the database is busy with another writer; try again in a moment",
               {{"retry_after", 1}}};
}

Error ConstraintError(std::string_view message) {
  return Error{ErrorCode::kRuleViolation,
               fmt::format("the database refused the change: {}", message),
               {{"rule", "database_constraint"}}};
}

Error PostgresError(const soci::postgresql_soci_error& error) {
  const std::string state = error.sqlstate();
  const std::string_view message = error.what();
  // 23: integrity constraint violations.
  if (state.starts_with("23")) return ConstraintError(message);
  // Serialisation failure, deadlock, lock not available: another writer; try again.
  if (state == "40001" || state == "40P01" || state == "55P03") return BusyError();
  // 08: connection exceptions; 57P01–57P03: the server shut down or is starting. The pool
  // reconnects the session before its next transaction.
  if (state.starts_with("08") || state.starts_with("57P")) {
    return Error{ErrorCode::kBusy,
                 "the database cannot be reached just now; try again in a moment",
                 {{"retry_after", 2}}};
  }
  return Error{
      ErrorCode::kDatabase, fmt::format("the database failed: {}", message), {{"sqlstate", state}}};
}

}  // namespace

Error StoreError(const soci::soci_error& error) {
  if (const auto* postgres = dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
    return PostgresError(*postgres);
  }
  const auto* sqlite = dynamic_cast<const soci::sqlite3_soci_error*>(&error);
  const int primary = sqlite != nullptr ? (sqlite->result() & 0xff) : 0;
  const std::string_view message = error.what();
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED ||
      message.find("database is locked") != std::string_view::npos) {
    return BusyError();
  }
  if (primary == SQLITE_CONSTRAINT) return ConstraintError(message);
  return Error{ErrorCode::kDatabase,
               fmt::format("the database failed: {}", message),
               {{"sqlite_result", sqlite != nullptr ? sqlite->result() : 0}}};
}

Result<std::unique_ptr<Transaction>> BeginSqlTransaction(soci::connection_pool& pool,
                                                         int lease_timeout_ms, bool write) {
  std::size_t position = 0;
  // Waiting is bounded, so that a pool exhausted by a bug (a transaction held while another is
  // begun) fails loudly instead of hanging.
  if (!pool.try_lease(position, lease_timeout_ms)) {
    return Fail(ErrorCode::kInternal,
                fmt::format("no database connection became free within {} ms", lease_timeout_ms));
  }
  auto& session = pool.at(position);
  if (BackendOf(session) == Backend::kPostgres) {
    // A connection that the server or the network dropped is opened again; when it cannot be,
    // the error is kBusy with Retry-After (the request may be tried again).
    auto* conn = static_cast<soci::postgresql_session_backend*>(session.get_backend())->conn_;
    if (PQstatus(conn) != CONNECTION_OK) {
      try {
        session.reconnect();
      } catch (const soci::soci_error& error) {
        pool.give_back(position);
        return tl::unexpected(StoreError(soci::postgresql_soci_error(error.what(), "08006")));
      }
    }
  }
  // BEGIN is where a writer meets another's lock (SQLite: after busy_timeout): kBusy.
  try {
    return std::make_unique<GuardedTransaction>(
        std::make_unique<SqlTransaction>(pool, position, write));
  } catch (const soci::soci_error& error) {
    return tl::unexpected(StoreError(error));
  }
}

SqlTransaction::SqlTransaction(soci::connection_pool& pool, std::size_t position, bool write)
    : pool_(pool),
      position_(position),
      backend_(BackendOf(pool.at(position))),
      session_(pool.at(position)) {
  try {
    if (backend_ == Backend::kSqlite) {
      session_ << (write ? "BEGIN IMMEDIATE" : "BEGIN");
    } else if (write) {
      session_ << "BEGIN ISOLATION LEVEL READ COMMITTED";
      session_ << fmt::format("SELECT pg_advisory_xact_lock({})", kWriterLock);
    } else {
      session_ << "BEGIN ISOLATION LEVEL REPEATABLE READ";
    }
  } catch (...) {
    if (backend_ == Backend::kPostgres) {
      try {
        session_ << "ROLLBACK";
      } catch (...) {  // NOLINT(bugprone-empty-catch): nothing was begun, or the line is down
      }
    }
    pool_.give_back(position_);
    throw;
  }
}

SqlTransaction::~SqlTransaction() {
  if (!finished_) {
    try {
      session_ << "ROLLBACK";
    } catch (...) {  // NOLINT(bugprone-empty-catch): a failed rollback leaves nothing to undo
    }
  }
  // After the rollback: PostgreSQL deallocates prepared statements only outside an aborted
  // transaction; SQLite finalises them while the connection is still this transaction's.
  statements_.reset();
  pool_.give_back(position_);
}

Result<void> SqlTransaction::Commit() {
  statements_.reset();
  if (backend_ == Backend::kSqlite) {
    session_ << "COMMIT";
    finished_ = true;
    return {};
  }
  // PostgreSQL answers COMMIT of a transaction that an error aborted with ROLLBACK, not with an
  // error: that must not pass for a commit.
  auto* conn = static_cast<soci::postgresql_session_backend*>(session_.get_backend())->conn_;
  PGresult* result = PQexec(conn, "COMMIT");
  const bool ok = result != nullptr && PQresultStatus(result) == PGRES_COMMAND_OK;
  const std::string tag = result != nullptr ? PQcmdStatus(result) : "";
  const std::string message = result != nullptr ? PQresultErrorMessage(result) : "";
  PQclear(result);
  if (!ok) return tl::unexpected(StoreError(soci::postgresql_soci_error(message, "08006")));
  finished_ = true;
  if (tag != "COMMIT") {
    return Fail(ErrorCode::kDatabase,
                "the transaction had failed and was rolled back; nothing was written");
  }
  return {};
}

}  // namespace halsonav
