#include "app/app.hpp"

#include <gtest/gtest.h>

#include "test_store.hpp"

namespace halsonav {
namespace {

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app_ = std::make_unique<App>(testing::OpenTestStore(), [] { return "2026-11-23T12:00:00Z"; });
    ASSERT_TRUE(app_->EnsureNationalContent());
  }

  Json Create(EntityKind kind, const char* body) {
    auto created = app_->Create(kind, Json::parse(body), caller_);
    EXPECT_TRUE(created) << body << ": " << created.error().message;
    return created ? *created : Json();
  }

  Id PlanWithSubGoal(std::optional<Id> coordinator) {
    plan_id_ = Create(EntityKind::kFramework,
                      R"({"kind": "action_plan", "title": "Handlingsplan 2018–2022",
                          "node_kinds": [{"key": "sub_goal", "label": "Delmål", "root": true},
                                         {"key": "group", "label": "Grupp",
                                          "parents": ["sub_goal"]}]})")["id"];
    Json node = {{"framework_id", plan_id_},
                 {"kind", "sub_goal"},
                 {"code", "4"},
                 {"title", "Jämlik hälsa"},
                 {"coordinating_actor_id", nullptr}};
    if (coordinator) node["coordinating_actor_id"] = *coordinator;
    return (*app_->Create(EntityKind::kNode, node, caller_))["id"];
  }

  std::unique_ptr<App> app_;
  Caller caller_ = Caller::Operator("strateg");
  Id plan_id_ = 0;
};

TEST_F(AppTest, NationalContentIsThereAndReadOnly) {
  const auto frameworks = app_->ListFrameworks({}, {}, caller_);
  ASSERT_TRUE(frameworks);
  ASSERT_EQ((*frameworks)["total"], 1);
  const auto national = (*frameworks)["items"][0];
  EXPECT_TRUE(national["read_only"].get<bool>());
  const auto document = app_->FrameworkTree(national["id"], caller_);
  ASSERT_TRUE(document);
  const auto tree = Json::parse(**document);
  ASSERT_EQ(tree["nodes"].size(), 8u);
  EXPECT_EQ(tree["nodes"][5]["title"], "Levnadsvanor");
  EXPECT_EQ((*app_->ListClassifications("agenda2030", {}))["total"], 17);
  EXPECT_EQ((*app_->ListClassifications("prevention_level", {}))["total"], 3);

  const auto write = app_->Update(EntityKind::kFramework, national["id"],
                                  Json{{"version", 1}, {"title", "x"}}, caller_);
  ASSERT_FALSE(write);
  EXPECT_EQ(write.error().code, ErrorCode::kReadOnly);
  const auto node = app_->Create(
      EntityKind::kNode,
      Json{{"framework_id", national["id"]}, {"kind", "target_area"}, {"title", "Nio"}}, caller_);
  ASSERT_FALSE(node);
  EXPECT_EQ(node.error().code, ErrorCode::kReadOnly);
  // Ensuring twice adds nothing.
  ASSERT_TRUE(app_->EnsureNationalContent());
  EXPECT_EQ((*app_->ListFrameworks({}, {}, caller_))["total"], 1);
}

TEST_F(AppTest, UpdateWithStaleVersionConflictsAndChangesNothing) {
  const auto actor = Create(EntityKind::kActor, R"({"kind": "municipality", "name": "Umeå"})");
  const Id id = actor["id"];
  const auto updated = app_->Update(
      EntityKind::kActor, id, Json::parse(R"({"version": 1, "name": "Umeå kommun"})"), caller_);
  ASSERT_TRUE(updated);
  EXPECT_EQ((*updated)["version"], 2);
  const auto stale = app_->Update(EntityKind::kActor, id,
                                  Json::parse(R"({"version": 1, "name": "Ume"})"), caller_);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kVersionConflict);
  EXPECT_EQ(stale.error().details["current"]["name"], "Umeå kommun");
  EXPECT_EQ((*app_->Get(EntityKind::kActor, id, caller_))["name"], "Umeå kommun");
  const auto no_version =
      app_->Update(EntityKind::kActor, id, Json::parse(R"({"name": "Ume"})"), caller_);
  ASSERT_FALSE(no_version);
  EXPECT_EQ(no_version.error().code, ErrorCode::kMissingField);
}

