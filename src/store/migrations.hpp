#pragma once

// The numbered schema migrations, applied in order at start-up and recorded in the table
// schema_migrations. A migration, once released, is never edited: a change is a new migration.

#include <cstdint>
#include <string_view>
#include <vector>

namespace halsonav {

struct Migration {
  std::int64_t version;
  std::string_view name;
  std::string_view sql;         // SQLite's statements, separated by ";\n"
  std::string_view postgresql;  // the same for PostgreSQL (migrations_postgres.cpp)
};

const std::vector<Migration>& Migrations();

// The PostgreSQL text of a migration; empty for a version that does not exist.
std::string_view PostgresMigrationSql(std::int64_t version);

// Runs each statement of `sql` (separated by ";\n") through `run`.
template <typename Run>
void ForEachStatement(std::string_view sql, Run&& run) {
  while (!sql.empty()) {
    const auto end = sql.find(";\n");
    const auto statement = sql.substr(0, end);
    if (statement.find_first_not_of(" \n") != std::string_view::npos) run(statement);
    sql = end == std::string_view::npos ? std::string_view{} : sql.substr(end + 2);
  }
}

// The schema version this build knows: the last migration's number.
std::int64_t LatestSchemaVersion();

}  // namespace halsonav
