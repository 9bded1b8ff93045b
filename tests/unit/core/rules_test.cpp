#include "core/rules.hpp"

#include <gtest/gtest.h>

namespace halsonav {
namespace {

Framework NorrbottenLike() {
  Framework framework;
  framework.meta.id = 1;
  framework.title = "Handlingsplan 2018–2022";
  framework.node_kinds = {
      {"sub_goal", "Delmål", true, {}},
      {"arena", "Arena", false, {"sub_goal"}},
      {"group", "Grupp", false, {"sub_goal", "arena"}},
  };
  return framework;
}

Node MakeNode(Id id, std::string kind, std::optional<Id> parent = std::nullopt) {
  Node node;
  node.meta.id = id;
  node.framework_id = 1;
  node.kind = std::move(kind);
  node.title = "Delmål " + std::to_string(id);
  node.parent_id = parent;
  return node;
}

TEST(Rules, FrameworkKindsMustBeConsistent) {
  struct Case {
    const char* name;
    std::vector<NodeKind> kinds;
    std::optional<std::int64_t> from, to;
    const char* rule;  // nullptr: valid
  };
  const Case cases[] = {
      {"valid", NorrbottenLike().node_kinds, 2018, 2022, nullptr},
      {"no kinds", {}, std::nullopt, std::nullopt, "node_kinds_empty"},
      {"duplicate key",
       {{"a", "A", true, {}}, {"a", "B", false, {"a"}}},
       {},
       {},
       "node_kind_unique"},
      {"unknown parent",
       {{"a", "A", true, {}}, {"b", "B", false, {"x"}}},
       {},
       {},
       "node_kind_parent"},
      {"no root", {{"a", "A", false, {"a"}}}, {}, {}, "node_kind_root"},
      {"unplaceable",
       {{"a", "A", true, {}}, {"b", "B", false, {}}},
       {},
       {},
       "node_kind_unplaceable"},
      {"period reversed", NorrbottenLike().node_kinds, 2022, 2018, "period_order"},
      {"year 1700", NorrbottenLike().node_kinds, 1700, 2022, "year_range"},
  };
  for (const auto& c : cases) {
    Framework framework = NorrbottenLike();
    framework.node_kinds = c.kinds;
    framework.valid_from = c.from;
    framework.valid_to = c.to;
    const auto result = ValidateFramework(framework);
    if (c.rule == nullptr) {
      EXPECT_TRUE(result.has_value()) << c.name << ": " << result.error().message;
    } else {
      ASSERT_FALSE(result.has_value()) << c.name;
      EXPECT_EQ(result.error().details["rule"], c.rule) << c.name;
    }
  }
}

TEST(Rules, NodeKindMustStandWhereTheFrameworkAllows) {
  const auto framework = NorrbottenLike();
  const auto sub_goal = MakeNode(10, "sub_goal");
  const auto arena = MakeNode(11, "arena", 10);
  EXPECT_TRUE(ValidateNodePlacement(framework, sub_goal, nullptr, {}));
  EXPECT_TRUE(ValidateNodePlacement(framework, MakeNode(12, "group", 10), &sub_goal, {}));
  EXPECT_TRUE(ValidateNodePlacement(framework, MakeNode(13, "group", 11), &arena, {}));

  const auto arena_at_top = ValidateNodePlacement(framework, MakeNode(14, "arena"), nullptr, {});
  ASSERT_FALSE(arena_at_top);
  EXPECT_EQ(arena_at_top.error().details["rule"], "kind_placement");

  const auto group = MakeNode(15, "group", 10);
  const auto arena_under_group =
      ValidateNodePlacement(framework, MakeNode(16, "arena", 15), &group, {});
  ASSERT_FALSE(arena_under_group);
  EXPECT_EQ(arena_under_group.error().details["field"], "/parent_id");

  const auto unknown = ValidateNodePlacement(framework, MakeNode(17, "chapter"), nullptr, {});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidValue);
}

TEST(Rules, CrossCuttingNodeIsLinkedInsteadOfParented) {
  Framework programme;
  programme.meta.id = 2;
  programme.title = "Program för hälsoinriktning";
  programme.node_kinds = {{"perspective", "Perspektiv", true, {}},
                          {"focus_area", "Fokusområde", false, {"perspective"}}};
  std::vector<Node> perspectives = {MakeNode(2, "perspective"), MakeNode(3, "perspective"),
                                    MakeNode(4, "perspective")};
  Node cross = MakeNode(20, "focus_area");
  cross.cross_cutting = true;
  cross.linked_node_ids = {2, 3, 4};
  EXPECT_TRUE(ValidateNodePlacement(programme, cross, nullptr, perspectives));

  const auto no_links = ValidateNodePlacement(programme, cross, nullptr, {});
  ASSERT_FALSE(no_links);
  EXPECT_EQ(no_links.error().details["rule"], "cross_cutting_links");

  const auto with_parent = ValidateNodePlacement(programme, cross, &perspectives[0], perspectives);
  ASSERT_FALSE(with_parent);
  EXPECT_EQ(with_parent.error().details["rule"], "cross_cutting_parent");

  Node plain = MakeNode(21, "focus_area", 2);
  plain.linked_node_ids = {3};
  const auto links_without_flag = ValidateNodePlacement(programme, plain, &perspectives[0], {});
  ASSERT_FALSE(links_without_flag);
  EXPECT_EQ(links_without_flag.error().details["rule"], "links_need_cross_cutting");
}

TEST(Rules, NoCycles) {
  // 1 <- 2 <- 3: moving 1 under 3 would close a loop.
  const std::map<Id, std::optional<Id>> parents = {{1, std::nullopt}, {2, 1}, {3, 2}};
  const auto parent_of = [&](Id id) { return parents.at(id); };
  EXPECT_FALSE(CheckNoCycle(1, 3, parent_of));
  EXPECT_FALSE(CheckNoCycle(1, 1, parent_of));
  EXPECT_TRUE(CheckNoCycle(3, 1, parent_of));
  EXPECT_TRUE(CheckNoCycle(2, std::nullopt, parent_of));
}

TEST(Rules, MeasureInheritsTheNearestCoordinatingActor) {
  Node group = MakeNode(30, "group", 31);
  Node sub_goal = MakeNode(31, "sub_goal");
  sub_goal.coordinating_actor_id = 7;
  sub_goal.contact_unit_id = 70;
  Measure measure;
  measure.text = "Erbjuda hälsosamtal";
  const auto inherited = InheritResponsible(measure, {group, sub_goal});
  ASSERT_TRUE(inherited);
  EXPECT_EQ(inherited->actor_id, 7);
  EXPECT_EQ(inherited->unit_id, 70);
  EXPECT_EQ(inherited->node_id, 31);

  measure.responsible = {{8, {}}};
  EXPECT_FALSE(InheritResponsible(measure, {group, sub_goal}));

  Measure orphan;
  orphan.text = "Något";
  orphan.inherited_responsible = InheritResponsible(orphan, {group});
  const auto check = CheckHasResponsible(orphan);
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().details["rule"], "responsible_required");
}

