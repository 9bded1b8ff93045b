#include "app/open.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "store/sqlite_store.hpp"

namespace halsonav {

void RemoveDatabaseFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

Result<std::unique_ptr<App>> OpenApp(const DatabaseConfig& config) {
  auto store = OpenSqliteStore(
      SqliteOptions{config.path, config.create, config.migrate, config.connections});
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

Result<std::string> MigrateDatabase(const std::string& path) {
  auto status = InspectSqliteSchema(path);
  if (!status) return tl::unexpected(status.error());
  if (status->current > status->latest) {
    return Fail(ErrorCode::kDatabase,
                fmt::format("{}: the database has schema version {}, newer than this halsonav "
                            "knows ({}); use a newer halsonav. Nothing was changed",
                            path, status->current, status->latest),
                {{"path", path}});
  }
  if (status->current == status->latest) {
    return fmt::format("{}: schema version {} is current; nothing to do", path, status->current);
  }
  auto app = OpenApp(DatabaseConfig{path, false, true, 1});
  if (!app) return tl::unexpected(app.error());
  return fmt::format("{}: migrated from schema version {} to {}", path, status->current,
                     status->latest);
}

Result<std::string> BackupDatabase(const std::string& path, const std::string& destination) {
  auto report = BackupSqliteDatabase(path, destination);
  if (!report) return tl::unexpected(report.error());
  return fmt::format("{}: copied to {} (schema version {}, {} pages, {:.1f} MB; checked)", path,
                     destination, report->schema_version, report->pages,
                     static_cast<double>(report->bytes) / 1e6);
}

}  // namespace halsonav
