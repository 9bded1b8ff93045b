#include "store/postgres_store.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>

#include "store/guarded_transaction.hpp"
#include "store/migrations.hpp"
#include "store/sql_transaction.hpp"

namespace halsonav {
namespace {

// The session-level advisory lock held while one process checks and applies migrations, so
// that processes starting together migrate once ("Hmigrate" in ASCII).
constexpr std::int64_t kMigrationLock = 0x486d696772617465;

tl::unexpected<Error> DatabaseError(std::string message, const std::string& uri) {
  return Fail(ErrorCode::kDatabase, std::move(message), {{"database", RedactedUri(uri)}});
}

// What a connection's database holds: -1 no schema_migrations table, else the highest version
// applied; `tables` counts the tables of the current schema.
struct Contents {
  std::int64_t applied = -1;
  std::int64_t tables = 0;
};

Contents ReadContents(soci::session& session) {
  Contents out;
  out.tables = sql::Query(session,
                          "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = "
                          "current_schema()")
                   .ScalarInt()
                   .value_or(0);
  const bool has_migrations =
      sql::Query(session, "SELECT to_regclass('schema_migrations') IS NOT NULL")
          .ScalarInt()
          .value_or(0) != 0;
  if (has_migrations) {
    out.applied = sql::Query(session, "SELECT coalesce(max(version), 0) FROM schema_migrations")
                      .ScalarInt()
                      .value_or(0);
  }
  return out;
}

// Applies the migrations after `from_version` in one transaction (PostgreSQL's DDL is
// transactional: a failure leaves the schema as it was).
void ApplyMigrations(soci::session& session, std::int64_t from_version) {
  session << "BEGIN";
  try {
    session << "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
               "name TEXT NOT NULL, applied_at TEXT NOT NULL)";
    for (const auto& migration : Migrations()) {
      if (migration.version <= from_version) continue;
      ForEachStatement(migration.postgresql, [&](std::string_view statement) {
        sql::Query(session, std::string(statement)).Execute();
      });
      sql::Query record(session,
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (");
      record.Param(migration.version).Sql(", ").Param(std::string(migration.name));
      record.Sql(", to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))")
          .Execute();
    }
    session << "COMMIT";
  } catch (...) {
    session << "ROLLBACK";
    throw;
  }
}

// Checks the database against `options` and migrates it; holds kMigrationLock meanwhile.
Result<void> PrepareSchema(soci::session& session, const PostgresOptions& options) {
  sql::Query(session, fmt::format("SELECT pg_advisory_lock({})", kMigrationLock)).Execute();
  struct Unlock {
    soci::session& session;
    ~Unlock() {
      try {
        sql::Query(session, fmt::format("SELECT pg_advisory_unlock({})", kMigrationLock)).Execute();
      } catch (...) {  // NOLINT(bugprone-empty-catch): the lock ends with the connection anyway
      }
    }
  } unlock{session};
  const auto& uri = options.uri;
  const auto contents = ReadContents(session);
  if (options.create && contents.tables > 0) {
    return DatabaseError(
        fmt::format("{}: the database already holds {} tables; a new Hälsonav database needs an "
                    "empty one (nothing was changed)",
                    RedactedUri(uri), contents.tables),
        uri);
  }
  if (!options.create && contents.applied < 0) {
    return DatabaseError(
        contents.tables == 0
            ? fmt::format("{}: an empty database, no Hälsonav database yet; create one with "
                          "`halsonav init --db {}`",
                          RedactedUri(uri), RedactedUri(uri))
            : fmt::format("{}: a PostgreSQL database, but not a Hälsonav database (no "
                          "schema_migrations table); it was left as it is",
                          RedactedUri(uri)),
        uri);
  }
  const std::int64_t applied = std::max<std::int64_t>(contents.applied, 0);
  if (applied > LatestSchemaVersion()) {
    return DatabaseError(
        fmt::format("{}: the database has schema version {}, newer than this halsonav knows ({}); "
                    "use a newer halsonav. Nothing was changed",
                    RedactedUri(uri), applied, LatestSchemaVersion()),
        uri);
  }
  if (applied < LatestSchemaVersion()) {
    if (!options.migrate && !options.create) {
      return DatabaseError(
          fmt::format("{}: schema version {} needs migration to {}; run "
                      "`halsonav migrate --db {}`",
                      RedactedUri(uri), applied, LatestSchemaVersion(), RedactedUri(uri)),
          uri);
    }
    ApplyMigrations(session, applied);
  }
  return {};
}

class PostgresStore final : public Store {
 public:
  PostgresStore(std::size_t connections, int lease_timeout_ms)
      : pool_(connections), lease_timeout_ms_(lease_timeout_ms) {}

  soci::connection_pool& Pool() { return pool_; }

  Result<std::unique_ptr<Transaction>> BeginRead() override { return Begin(false); }
  Result<std::unique_ptr<Transaction>> BeginWrite() override { return Begin(true); }
  std::int64_t SchemaVersion() const override { return LatestSchemaVersion(); }

 private:
  Result<std::unique_ptr<Transaction>> Begin(bool write) {
    return BeginSqlTransaction(pool_, lease_timeout_ms_, write);
  }

  soci::connection_pool pool_;
  int lease_timeout_ms_;
};

// Opens one connection; a failure says where, without the password.
Result<void> Connect(soci::session& session, const std::string& uri) {
  try {
    session.open(soci::postgresql, uri);
  } catch (const soci::soci_error& error) {
    std::string message = error.what();
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    return DatabaseError(
        fmt::format("{}: cannot connect to PostgreSQL: {}", RedactedUri(uri), message), uri);
  }
  return {};
}

}  // namespace

bool IsPostgresUri(const std::string& db) {
  return db.starts_with("postgresql://") || db.starts_with("postgres://");
}

std::string RedactedUri(const std::string& uri) {
  const auto scheme = uri.find("://");
  if (scheme == std::string::npos) return uri;
  const auto authority = scheme + 3;
  const auto at = uri.find('@', authority);
  const auto slash = uri.find('/', authority);
  if (at == std::string::npos || (slash != std::string::npos && at > slash)) return uri;
  const auto colon = uri.find(':', authority);
  if (colon == std::string::npos || colon > at) return uri;
  return uri.substr(0, colon + 1) + "***" + uri.substr(at);
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options) {
  const auto connections = static_cast<std::size_t>(std::clamp(options.connections, 1, 256));
  auto store = std::make_unique<PostgresStore>(connections, options.lease_timeout_ms);
  auto& first = store->Pool().at(0);
  if (auto ok = Connect(first, options.uri); !ok) return tl::unexpected(ok.error());
  try {
    if (auto ok = PrepareSchema(first, options); !ok) return tl::unexpected(ok.error());
  } catch (const soci::soci_error& error) {
    return DatabaseError(fmt::format("{}: the schema could not be checked or migrated: {}",
                                     RedactedUri(options.uri), error.what()),
                         options.uri);
  }
  for (std::size_t idx = 1; idx < connections; ++idx) {
    if (auto ok = Connect(store->Pool().at(idx), options.uri); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  return std::unique_ptr<Store>(std::move(store));
}

Result<SchemaStatus> InspectPostgresSchema(const std::string& uri) {
  soci::session session;
  if (auto ok = Connect(session, uri); !ok) return tl::unexpected(ok.error());
  Contents contents;
  try {
    contents = ReadContents(session);
  } catch (const soci::soci_error& error) {
    return DatabaseError(fmt::format("{}: {}", RedactedUri(uri), error.what()), uri);
  }
  if (contents.applied < 0) {
    return DatabaseError(
        fmt::format("{}: not a Hälsonav database (no schema_migrations table)", RedactedUri(uri)),
        uri);
  }
  return SchemaStatus{contents.applied, LatestSchemaVersion()};
}

}  // namespace halsonav