TEST_F(AppTest, MeasureInheritsTheSubGoalsCoordinator) {
  const Id region =
      Create(EntityKind::kActor, R"({"kind": "region", "name": "Region Norrbotten"})")["id"];
  const Id sub_goal = PlanWithSubGoal(region);
  const auto measure =
      app_->Create(EntityKind::kMeasure,
                   Json{{"node_id", sub_goal}, {"code", "36 A"}, {"text", "Utbilda"}}, caller_);
  ASSERT_TRUE(measure) << measure.error().message;
  EXPECT_EQ((*measure)["inherited_responsible"]["actor_id"], region);
  EXPECT_EQ((*measure)["framework_id"], plan_id_);
  const auto duplicate =
      app_->Create(EntityKind::kMeasure,
                   Json{{"node_id", sub_goal}, {"code", "36 A"}, {"text", "Igen"}}, caller_);
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kDuplicate);
}

TEST_F(AppTest, MeasureWithNobodyResponsibleIsRefused) {
  const Id sub_goal = PlanWithSubGoal(std::nullopt);
  const auto measure =
      app_->Create(EntityKind::kMeasure, Json{{"node_id", sub_goal}, {"text", "Utbilda"}}, caller_);
  ASSERT_FALSE(measure);
  EXPECT_EQ(measure.error().code, ErrorCode::kRuleViolation);
  EXPECT_EQ((*app_->ListMeasures({}, {}, caller_))["total"], 0);
}

TEST_F(AppTest, DeleteRestoreAndHistory) {
  const Id region =
      Create(EntityKind::kActor, R"({"kind": "region", "name": "Region Norrbotten"})")["id"];
  const Id sub_goal = PlanWithSubGoal(region);
  const Id measure = (*app_->Create(
      EntityKind::kMeasure, Json{{"node_id", sub_goal}, {"text", "Utbilda"}}, caller_))["id"];
  const auto in_use = app_->Delete(EntityKind::kActor, region, std::nullopt, caller_);
  ASSERT_FALSE(in_use);
  EXPECT_EQ(in_use.error().code, ErrorCode::kInUse);

  const auto deleted = app_->Delete(EntityKind::kMeasure, measure, 1, caller_);
  ASSERT_TRUE(deleted);
  EXPECT_TRUE((*deleted)["deleted"].get<bool>());
  EXPECT_EQ((*app_->ListMeasures({}, {}, caller_))["total"], 0);
  EXPECT_EQ((*app_->ListMeasures({.include_deleted = true}, {}, caller_))["total"], 1);
  const auto edit_deleted =
      app_->Update(EntityKind::kMeasure, measure, Json{{"version", 2}, {"text", "x"}}, caller_);
  ASSERT_FALSE(edit_deleted);
  EXPECT_EQ(edit_deleted.error().code, ErrorCode::kEntityDeleted);

  const auto restored = app_->Restore(EntityKind::kMeasure, measure, caller_);
  ASSERT_TRUE(restored);
  EXPECT_EQ((*restored)["version"], 3);
  EXPECT_FALSE((*restored)["deleted"].get<bool>());

  const auto history = app_->History({"measure", measure}, {}, caller_);
  ASSERT_TRUE(history);
  ASSERT_EQ((*history)["total"], 3);
  EXPECT_EQ((*history)["items"][0]["action"], "restore");
  EXPECT_EQ((*history)["items"][1]["action"], "delete");
  EXPECT_EQ((*history)["items"][2]["action"], "create");
  EXPECT_EQ((*history)["items"][2]["user"], "strateg");
  EXPECT_TRUE((*history)["items"][2]["before"].is_null());
  EXPECT_EQ((*history)["items"][1]["before"]["deleted"], false);
  EXPECT_EQ((*history)["items"][1]["after"]["deleted"], true);
}

