// The PostgreSQL store's own behaviour (issue 16): what it refuses, migrating once when several
// processes start together, a lost connection. Runs only with the test cluster (the "pg." tests).

#include "store/postgres_store.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store/migrations.hpp"
#include "test_store.hpp"

namespace halsonav {
namespace {

// Runs one statement on its own connection; returns the first column of the first row.
std::string RunSql(const std::string& uri, const std::string& sql) {
  PGconn* conn = PQconnectdb(uri.c_str());
  EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* result = PQexec(conn, sql.c_str());
  const auto status = PQresultStatus(result);
  EXPECT_TRUE(status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
      << sql << ": " << PQresultErrorMessage(result);
  std::string out = PQntuples(result) > 0 ? PQgetvalue(result, 0, 0) : "";
  PQclear(result);
  PQfinish(conn);
  return out;
}

Meta NewMeta() { return Meta{0, 1, false, "2026-12-07T10:00:00Z", "2026-12-07T10:00:00Z"}; }

TEST(PostgresStore, CreateRefusesADatabaseWithTables) {
  const auto uri = testing::NewPostgresDatabase();
  RunSql(uri, "CREATE TABLE something_else (x int)");
  const auto store = OpenPostgresStore({uri, true, true, 1});
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("already holds 1 tables"), std::string::npos)
      << store.error().message;
  EXPECT_EQ(RunSql(uri, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "1");
}

TEST(PostgresStore, AnEmptyDatabaseIsNotOpenedWithoutCreate) {
  const auto uri = testing::NewPostgresDatabase();
  const auto store = OpenPostgresStore({uri, false, true, 1});
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("halsonav init"), std::string::npos)
      << store.error().message;
  EXPECT_EQ(RunSql(uri, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "0");
}

TEST(PostgresStore, NewerSchemaIsRefused) {
  const auto uri = testing::NewPostgresDatabase();
  ASSERT_TRUE(OpenPostgresStore({uri, true, true, 1}));
  RunSql(uri, "INSERT INTO schema_migrations VALUES (9999, 'from the future', 'x')");
  const auto store = OpenPostgresStore({uri, false, true, 1});
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("newer than this halsonav"), std::string::npos);
}

// Processes starting together on a new database: the advisory lock lets one create the schema;
// the others find it there and are refused as they would be one after another.
TEST(PostgresStore, ProcessesStartingTogetherMigrateOnce) {
  const auto uri = testing::NewPostgresDatabase();
  std::atomic<int> opened{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int idx = 0; idx < 4; ++idx) {
    threads.emplace_back([&] {
      auto store = OpenPostgresStore({uri, true, true, 1});
      (store ? opened : refused)++;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(opened, 1);
  EXPECT_EQ(refused, 3);
  EXPECT_EQ(RunSql(uri, "SELECT count(*) FROM schema_migrations"),
            std::to_string(Migrations().size()));
}

TEST(PostgresStore, AnUnreachableServerIsAClearErrorWithoutThePassword) {
  const auto store =
      OpenPostgresStore({"postgresql://halsonav:hemligt@127.0.0.1:1/halsonav", false, true, 1});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kDatabase);
  EXPECT_NE(store.error().message.find("cannot connect to PostgreSQL"), std::string::npos);
  EXPECT_EQ(store.error().message.find("hemligt"), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find("halsonav:***@127.0.0.1:1"), std::string::npos);
}

TEST(PostgresStore, RedactedUriHidesOnlyThePassword) {
  EXPECT_EQ(RedactedUri("postgresql://u:p@h:5432/d?sslmode=require"),
            "postgresql://u:***@h:5432/d?sslmode=require");
  EXPECT_EQ(RedactedUri("postgresql://u@h/d"), "postgresql://u@h/d");
  EXPECT_EQ(RedactedUri("postgresql:///d?host=/tmp/x"), "postgresql:///d?host=/tmp/x");
}

// The server ends the store's connections (a restart, a failover): a transaction in flight fails
// as kBusy (HTTP 503 with Retry-After), and the next one reconnects by itself.
TEST(PostgresStore, ALostConnectionIsBusyThenReconnected) {
  const auto uri = testing::NewPostgresDatabase();
  auto opened = OpenPostgresStore({uri, true, true, 1});
  ASSERT_TRUE(opened) << opened.error().message;
  auto& store = *opened;
  const auto database = RunSql(uri, "SELECT current_database()");
  {
    auto tx = store->BeginRead();
    ASSERT_TRUE(tx);
    RunSql(uri, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                    database + "' AND pid <> pg_backend_pid()");
    const auto listed = (*tx)->List(ActorFilter{}, PageRequest{});
    ASSERT_FALSE(listed);
    EXPECT_EQ(listed.error().code, ErrorCode::kBusy) << listed.error().message;
  }
  auto tx = store->BeginWrite();
  ASSERT_TRUE(tx) << tx.error().message;
  ASSERT_TRUE(
      (*tx)->Insert(Actor{NewMeta(), ActorKind::kMunicipality, "Kiruna kommun", {}, {}, ""}));
  ASSERT_TRUE((*tx)->Commit());
  tx->reset();
  auto read = store->BeginRead();
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ((*read)->List(ActorFilter{}, PageRequest{})->total, 1);
}

}  // namespace
}  // namespace halsonav
