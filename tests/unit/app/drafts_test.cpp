// Drafts are for signed-in readers (issue 15, item 1; docs/SECURITY.md, "Reading"): every read
// path of `app`, as a visitor who is not signed in, as a reader and as the operator.

#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "app/app.hpp"
#include "test_store.hpp"

namespace halsonav {
namespace {

// What each framework holds: the framework, a node, a measure and an adoption.
struct Plan {
  Id framework = 0;
  Id node = 0;
  Id measure = 0;
  Id adoption = 0;
};

class DraftsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app_ = std::make_unique<App>(testing::OpenTestStore(), [] { return "2026-12-07T06:00:00Z"; });
    ASSERT_TRUE(app_->EnsureNationalContent());
    reader_.user = "läsare";
    reader_.user_id = 7;
    reader_.roles.Add(Role::kReader);
    region_ = Create(EntityKind::kActor, {{"kind", "region"}, {"name", "Region Norrbotten"}});
    draft_ = MakePlan("draft", "utkastord");
    adopted_ = MakePlan("adopted", "antagenord");
    archived_ = MakePlan("archived", "arkivord");
  }

  Id Create(EntityKind kind, const Json& body) {
    auto created = app_->Create(kind, body, operator_);
    EXPECT_TRUE(created) << body.dump() << ": " << created.error().message;
    return created ? (*created)["id"].get<Id>() : 0;
  }

  // A framework in `status` with one node, one measure whose text holds `word`, one adoption.
  Plan MakePlan(const std::string& status, const std::string& word) {
    Plan plan;
    plan.framework =
        Create(EntityKind::kFramework,
               {{"kind", "action_plan"},
                {"title", "Handlingsplan (" + status + ")"},
                {"status", status},
                {"owner_actor_id", region_},
                {"node_kinds", {{{"key", "group"}, {"label", "Grupp"}, {"root", true}}}}});
    plan.node = Create(
        EntityKind::kNode,
        {{"framework_id", plan.framework}, {"kind", "group"}, {"code", "7"}, {"title", "Alkohol"}});
    plan.measure = Create(EntityKind::kMeasure, {{"node_id", plan.node},
                                                 {"code", "7 A"},
                                                 {"text", "Stödja kommunerna: " + word},
                                                 {"responsible", {{{"actor_id", region_}}}}});
    plan.adoption =
        Create(EntityKind::kAdoption, {{"framework_id", plan.framework}, {"actor_id", region_}});
    return plan;
  }

  // The callers, with whether each reads drafts.
  std::vector<std::pair<const Caller*, bool>> Callers() const {
    return {{&anonymous_, false}, {&reader_, true}, {&operator_, true}};
  }

  static std::set<Id> IdsOf(const Json& list) {
    std::set<Id> ids;
    for (const auto& item : list["items"]) ids.insert(item["id"].get<Id>());
    return ids;
  }

  std::unique_ptr<App> app_;
  Caller operator_ = Caller::Operator("strateg");
  Caller anonymous_ = Caller::Anonymous("192.0.2.1");
  Caller reader_;
  Id region_ = 0;
  Plan draft_;
  Plan adopted_;
  Plan archived_;
};

TEST_F(DraftsTest, GetByIdAnswersForADraftAsForAMissingId) {
  const std::pair<EntityKind, Id Plan::*> kinds[] = {
      {EntityKind::kFramework, &Plan::framework},
      {EntityKind::kNode, &Plan::node},
      {EntityKind::kMeasure, &Plan::measure},
      {EntityKind::kAdoption, &Plan::adoption},
  };
  for (const auto& [kind, member] : kinds) {
    const auto name = std::string(EntityName(kind));
    for (const auto& [caller, reads_drafts] : Callers()) {
      const auto draft = app_->Get(kind, draft_.*member, *caller);
      EXPECT_EQ(bool(draft), reads_drafts) << name << " as " << caller->user;
      if (!draft) {
        // Told apart from a missing id by nothing but the id.
        const auto missing = app_->Get(kind, 999999, *caller);
        ASSERT_FALSE(missing);
        EXPECT_EQ(draft.error().code, ErrorCode::kNotFound);
        EXPECT_EQ(draft.error().message,
                  fmt::format("there is no {} with id {}", name, draft_.*member));
        EXPECT_EQ(draft.error().details, (Json{{"entity", name}, {"id", draft_.*member}}));
        EXPECT_EQ(missing.error().message, "there is no " + name + " with id 999999");
      }
      EXPECT_TRUE(app_->Get(kind, adopted_.*member, *caller)) << name << " as " << caller->user;
      EXPECT_TRUE(app_->Get(kind, archived_.*member, *caller)) << name << " as " << caller->user;
    }
  }
  // Organisations are public whatever they take part in.
  EXPECT_TRUE(app_->Get(EntityKind::kActor, region_, anonymous_));
}