TEST_F(AppTest, CachedTreeFollowsEveryChange) {
  const Id region =
      Create(EntityKind::kActor, R"({"kind": "region", "name": "Region Norrbotten"})")["id"];
  const Id sub_goal = PlanWithSubGoal(region);
  const auto first = app_->FrameworkTree(plan_id_, caller_);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, *app_->FrameworkTree(plan_id_, caller_)) << "unchanged data, same document";
  EXPECT_EQ(Json::parse(**first)["nodes"][0]["measures"].size(), 0u);
  ASSERT_TRUE(app_->Create(EntityKind::kMeasure, Json{{"node_id", sub_goal}, {"text", "Utbilda"}},
                           caller_));
  const auto second = app_->FrameworkTree(plan_id_, caller_);
  ASSERT_TRUE(second);
  EXPECT_EQ(Json::parse(**second)["nodes"][0]["measures"].size(), 1u);
  // A change elsewhere (an actor's name) must show in the tree's inherited data too.
  ASSERT_TRUE(
      app_->Update(EntityKind::kNode, sub_goal, Json{{"version", 1}, {"title", "Ny"}}, caller_));
  EXPECT_EQ(Json::parse(**app_->FrameworkTree(plan_id_, caller_))["nodes"][0]["title"], "Ny");
}

TEST_F(AppTest, NodeCannotMoveUnderItsOwnChild) {
  Create(EntityKind::kActor, R"({"kind": "region", "name": "Region Västmanland"})");
  const auto programme = Create(EntityKind::kFramework, R"({"kind": "programme", "title": "P",
      "node_kinds": [{"key": "p", "label": "Perspektiv", "root": true, "parents": ["p"]}]})");
  const Id top = Create(EntityKind::kNode,
                        (Json{{"framework_id", programme["id"]}, {"kind", "p"}, {"title", "1"}})
                            .dump()
                            .c_str())["id"];
  const Id child = (*app_->Create(
      EntityKind::kNode,
      Json{{"framework_id", programme["id"]}, {"kind", "p"}, {"title", "2"}, {"parent_id", top}},
      caller_))["id"];
  const auto cycle =
      app_->Update(EntityKind::kNode, top, Json{{"version", 1}, {"parent_id", child}}, caller_);
  ASSERT_FALSE(cycle);
  EXPECT_EQ(cycle.error().details["rule"], "cycle");
}

TEST_F(AppTest, NodesNestAtMostAsDeepAsTheTreeShows) {
  // Issue 15: the tree dropped nodes deeper than 64 levels silently; none is placed there.
  const auto programme = Create(EntityKind::kFramework, R"({"kind": "programme", "title": "P",
      "node_kinds": [{"key": "p", "label": "Perspektiv", "root": true, "parents": ["p"]}]})");
  std::optional<Id> parent;
  for (int level = 1; level <= kMaxNodeDepth; ++level) {
    Json node = {{"framework_id", programme["id"]}, {"kind", "p"}, {"title", "Nivå"}};
    if (parent) node["parent_id"] = *parent;
    auto created = app_->Create(EntityKind::kNode, node, caller_);
    ASSERT_TRUE(created) << "level " << level << ": " << created.error().message;
    parent = (*created)["id"].get<Id>();
  }
  const auto deeper = app_->Create(EntityKind::kNode,
                                   Json{{"framework_id", programme["id"]},
                                        {"kind", "p"},
                                        {"title", "Nivå 65"},
                                        {"parent_id", *parent}},
                                   caller_);
  ASSERT_FALSE(deeper);
  EXPECT_EQ(deeper.error().code, ErrorCode::kRuleViolation);
  EXPECT_EQ(deeper.error().details["rule"], "max_depth");
}

}  // namespace
}  // namespace halsonav
