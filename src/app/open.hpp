#pragma once

// Opening a Hälsonav database: the one place that chooses the store implementation.

#include <memory>
#include <string>

#include "app/app.hpp"

namespace halsonav {

struct DatabaseConfig {
  std::string path;     // the SQLite file
  bool create = false;  // create a new database; the file must not exist
  bool migrate = true;  // bring an older schema up to date when opening
  int connections = 8;  // connection pool size; one per concurrently served request
};

// Opens the database (creating it, or migrating it, as configured) and makes sure it holds the
// national content. Errors say what is wrong with the file; a wrong file is never written.
Result<std::unique_ptr<App>> OpenApp(const DatabaseConfig& config);

// Applies pending migrations; returns a sentence saying what was done.
Result<std::string> MigrateDatabase(const std::string& path);

}  // namespace halsonav
