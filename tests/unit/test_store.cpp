#include "test_store.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include "store/postgres_store.hpp"
#include "store/sqlite_store.hpp"

namespace halsonav::testing {
namespace {

std::string ServerUri() {
  const char* file = std::getenv("HALSONAV_TEST_POSTGRES");
  if (file == nullptr) {
    throw std::runtime_error(
        "HALSONAV_TEST_POSTGRES (the file with the test cluster's URI) is "
        "not set");
  }
  std::ifstream in(file);
  std::string uri;
  if (!std::getline(in, uri) || uri.empty()) {
    throw std::runtime_error(fmt::format("{}: no PostgreSQL URI in it", file));
  }
  return uri;
}

}  // namespace

std::string TestBackend() {
  return std::getenv("HALSONAV_TEST_POSTGRES") != nullptr ? "postgresql" : "sqlite";
}

std::string NewPostgresDatabase() {
  static std::atomic<int> counter{0};
  const std::string server = ServerUri();
  const std::string name = fmt::format("halsonav_test_{}_{}", getpid(), ++counter);
  PGconn* conn = PQconnectdb(server.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error(fmt::format("{}: {}", server, message));
  }
  PGresult* result = PQexec(conn, fmt::format("CREATE DATABASE {}", name).c_str());
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  const std::string message = PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
  if (!ok) throw std::runtime_error(fmt::format("CREATE DATABASE {}: {}", name, message));
  // The server's URI names its maintenance database: "postgresql://user@/postgres?host=…".
  const auto slash = server.find('/', server.find("://") + 3);
  const auto query = server.find('?', slash);
  return server.substr(0, slash + 1) + name +
         (query == std::string::npos ? "" : server.substr(query));
}

std::unique_ptr<Store> OpenTestStore(int connections, int lease_timeout_ms) {
  Result<std::unique_ptr<Store>> store =
      TestBackend() == "postgresql"
          ? OpenPostgresStore({NewPostgresDatabase(), true, true, connections, lease_timeout_ms})
          : OpenSqliteStore({":memory:", true, true, connections, lease_timeout_ms});
  if (!store) throw std::runtime_error(store.error().message);
  return std::move(*store);
}

}  // namespace halsonav::testing
