#include "store/row_statement.hpp"

#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "core/statistics.hpp"
#include "store/postgres_error.hpp"

namespace halsonav {
namespace {

namespace sq = sqlite_api;

class SqliteRowStatement final : public RowStatement {
 public:
  SqliteRowStatement(sq::sqlite3* db, std::string_view text) : db_(db) {
    if (sq::sqlite3_prepare_v3(db, text.data(), static_cast<int>(text.size()),
                               SQLITE_PREPARE_PERSISTENT, &statement_, nullptr) != SQLITE_OK) {
      throw soci::soci_error(fmt::format("preparing statistics SQL: {}", sq::sqlite3_errmsg(db)));
    }
  }
  ~SqliteRowStatement() override { sq::sqlite3_finalize(statement_); }
  SqliteRowStatement(const SqliteRowStatement&) = delete;
  SqliteRowStatement& operator=(const SqliteRowStatement&) = delete;

  void Bind(int idx, std::int64_t value) override {
    sq::sqlite3_bind_int64(statement_, idx, value);
  }
  void Bind(int idx, double value) override {
    if (std::isnan(value)) {
      sq::sqlite3_bind_null(statement_, idx);
    } else {
      sq::sqlite3_bind_double(statement_, idx, value);
    }
  }
  bool Step() override {
    const int code = sq::sqlite3_step(statement_);
    if (code != SQLITE_ROW && code != SQLITE_DONE) {
      const std::string message = sq::sqlite3_errmsg(db_);
      sq::sqlite3_reset(statement_);
      throw soci::sqlite3_soci_error(fmt::format("statistics SQL: {}", message), code);
    }
    return code == SQLITE_ROW;
  }
  void Reset() override {
    sq::sqlite3_reset(statement_);
    sq::sqlite3_clear_bindings(statement_);
  }
  std::int64_t Int(int col) const override { return sq::sqlite3_column_int64(statement_, col); }
  double Real(int col) const override {
    return IsNull(col) ? kAbsent : sq::sqlite3_column_double(statement_, col);
  }
  bool IsNull(int col) const override {
    return sq::sqlite3_column_type(statement_, col) == SQLITE_NULL;
  }
  std::int64_t Changes() const override { return sq::sqlite3_changes(db_); }

 private:
  sq::sqlite3* db_;
  sq::sqlite3_stmt* statement_ = nullptr;
};

// ?N → $N (the statements of this file hold no string literals with question marks).
std::string PostgresPlaceholders(std::string_view text, int& count) {
  std::string out;
  out.reserve(text.size());
  count = 0;
  for (std::size_t idx = 0; idx < text.size(); ++idx) {
    if (text[idx] != '?') {
      out += text[idx];
      continue;
    }
    out += '$';
    int number = 0;
    while (idx + 1 < text.size() && text[idx + 1] >= '0' && text[idx + 1] <= '9') {
      number = number * 10 + (text[++idx] - '0');
      out += text[idx];
    }
    count = std::max(count, number);
  }
  return out;
}

class PostgresRowStatement final : public RowStatement {
 public:
  PostgresRowStatement(PGconn* conn, std::string_view text) : conn_(conn) {
    static std::atomic<std::uint64_t> counter{0};
    name_ = fmt::format("halsonav_row_{}", ++counter);
    int count = 0;
    const std::string sql = PostgresPlaceholders(text, count);
    values_.resize(static_cast<std::size_t>(count));
    null_.assign(static_cast<std::size_t>(count), true);
    PGresult* result = PQprepare(conn_, name_.c_str(), sql.c_str(), count, nullptr);
    if (result == nullptr || PQresultStatus(result) != PGRES_COMMAND_OK) {
      ThrowPostgresError(conn_, result, "preparing statistics SQL");
    }
    PQclear(result);
  }
  ~PostgresRowStatement() override {
    if (result_ != nullptr) PQclear(result_);
    // Outside an aborted transaction (the store rolls back first); a failure only leaves the
    // statement to the connection's end.
    PQclear(PQexec(conn_, fmt::format("DEALLOCATE {}", name_).c_str()));
  }
  PostgresRowStatement(const PostgresRowStatement&) = delete;
  PostgresRowStatement& operator=(const PostgresRowStatement&) = delete;

  void Bind(int idx, std::int64_t value) override {
    Slot(idx) = fmt::format("{}", value);
    null_[static_cast<std::size_t>(idx - 1)] = false;
  }
  void Bind(int idx, double value) override {
    const bool absent = std::isnan(value);
    Slot(idx) = absent ? std::string() : fmt::format("{}", value);
    null_[static_cast<std::size_t>(idx - 1)] = absent;
  }
  bool Step() override {
    if (result_ == nullptr) {
      std::vector<const char*> pointers(values_.size());
      for (std::size_t idx = 0; idx < values_.size(); ++idx) {
        pointers[idx] = null_[idx] ? nullptr : values_[idx].c_str();
      }
      result_ = PQexecPrepared(conn_, name_.c_str(), static_cast<int>(pointers.size()),
                               pointers.data(), nullptr, nullptr, 0);
      const auto status = result_ != nullptr ? PQresultStatus(result_) : PGRES_FATAL_ERROR;
      if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        PGresult* failed = result_;
        result_ = nullptr;
        ThrowPostgresError(conn_, failed, "statistics SQL");
      }
      row_ = -1;
    }
    return ++row_ < PQntuples(result_);
  }
  void Reset() override {
    if (result_ != nullptr) PQclear(result_);
    result_ = nullptr;
    null_.assign(null_.size(), true);
  }
  std::int64_t Int(int col) const override {
    const char* text = PQgetvalue(result_, row_, col);
    std::int64_t value = 0;
    std::from_chars(text, text + std::char_traits<char>::length(text), value);
    return value;
  }
  double Real(int col) const override {
    return IsNull(col) ? kAbsent : std::strtod(PQgetvalue(result_, row_, col), nullptr);
  }
  bool IsNull(int col) const override { return PQgetisnull(result_, row_, col) != 0; }
  std::int64_t Changes() const override {
    return result_ != nullptr ? std::atoll(PQcmdTuples(result_)) : 0;
  }

 private:
  std::string& Slot(int idx) { return values_.at(static_cast<std::size_t>(idx - 1)); }

  PGconn* conn_;
  std::string name_;
  std::vector<std::string> values_;
  std::vector<bool> null_;
  PGresult* result_ = nullptr;
  int row_ = -1;
};

}  // namespace

Backend BackendOf(soci::session& session) {
  return session.get_backend_name() == "postgresql" ? Backend::kPostgres : Backend::kSqlite;
}

std::unique_ptr<RowStatement> PrepareRowStatement(soci::session& session, std::string_view text) {
  if (BackendOf(session) == Backend::kPostgres) {
    auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
    return std::make_unique<PostgresRowStatement>(backend->conn_, text);
  }
  auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
  return std::make_unique<SqliteRowStatement>(backend->conn_, text);
}

}  // namespace halsonav
