#pragma once

// The SQLite implementation of Store: one file, WAL, foreign keys on, STRICT tables, FTS5 for
// measure search. Each open connection is one SOCI session in a pool; a transaction leases one.

#include <memory>
#include <string>

#include "store/store.hpp"

namespace halsonav {

struct SqliteOptions {
  std::string path;              // the database file, or ":memory:" (tests; forces one connection)
  bool create = false;           // create a new database: the file must not exist yet
  bool migrate = true;           // apply pending migrations when opening an older database
  int connections = 8;           // size of the connection pool (1..256)
  int lease_timeout_ms = 30000;  // how long a transaction waits for a free connection
};

// Opens (or creates) the database. Errors (kDatabase) say what is wrong with the file: missing,
// not SQLite, not a Hälsonav database, or from a newer schema than this build knows. Nothing is
// written to a file that fails these checks.
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

// What is in a database file, without changing it (for `halsonav migrate`).
struct SchemaStatus {
  std::int64_t current = 0;  // highest migration applied
  std::int64_t latest = 0;   // highest this build knows
};
Result<SchemaStatus> InspectSqliteSchema(const std::string& path);

// A consistent copy of a Hälsonav database through SQLite's online backup API, safe while
// servers read and write it: the copy is the state when it began (one read transaction; in WAL
// mode it holds up no writer).
// The copy is written beside `destination` under a temporary name, checked (quick_check), and
// only then given its name; `destination` must not exist. A failure leaves nothing behind.
struct BackupReport {
  std::int64_t schema_version = 0;
  std::int64_t pages = 0;
  std::int64_t bytes = 0;
};
Result<BackupReport> BackupSqliteDatabase(const std::string& source,
                                          const std::string& destination);

}  // namespace halsonav
