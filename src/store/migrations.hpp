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
  std::string_view sql;  // statements separated by ";\n"
};

const std::vector<Migration>& Migrations();

// The schema version this build knows: the last migration's number.
std::int64_t LatestSchemaVersion();

}  // namespace halsonav
