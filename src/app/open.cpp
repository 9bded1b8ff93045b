#include "app/open.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "store/postgres_store.hpp"
#include "store/sqlite_store.hpp"

namespace halsonav {

void RemoveDatabaseFiles(const std::string& path) {
  if (IsPostgresUri(path)) return;  // its operator's to empty (`init` refuses it meanwhile)
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

namespace {

Result<std::unique_ptr<Store>> OpenStore(const DatabaseConfig& config) {
  if (IsPostgresUri(config.path)) {
    return OpenPostgresStore(
        PostgresOptions{config.path, config.create, config.migrate, config.connections});
  }
  return OpenSqliteStore(
      SqliteOptions{config.path, config.create, config.migrate, config.connections});
}

}  // namespace

Result<std::unique_ptr<App>> OpenApp(const DatabaseConfig& config) {
  auto store = OpenStore(config);
  if (!store) return tl::unexpected(store.error());
  auto app = std::make_unique<App>(std::move(*store));
  if (auto ok = app->EnsureNationalContent(); !ok) return tl::unexpected(ok.error());
  if (config.create && config.national_data) {
    if (auto ok = app->LoadNationalData(Caller::Operator("system")); !ok) {
      // The file is new and did not get its content: removed, so that init can be re-run.
      app.reset();
      RemoveDatabaseFiles(config.path);
      return tl::unexpected(ok.error());
    }
  }
  return app;
}

std::string ShownDatabase(const std::string& path) {
  return IsPostgresUri(path) ? RedactedUri(path) : path;
}

Result<std::string> MigrateDatabase(const std::string& path) {
  auto status = IsPostgresUri(path) ? InspectPostgresSchema(path) : InspectSqliteSchema(path);
  const std::string shown = ShownDatabase(path);
  if (!status) return tl::unexpected(status.error());
  if (status->current > status->latest) {
    return Fail(ErrorCode::kDatabase,
                fmt::format("{}: the database has schema version {}, newer than this halsonav "
                            "knows ({}); use a newer halsonav. Nothing was changed",
                            shown, status->current, status->latest),
                {{"path", shown}});
  }
  if (status->current == status->latest) {
    return fmt::format("{}: schema version {} is current; nothing to do", shown, status->current);
  }
  auto app = OpenApp(DatabaseConfig{path, false, true, 1});
  if (!app) return tl::unexpected(app.error());
  return fmt::format("{}: migrated from schema version {} to {}", shown, status->current,
                     status->latest);
}

Result<std::string> BackupDatabase(const std::string& path, const std::string& destination) {
  if (IsPostgresUri(path)) {
    return Fail(ErrorCode::kInvalidParameter,
                "halsonav backup copies SQLite files; back up a PostgreSQL database with "
                "pg_dump (docs/DEPLOY.md)",
                {{"database", RedactedUri(path)}});
  }
  auto report = BackupSqliteDatabase(path, destination);
  if (!report) return tl::unexpected(report.error());
  return fmt::format("{}: copied to {} (schema version {}, {} pages, {:.1f} MB; checked)", path,
                     destination, report->schema_version, report->pages,
                     static_cast<double>(report->bytes) / 1e6);
}

}  // namespace halsonav
