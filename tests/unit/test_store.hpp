#pragma once

// The store that the store and app tests run on (issue 16: the same tests on both back ends).
// By default SQLite in memory; when HALSONAV_TEST_POSTGRES names the file to which
// tests/postgres/cluster.sh wrote its cluster's URI (ctest sets it for the "pg." tests), a new,
// empty database in that cluster.

#include <memory>
#include <string>

#include "store/store.hpp"

namespace halsonav::testing {

// "sqlite" or "postgresql".
std::string TestBackend();

// A new, empty database on the test back end ("" for SQLite: use ":memory:" or a file).
std::string NewPostgresDatabase();

// A new store, migrated, with `connections` connections (SQLite in memory has only one).
std::unique_ptr<Store> OpenTestStore(int connections = 1, int lease_timeout_ms = 30000);

}  // namespace halsonav::testing
