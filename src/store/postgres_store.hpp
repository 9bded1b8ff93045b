#pragma once

// The PostgreSQL implementation of Store (issue 16): the same transaction code as SQLite's
// (store/sql_transaction.hpp) on a pool of libpq connections. Writers are serialised across
// processes by an advisory lock, readers see one snapshot each; migrations run once even when
// several processes start together.

#include <memory>
#include <string>

#include "store/sqlite_store.hpp"
#include "store/store.hpp"

namespace halsonav {

// Whether a --db value names a PostgreSQL database (a libpq URI: postgresql:// or postgres://).
bool IsPostgresUri(const std::string& db);

// The URI with its password, if any, replaced by "***" (for messages and logs).
std::string RedactedUri(const std::string& uri);

struct PostgresOptions {
  std::string uri;               // libpq URI: postgresql://user@host:port/database?…
  bool create = false;           // a new Hälsonav database: the database must hold no tables yet
  bool migrate = true;           // apply pending migrations when opening an older database
  int connections = 8;           // size of the connection pool (1..256)
  int lease_timeout_ms = 30000;  // how long a transaction waits for a free connection
};

// Connects, checks what the database holds (empty for `create`; a Hälsonav schema otherwise,
// not newer than this build) and migrates it. Errors (kDatabase) say what is wrong, without the
// password; nothing is written to a database that fails these checks.
Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options);

// The schema version of a PostgreSQL database, without changing it (for `halsonav migrate`).
Result<SchemaStatus> InspectPostgresSchema(const std::string& uri);

}  // namespace halsonav