TEST_F(DraftsTest, ListsAndTheirTotalsLeaveDraftsOutForVisitors) {
  for (const auto& [caller, reads_drafts] : Callers()) {
    const auto who = caller->user;
    auto frameworks = app_->ListFrameworks({}, {}, *caller);
    ASSERT_TRUE(frameworks);
    // The national framework (adopted), the adopted and the archived plan; the draft for readers.
    EXPECT_EQ((*frameworks)["total"], reads_drafts ? 4 : 3) << who;
    EXPECT_EQ(IdsOf(*frameworks).count(draft_.framework), reads_drafts ? 1u : 0u) << who;
    EXPECT_EQ(IdsOf(*frameworks).count(archived_.framework), 1u) << who;
    // Asking for drafts by name changes nothing for a visitor.
    FrameworkFilter drafts;
    drafts.status = FrameworkStatus::kDraft;
    EXPECT_EQ((*app_->ListFrameworks(drafts, {}, *caller))["total"], reads_drafts ? 1 : 0) << who;
    // Nor does a filter that says the audience itself: the app sets it from the caller.
    FrameworkFilter claimed;
    claimed.audience = Audience::kSignedIn;
    EXPECT_EQ((*app_->ListFrameworks(claimed, {}, *caller))["total"], reads_drafts ? 4 : 3) << who;

    NodeFilter nodes_of_draft;
    nodes_of_draft.framework_id = draft_.framework;
    EXPECT_EQ((*app_->ListNodes(nodes_of_draft, {}, *caller))["total"], reads_drafts ? 1 : 0);
    const auto all_nodes = app_->ListNodes({}, {.limit = 1000}, *caller);
    EXPECT_EQ(IdsOf(*all_nodes).count(draft_.node), reads_drafts ? 1u : 0u) << who;
    EXPECT_EQ(IdsOf(*all_nodes).count(adopted_.node), 1u) << who;

    const auto measures = app_->ListMeasures({}, {}, *caller);
    EXPECT_EQ((*measures)["total"], reads_drafts ? 3 : 2) << who;
    MeasureFilter by_actor;
    by_actor.actor_id = region_;
    EXPECT_EQ((*app_->ListMeasures(by_actor, {}, *caller))["total"], reads_drafts ? 3 : 2) << who;
    MeasureFilter in_draft;
    in_draft.framework_id = draft_.framework;
    EXPECT_EQ((*app_->ListMeasures(in_draft, {}, *caller))["total"], reads_drafts ? 1 : 0) << who;

    AdoptionFilter adoptions_of_region;
    adoptions_of_region.actor_id = region_;
    const auto adoptions = app_->ListAdoptions(adoptions_of_region, {}, *caller);
    EXPECT_EQ((*adoptions)["total"], reads_drafts ? 3 : 2) << who;
    EXPECT_EQ(IdsOf(*adoptions).count(draft_.adoption), reads_drafts ? 1u : 0u) << who;
  }
}

TEST_F(DraftsTest, FullTextSearchFindsNoDraftForVisitors) {
  for (const auto& [caller, reads_drafts] : Callers()) {
    MeasureFilter search;
    search.text = "utkastord";
    EXPECT_EQ((*app_->ListMeasures(search, {}, *caller))["total"], reads_drafts ? 1 : 0)
        << caller->user;
    search.text = "antagenord";
    EXPECT_EQ((*app_->ListMeasures(search, {}, *caller))["total"], 1) << caller->user;
    search.text = "kommunerna";
    EXPECT_EQ((*app_->ListMeasures(search, {}, *caller))["total"], reads_drafts ? 3 : 2)
        << caller->user;
  }
}

TEST_F(DraftsTest, DeletedDraftsStayHiddenWithIncludeDeleted) {
  ASSERT_TRUE(app_->Delete(EntityKind::kAdoption, draft_.adoption, std::nullopt, operator_));
  for (const auto& [caller, reads_drafts] : Callers()) {
    AdoptionFilter all;
    all.include_deleted = true;
    const auto adoptions = app_->ListAdoptions(all, {}, *caller);
    EXPECT_EQ(IdsOf(*adoptions).count(draft_.adoption), reads_drafts ? 1u : 0u) << caller->user;
  }
}

TEST_F(DraftsTest, HistoryHasNoLineOfADraftForVisitors) {
  const std::pair<const char*, Id Plan::*> kinds[] = {
      {"framework", &Plan::framework},
      {"node", &Plan::node},
      {"measure", &Plan::measure},
      {"adoption", &Plan::adoption},
  };
  for (const auto& [caller, reads_drafts] : Callers()) {
    for (const auto& [entity, member] : kinds) {
      const auto draft = app_->History({entity, draft_.*member}, {}, *caller);
      ASSERT_TRUE(draft);
      EXPECT_EQ((*draft)["total"], reads_drafts ? 1 : 0) << entity << " as " << caller->user;
      EXPECT_EQ((*app_->History({entity, adopted_.*member}, {}, *caller))["total"], 1);
      EXPECT_EQ((*app_->History({entity, archived_.*member}, {}, *caller))["total"], 1);
    }
    // The whole history, as the start page reads it: no line of the draft's objects.
    const auto all = app_->History({}, {.limit = 1000}, *caller);
    std::set<std::pair<std::string, Id>> seen;
    for (const auto& line : (*all)["items"]) {
      seen.insert({line["entity"].get<std::string>(), line["entity_id"].get<Id>()});
    }
    EXPECT_EQ(seen.count({"framework", draft_.framework}), reads_drafts ? 1u : 0u);
    EXPECT_EQ(seen.count({"measure", draft_.measure}), reads_drafts ? 1u : 0u);
    EXPECT_EQ(seen.count({"measure", adopted_.measure}), 1u);
    EXPECT_EQ(seen.count({"actor", region_}), 1u);
    EXPECT_EQ((*all)["total"].get<std::size_t>(), (*all)["items"].size());
  }
}

