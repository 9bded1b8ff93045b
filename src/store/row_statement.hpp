#pragma once

// Private to the store: the back ends, and a prepared statement for the statistics hot paths
// (observations: the bulk import and the area profile run these statements millions and
// thousands of times, where SOCI's per-call overhead would dominate). SQLite runs it through its
// C API, PostgreSQL through libpq's prepared statements.

#include <cstdint>
#include <memory>
#include <string_view>

#include <soci/soci.h>

namespace halsonav {

enum class Backend { kSqlite, kPostgres };

// The back end of an open SOCI session.
Backend BackendOf(soci::session& session);

class RowStatement {
 public:
  virtual ~RowStatement() = default;
  // Parameters are numbered from 1; a NaN double is bound as NULL.
  virtual void Bind(int idx, std::int64_t value) = 0;
  virtual void Bind(int idx, double value) = 0;
  // Runs the statement on the first call after binding; true while a row is available.
  // A failure throws soci::soci_error (the transaction then rolls back).
  virtual bool Step() = 0;
  // Ready for new bindings.
  virtual void Reset() = 0;
  // Columns of the current row, numbered from 0; a NULL real is kAbsent.
  virtual std::int64_t Int(int col) const = 0;
  virtual double Real(int col) const = 0;
  virtual bool IsNull(int col) const = 0;
  // Rows inserted, updated or deleted by the last run.
  virtual std::int64_t Changes() const = 0;
};

// `text` numbers its parameters ?1, ?2, …, as SQLite does (PostgreSQL gets $1, $2, …).
std::unique_ptr<RowStatement> PrepareRowStatement(soci::session& session, std::string_view text);

}  // namespace halsonav
