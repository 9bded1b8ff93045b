#include "store/sqlite_store.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <mutex>

#include <fmt/format.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "store/guarded_transaction.hpp"
#include "store/migrations.hpp"
#include "store/sql_transaction.hpp"

namespace halsonav {
namespace {

tl::unexpected<Error> DatabaseError(std::string message, const std::string& path) {
  return Fail(ErrorCode::kDatabase, std::move(message), {{"path", path}});
}

// Checks the file before SQLite touches it, so that nothing is ever written to a wrong file.
Result<void> CheckFile(const std::string& path, bool create) {
  if (path == ":memory:") return {};
  std::error_code error;
  const bool exists = std::filesystem::exists(path, error);
  if (create) {
    if (exists) {
      return DatabaseError(fmt::format("{}: a file of that name already exists; it was left as "
                                       "it is",
                                       path),
                           path);
    }
    const auto parent = std::filesystem::absolute(path).parent_path();
    if (!std::filesystem::is_directory(parent, error)) {
      return DatabaseError(fmt::format("{}: the folder {} does not exist", path, parent.string()),
                           path);
    }
    return {};
  }
  if (!exists) {
    return DatabaseError(
        fmt::format("{}: no such database; create one with `halsonav init --db {}`", path, path),
        path);
  }
  if (!std::filesystem::is_regular_file(path, error)) {
    return DatabaseError(fmt::format("{}: not a regular file", path), path);
  }
  std::ifstream file(path, std::ios::binary);
  std::array<char, 16> header{};
  file.read(header.data(), header.size());
  constexpr std::string_view kMagic("SQLite format 3\0", 16);
  if (file.gcount() != 16 || std::string_view(header.data(), header.size()) != kMagic) {
    return DatabaseError(
        fmt::format("{}: not an SQLite database (the file was left as it is)", path), path);
  }
  return {};
}

// Debian's SQLite keeps memory statistics by default: every allocation inside SQLite then takes
// one process-wide lock, which capped single-measure reads at ~2,500 req/s on 2 cores (perf:
// half the time in that lock). Turned off once, before SQLite initialises; measured ~4x.
void DisableMemoryStatistics() {
  static std::once_flag once;
  // soci-sqlite3.h includes sqlite3.h inside namespace sqlite_api.
  std::call_once(once, [] { sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

void Configure(soci::session& session) {
  session << "PRAGMA foreign_keys = ON";
  session << "PRAGMA busy_timeout = 10000";
  session << "PRAGMA synchronous = NORMAL";
}

std::int64_t AppliedVersion(soci::session& session) {
  sql::Query exists(session,
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                    "'schema_migrations'");
  if (exists.ScalarInt().value_or(0) == 0) return -1;
  return sql::Query(session, "SELECT coalesce(max(version), 0) FROM schema_migrations")
      .ScalarInt()
      .value_or(0);
}

void ApplyMigrations(soci::session& session, std::int64_t from_version) {
  session << "BEGIN IMMEDIATE";
  try {
    session << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
               "name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT";
    for (const auto& migration : Migrations()) {
      if (migration.version <= from_version) continue;
      ForEachStatement(migration.sql,
                       [&](std::string_view statement) { session << std::string(statement); });
      sql::Query record(session,
                        "INSERT INTO schema_migrations (version, name, applied_at) "
                        "VALUES (");
      record.Param(migration.version).Sql(", ").Param(std::string(migration.name));
      record.Sql(", strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))").Execute();
    }
    session << "COMMIT";
  } catch (...) {
    session << "ROLLBACK";
    throw;
  }
}

class SqliteStore final : public Store {
 public:
  SqliteStore(std::size_t connections, int lease_timeout_ms)
      : pool_(connections), lease_timeout_ms_(lease_timeout_ms) {}

  soci::connection_pool& Pool() { return pool_; }
  void SetSchemaVersion(std::int64_t version) { schema_version_ = version; }

  Result<std::unique_ptr<Transaction>> BeginRead() override { return Begin(false); }
  Result<std::unique_ptr<Transaction>> BeginWrite() override { return Begin(true); }
  std::int64_t SchemaVersion() const override { return schema_version_; }

 private:
  Result<std::unique_ptr<Transaction>> Begin(bool write) {
    return BeginSqlTransaction(pool_, lease_timeout_ms_, write);
  }

  soci::connection_pool pool_;
  int lease_timeout_ms_;
  std::int64_t schema_version_ = 0;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  if (auto ok = CheckFile(options.path, options.create); !ok) return tl::unexpected(ok.error());
  DisableMemoryStatistics();
  const bool memory = options.path == ":memory:";
  const std::size_t connections =
      memory ? 1 : static_cast<std::size_t>(std::clamp(options.connections, 1, 256));
  std::int64_t applied = 0;
  auto store = std::make_unique<SqliteStore>(connections, options.lease_timeout_ms);
  {
    // One connection first: check what the file holds and migrate it, before the pool opens.
    auto& first = store->Pool().at(0);
    first.open(soci::sqlite3, fmt::format("db=\"{}\" timeout=10", options.path));
    Configure(first);
    if (!memory) first << "PRAGMA journal_mode = WAL";
    try {
      applied = AppliedVersion(first);
    } catch (const soci::soci_error& error) {
      return DatabaseError(
          fmt::format("{}: cannot be read as an SQLite database: {}", options.path, error.what()),
          options.path);
    }
    if (applied < 0 && !options.create && !memory) {
      return DatabaseError(fmt::format("{}: an SQLite database, but not a Hälsonav database (no "
                                       "schema_migrations table); it was left as it is",
                                       options.path),
                           options.path);
    }
    if (applied > LatestSchemaVersion()) {
      return DatabaseError(
          fmt::format("{}: the database has schema version {}, newer than this halsonav knows "
                      "({}); use a newer halsonav. Nothing was changed",
                      options.path, applied, LatestSchemaVersion()),
          options.path);
    }
    if (applied < LatestSchemaVersion()) {
      if (!options.migrate) {
        return DatabaseError(
            fmt::format("{}: schema version {} needs migration to {}; run "
                        "`halsonav migrate --db {}`",
                        options.path, applied, LatestSchemaVersion(), options.path),
            options.path);
      }
      ApplyMigrations(first, std::max<std::int64_t>(applied, 0));
    }
  }
  for (std::size_t idx = 1; idx < connections; ++idx) {
    auto& session = store->Pool().at(idx);
    session.open(soci::sqlite3, fmt::format("db=\"{}\" timeout=10", options.path));
    Configure(session);
  }
  store->SetSchemaVersion(LatestSchemaVersion());
  return std::unique_ptr<Store>(std::move(store));
}

Result<SchemaStatus> InspectSqliteSchema(const std::string& path) {
  if (auto ok = CheckFile(path, false); !ok) return tl::unexpected(ok.error());
  soci::session session(soci::sqlite3, fmt::format("db=\"{}\" timeout=10", path));
  std::int64_t applied = -1;
  try {
    applied = AppliedVersion(session);
  } catch (const soci::soci_error& error) {
    return DatabaseError(
        fmt::format("{}: cannot be read as an SQLite database: {}", path, error.what()), path);
  }
  if (applied < 0) {
    return DatabaseError(fmt::format("{}: an SQLite database, but not a Hälsonav database", path),
                         path);
  }
  return SchemaStatus{applied, LatestSchemaVersion()};
}

namespace {

namespace sq = sqlite_api;

// An sqlite3 connection closed when it goes out of scope.
struct Connection {
  sq::sqlite3* db = nullptr;
  ~Connection() { sq::sqlite3_close_v2(db); }
  std::string Message() const { return db != nullptr ? sq::sqlite3_errmsg(db) : "out of memory"; }
};

// Copies `source` into the open `copy` in one step: one read transaction, so the copy is the
// snapshot it began with. Hälsonav's databases are in WAL mode, where that reader holds up no
// writer (their changes go to the WAL meanwhile), and other connections' writes cannot make the
// copy start again, as they would between smaller steps.
Result<void> CopyPages(Connection& source, Connection& copy, const std::string& path,
                       BackupReport& report) {
  sq::sqlite3_backup* backup = sq::sqlite3_backup_init(copy.db, "main", source.db, "main");
  if (backup == nullptr) {
    return DatabaseError(fmt::format("{}: the backup could not start: {}", path, copy.Message()),
                         path);
  }
  int code = SQLITE_OK;
  for (int attempt = 0; code != SQLITE_DONE && attempt < 500; ++attempt) {
    code = sq::sqlite3_backup_step(backup, -1);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
      sq::sqlite3_sleep(20);
    } else if (code != SQLITE_OK && code != SQLITE_DONE) {
      break;
    }
  }
  report.pages = sq::sqlite3_backup_pagecount(backup);
  sq::sqlite3_backup_finish(backup);
  if (code != SQLITE_DONE) {
    return DatabaseError(fmt::format("{}: the backup failed: {}", path, sq::sqlite3_errstr(code)),
                         path);
  }
  return {};
}

}  // namespace

Result<BackupReport> BackupSqliteDatabase(const std::string& source,
                                          const std::string& destination) {
  auto status = InspectSqliteSchema(source);
  if (!status) return tl::unexpected(status.error());
  if (auto ok = CheckFile(destination, true); !ok) return tl::unexpected(ok.error());
  DisableMemoryStatistics();
  BackupReport report;
  report.schema_version = status->current;
  const std::string partial = destination + ".partial";
  std::error_code ignored;
  std::filesystem::remove(partial, ignored);
  auto fail = [&](tl::unexpected<Error> error) {
    std::filesystem::remove(partial, ignored);
    return error;
  };
  {
    Connection from;
    Connection copy;
    if (sq::sqlite3_open_v2(source.c_str(), &from.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      return DatabaseError(fmt::format("{}: cannot be opened: {}", source, from.Message()), source);
    }
    sq::sqlite3_busy_timeout(from.db, 10000);
    if (sq::sqlite3_open_v2(partial.c_str(), &copy.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            nullptr) != SQLITE_OK) {
      return fail(DatabaseError(
          fmt::format("{}: cannot be written: {}", destination, copy.Message()), destination));
    }
    if (auto ok = CopyPages(from, copy, destination, report); !ok) {
      return fail(tl::unexpected(ok.error()));
    }
    sq::sqlite3_stmt* check = nullptr;
    std::string verdict = "no answer";
    if (sq::sqlite3_prepare_v2(copy.db, "PRAGMA quick_check", -1, &check, nullptr) == SQLITE_OK &&
        sq::sqlite3_step(check) == SQLITE_ROW) {
      verdict = reinterpret_cast<const char*>(sq::sqlite3_column_text(check, 0));
    }
    sq::sqlite3_finalize(check);
    if (verdict != "ok") {
      return fail(DatabaseError(
          fmt::format("{}: the copy failed its check ({}); nothing was kept", destination, verdict),
          destination));
    }
    // One file, as a copy should be: the copy's own WAL is folded in before it is closed.
    sq::sqlite3_exec(copy.db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  }
  std::filesystem::remove(partial + "-wal", ignored);
  std::filesystem::remove(partial + "-shm", ignored);
  // A hard link fails when the name was taken meanwhile, where a rename would replace it.
  std::error_code error;
  std::filesystem::create_hard_link(partial, destination, error);
  if (error) {
    return fail(DatabaseError(
        fmt::format("{}: the copy could not be given its name: {}", destination, error.message()),
        destination));
  }
  std::filesystem::remove(partial, ignored);
  report.bytes = static_cast<std::int64_t>(std::filesystem::file_size(destination, ignored));
  return report;
}

}  // namespace halsonav