TEST(Rules, MeasureFields) {
  Measure measure;
  measure.text = "Stödja föreningslivet";
  measure.responsible = {{1, {}}};
  EXPECT_TRUE(ValidateMeasure(measure));
  measure.expected_result_year = 1700;
  EXPECT_EQ(ValidateMeasure(measure).error().details["rule"], "year_range");
  measure.expected_result_year = 2022;
  measure.partners = {{1, PartRole::kDesirable, {}}};
  EXPECT_EQ(ValidateMeasure(measure).error().details["rule"], "actor_once");
  measure.partners.clear();
  measure.text = "  ";
  EXPECT_EQ(ValidateMeasure(measure).error().code, ErrorCode::kInvalidValue);
}

TEST(Rules, Dates) {
  EXPECT_TRUE(IsIsoDate("2020-06-16"));
  EXPECT_TRUE(IsIsoDate("2024-02-29"));
  EXPECT_FALSE(IsIsoDate("2023-02-29"));
  EXPECT_FALSE(IsIsoDate("2020-13-01"));
  EXPECT_FALSE(IsIsoDate("16/6/2020"));
  EXPECT_FALSE(IsIsoDate("2020-6-16"));
}

TEST(Rules, ActorAreaCodeIsDigits) {
  Actor actor;
  actor.name = "Umeå kommun";
  actor.area_code = "2480";
  EXPECT_TRUE(ValidateActor(actor));
  actor.area_code = "24 80";
  EXPECT_FALSE(ValidateActor(actor));
  actor.area_code.reset();
  actor.name = "";
  EXPECT_FALSE(ValidateActor(actor));
}

}  // namespace
}  // namespace halsonav
