#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "store/migrations.hpp"
#include "test_store.hpp"

namespace halsonav {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "halsonav-store-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

// SQLite in memory, or a new PostgreSQL database (tests/unit/test_store.hpp): the tests of the
// `Store` suite run on both back ends, those of `SqliteStore` on SQLite's files only.
std::unique_ptr<Store> MemoryStore() { return testing::OpenTestStore(); }

Meta NewMeta() { return Meta{0, 1, false, "2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z"}; }

TEST(SqliteStore, MissingFileIsNotCreated) {
  TempDir dir;
  const auto path = (dir / "missing.db").string();
  const auto store = OpenSqliteStore({path, false, true, 1});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kDatabase);
  EXPECT_NE(store.error().message.find("missing.db"), std::string::npos);
  EXPECT_FALSE(fs::exists(path));
}

TEST(SqliteStore, NotSqliteIsLeftAlone) {
  TempDir dir;
  const auto path = (dir / "notes.db").string();
  { std::ofstream(path) << "Protokoll från forum för folkhälsa\n"; }
  const auto size = fs::file_size(path);
  const auto store = OpenSqliteStore({path, false, true, 1});
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("not an SQLite database"), std::string::npos);
  EXPECT_EQ(fs::file_size(path), size);
}

TEST(SqliteStore, CreateRefusesAnExistingFile) {
  TempDir dir;
  const auto path = (dir / "h.db").string();
  ASSERT_TRUE(OpenSqliteStore({path, true, true, 1}));
  const auto again = OpenSqliteStore({path, true, true, 1});
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("already exists"), std::string::npos);
}

TEST(SqliteStore, NewerSchemaIsRefused) {
  TempDir dir;
  const auto path = (dir / "h.db").string();
  {
    auto store = OpenSqliteStore({path, true, true, 1});
    ASSERT_TRUE(store);
  }
  const auto status = InspectSqliteSchema(path);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->current, LatestSchemaVersion());
  // A later halsonav wrote migration 9999; this one must not touch the file.
  ASSERT_EQ(std::system(("sqlite3 " + path +
                         " \"INSERT INTO schema_migrations VALUES (9999, 'future', 'x')\"")
                            .c_str()),
            0)
      << "needs the sqlite3 command";
  const auto store = OpenSqliteStore({path, false, true, 1});
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("newer"), std::string::npos);
}

TEST(SqliteStore, ReopeningAppliesNothingTwice) {
  TempDir dir;
  const auto path = (dir / "h.db").string();
  ASSERT_TRUE(OpenSqliteStore({path, true, true, 2}));
  auto reopened = OpenSqliteStore({path, false, true, 2});
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ((*reopened)->SchemaVersion(), LatestSchemaVersion());
}

TEST(Store, MeasureWithItsChildrenRoundTrips) {
  auto store = MemoryStore();
  Id region_id = 0, unit_id = 0, sports_id = 0, plan_id = 0, node_id = 0, measure_id = 0;
  {  // the write transaction gives its (only) connection back before the reads
    auto tx = *store->BeginWrite();
    ASSERT_TRUE(tx->Insert(
        Classification{"target_area:6", "target_area", "6", "Levnadsvanor", "Living habits"}));
    Actor region{NewMeta(), ActorKind::kRegion, "Region Norrbotten", {}, {"0025"}, ""};
    region_id = *tx->Insert(region);
    Unit unit{NewMeta(), region_id, {}, "Folkhälsocentrum", "", ""};
    unit_id = *tx->Insert(unit);
    Actor sports{NewMeta(), ActorKind::kCivilSociety, "Norrbottens Idrottsförbund", {}, {}, ""};
    sports_id = *tx->Insert(sports);
    Framework plan;
    plan.meta = NewMeta();
    plan.kind = FrameworkKind::kActionPlan;
    plan.title = "Handlingsplan 2018–2022";
    plan.node_kinds = {{"sub_goal", "Delmål", true, {}}};
    plan_id = *tx->Insert(plan);
    Node sub_goal;
    sub_goal.meta = NewMeta();
    sub_goal.framework_id = plan_id;
    sub_goal.kind = "sub_goal";
    sub_goal.code = "2";
    sub_goal.title = "Goda levnadsvanor";
    sub_goal.classifications = {"target_area:6"};
    node_id = *tx->Insert(sub_goal);
    Measure measure;
    measure.meta = NewMeta();
    measure.framework_id = plan_id;
    measure.node_id = node_id;
    measure.code = "10 B";
    measure.text = "Fysisk aktivitet på recept i hela länet";
    measure.status = MeasureStatus::kUnderWay;
    measure.responsible = {{region_id, {unit_id}}};
    measure.partners = {{sports_id, PartRole::kPrerequisite, {}}};
    measure.tags = {"Färdplan 2035"};
    measure_id = *tx->Insert(measure);
    ASSERT_TRUE(tx->Commit());
  }

  auto read = *store->BeginRead();
  const auto loaded = read->Get<Measure>(measure_id);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->code, "10 B");
  ASSERT_EQ(loaded->responsible.size(), 1u);
  EXPECT_EQ(loaded->responsible[0].unit_ids, std::vector<Id>{unit_id});
  ASSERT_EQ(loaded->partners.size(), 1u);
  EXPECT_EQ(loaded->partners[0].role, PartRole::kPrerequisite);
  EXPECT_EQ(loaded->tags, std::vector<std::string>{"Färdplan 2035"});
  EXPECT_EQ(read->Get<Unit>(unit_id)->path, "Region Norrbotten / Folkhälsocentrum");

  struct Case {
    const char* name;
    MeasureFilter filter;
    std::int64_t expected;
  };
  const Case cases[] = {
      {"framework", {.framework_id = plan_id}, 1},
      {"subtree", {.node_id = node_id}, 1},
      {"partner", {.actor_id = sports_id}, 1},
      {"status miss", {.status = MeasureStatus::kDone}, 0},
      {"node classification", {.classifications = {"target_area:6"}}, 1},
      {"tag", {.tag = "Färdplan 2035"}, 1},
      {"text prefix", {.text = "recep"}, 1},
      {"text miss", {.text = "tandvård"}, 0},
      {"text operators are literal", {.text = "\"fysisk\" OR NEAR("}, 0},
  };
  for (const auto& c : cases) {
    const auto page = read->List(c.filter, PageRequest{});
    ASSERT_TRUE(page) << c.name << ": " << page.error().message;
    EXPECT_EQ(page->total, c.expected) << c.name;
  }
  const auto references = read->LiveReferences(EntityKind::kActor, sports_id);
  ASSERT_TRUE(references);
  ASSERT_EQ(references->size(), 1u);
  EXPECT_EQ((*references)[0].entity, "measure");
}

TEST(Store, ExhaustedPoolIsAnErrorNotAHang) {
  auto store = testing::OpenTestStore(1, 200);  // one connection
  auto held = store->BeginRead();
  ASSERT_TRUE(held);
  const auto second = store->BeginRead();  // waits out the lease timeout, then fails
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kInternal);
}

TEST(Store, UncommittedWritesAreRolledBack) {
  auto store = MemoryStore();
  {
    auto tx = *store->BeginWrite();
    ASSERT_TRUE(tx->Insert(Actor{NewMeta(), ActorKind::kMunicipality, "Luleå kommun", {}, {}, ""}));
  }
  auto read = *store->BeginRead();
  EXPECT_EQ(read->List(ActorFilter{}, PageRequest{})->total, 0);
}

}  // namespace
}  // namespace halsonav