TEST_F(DraftsTest, TreeExportsAndContentOfADraftAreForSignedInReaders) {
  for (const auto& [caller, reads_drafts] : Callers()) {
    const auto who = caller->user;
    const auto tree = app_->FrameworkTree(draft_.framework, *caller);
    EXPECT_EQ(bool(tree), reads_drafts) << who;
    if (!tree) {
      EXPECT_EQ(tree.error().code, ErrorCode::kNotFound);
      EXPECT_EQ(tree.error().message,
                fmt::format("there is no framework with id {}", draft_.framework));
    }
    const auto content = app_->GetFrameworkContent(draft_.framework, *caller);
    EXPECT_EQ(bool(content), reads_drafts) << who;
    if (!content) {
      EXPECT_EQ(content.error().code, ErrorCode::kNotFound);
    }
    const auto plan = app_->ExportPlan(draft_.framework, *caller);
    EXPECT_EQ(bool(plan), reads_drafts) << who;
    if (!plan) {
      EXPECT_EQ(plan.error().code, ErrorCode::kNotFound);
    }
    const auto xlsx = app_->ExportPlanXlsx(draft_.framework, *caller);
    EXPECT_EQ(bool(xlsx), reads_drafts) << who;
    if (!xlsx) {
      EXPECT_EQ(xlsx.error().code, ErrorCode::kNotFound);
    }
    for (const Id framework : {adopted_.framework, archived_.framework}) {
      EXPECT_TRUE(app_->FrameworkTree(framework, *caller)) << who;
      EXPECT_TRUE(app_->GetFrameworkContent(framework, *caller)) << who;
      const auto exported = app_->ExportPlan(framework, *caller);
      EXPECT_TRUE(exported) << who << ": " << exported.error().message;
    }
  }
}

TEST_F(DraftsTest, TheTreeCacheServesNoAudienceAnothersDocument) {
  // A reader's read fills the cache at this change; a visitor's read at the same change must
  // not be served from it.
  ASSERT_TRUE(app_->FrameworkTree(draft_.framework, reader_));
  ASSERT_TRUE(app_->FrameworkTree(draft_.framework, reader_));
  EXPECT_FALSE(app_->FrameworkTree(draft_.framework, anonymous_));
  // Adopted: now public; the visitor's document is the reader's.
  auto framework = app_->Get(EntityKind::kFramework, draft_.framework, operator_);
  ASSERT_TRUE(app_->Update(EntityKind::kFramework, draft_.framework,
                           {{"version", (*framework)["version"]}, {"status", "adopted"}},
                           operator_));
  const auto visitor = app_->FrameworkTree(draft_.framework, anonymous_);
  ASSERT_TRUE(visitor);
  EXPECT_EQ(**visitor, **app_->FrameworkTree(draft_.framework, reader_));
  EXPECT_EQ(Json::parse(**visitor)["nodes"][0]["measures"].size(), 1u);
  // Back to draft: the visitor's cached document must not outlive the change.
  framework = app_->Get(EntityKind::kFramework, draft_.framework, operator_);
  ASSERT_TRUE(app_->Update(EntityKind::kFramework, draft_.framework,
                           {{"version", (*framework)["version"]}, {"status", "draft"}}, operator_));
  const auto hidden = app_->FrameworkTree(draft_.framework, anonymous_);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(app_->FrameworkTree(draft_.framework, reader_));
}

TEST_F(DraftsTest, AVisitorsChangeAnswersTheSameForADraftAndForNothing) {
  for (const Id id : {draft_.measure, adopted_.measure, Id{999999}}) {
    const auto update =
        app_->Update(EntityKind::kMeasure, id, {{"version", 1}, {"text", "x"}}, anonymous_);
    ASSERT_FALSE(update);
    EXPECT_EQ(update.error().code, ErrorCode::kUnauthenticated) << id;
    const auto removed = app_->Delete(EntityKind::kMeasure, id, std::nullopt, anonymous_);
    ASSERT_FALSE(removed);
    EXPECT_EQ(removed.error().code, ErrorCode::kUnauthenticated) << id;
    const auto restored = app_->Restore(EntityKind::kMeasure, id, anonymous_);
    ASSERT_FALSE(restored);
    EXPECT_EQ(restored.error().code, ErrorCode::kUnauthenticated) << id;
  }
}

}  // namespace
}  // namespace halsonav
