#pragma once

// Opening a Hälsonav database: the one place that chooses the store implementation.

#include <memory>
#include <string>

#include "app/app.hpp"

namespace halsonav {

struct DatabaseConfig {
  std::string path;     // the SQLite file, or a PostgreSQL URI (postgresql://…)
  bool create = false;  // create a new database; the file must not exist
  bool migrate = true;  // bring an older schema up to date when opening
  int connections = 8;  // connection pool size; one per concurrently served request
  // With `create`: also load the national data (App::LoadNationalData); off for a bare database
  // that gets its registry from the user's own imports.
  bool national_data = true;
};

// Opens the database (creating it, or migrating it, as configured) and makes sure it holds the
// national content; a new database also gets the national data (App::LoadNationalData), and is
// removed again when that fails. Errors say what is wrong with the file; a wrong file is never
// written.
Result<std::unique_ptr<App>> OpenApp(const DatabaseConfig& config);

// Removes a SQLite database file and its -wal and -shm files (a new one that failed to load);
// nothing for a PostgreSQL database, which its operator empties.
void RemoveDatabaseFiles(const std::string& path);

// The database as messages show it: the file, or the URI without its password.
std::string ShownDatabase(const std::string& path);

// Applies pending migrations; returns a sentence saying what was done.
Result<std::string> MigrateDatabase(const std::string& path);

// Copies a database to `destination` (which must not exist) while it may be in use, through
// SQLite's online backup API; returns a sentence saying what was copied.
Result<std::string> BackupDatabase(const std::string& path, const std::string& destination);

}  // namespace halsonav
