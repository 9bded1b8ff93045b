#pragma once

// The --db option that every command on a database takes: an SQLite file or a PostgreSQL URI
// (issue 16), also from the environment variable HALSONAV_DB.

#include <string>

namespace halsonav::cli {

inline constexpr const char* kDbHelp =
    "the database: an SQLite file, or a PostgreSQL URI (postgresql://user@host/name); also "
    "HALSONAV_DB";

// `Command` is CLI::App (a template, so that this header does not include CLI11).
template <typename Command>
auto* AddDbOption(Command* command, std::string& db, const char* help = kDbHelp) {
  return command->add_option("--db", db, help)->envname("HALSONAV_DB")->required();
}

}  // namespace halsonav::cli
