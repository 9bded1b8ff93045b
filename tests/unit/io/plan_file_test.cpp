#include "io/plan_file.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace halsonav::plan {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The problems an error lists, as "pointer: message" lines.
std::vector<std::string> Problems(const Error& error) {
  std::vector<std::string> out;
  for (const auto& problem : error.details.at("problems")) {
    out.push_back(problem.at("pointer").get<std::string>() + ": " +
                  problem.at("message").get<std::string>());
  }
  return out;
}

// A small valid plan, as JSON, to break in each test.
nlohmann::json SmallPlan() {
  return nlohmann::json::parse(R"({
    "format": "halsonav-plan", "version": 1,
    "actors": [
      {"name": "Region Norrbotten", "kind": "region",
       "units": [{"name": "Utvecklingsavdelningen", "units": [{"name": "Folkhälsocentrum"}]}]},
      {"name": "Kommunerna i Norrbotten", "kind": "collective"}
    ],
    "framework": {"kind": "action_plan", "title": "Plan",
      "node_kinds": [{"key": "sub_goal", "label": "Delmål", "root": true, "parents": []},
                     {"key": "group", "label": "Grupp", "root": false, "parents": ["sub_goal"]}]},
    "nodes": [
      {"kind": "sub_goal", "code": "1", "title": "Delmål 1",
       "coordinating_actor": "Region Norrbotten", "contact_unit": "Utvecklingsavdelningen",
       "children": [
         {"kind": "group", "code": "1", "title": "Grupp 1",
          "measures": [{"code": "1 A", "text": "Gör något",
                        "responsible": [{"actor": "Region Norrbotten",
                                         "units": ["Utvecklingsavdelningen / Folkhälsocentrum"]}],
                        "partners": [{"actor": "Kommunerna i Norrbotten", "role": "prerequisite"}]}]}
       ]}
    ],
    "follow_up": {"items": [{"kind": "question", "text": "Fråga?",
                             "nodes": [{"kind": "group", "code": "1"}]}]}
  })");
}

TEST(PlanFile, ReadsAndWritesTheSmallPlanCanonically) {
  auto plan = ReadPlanFile(SmallPlan().dump());
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->nodes.size(), 1U);
  EXPECT_EQ(plan->nodes[0].children[0].measures[0].partners[0].role, PartRole::kPrerequisite);
  EXPECT_EQ(plan->nodes[0].text, "");
  const auto written = WritePlanFile(*plan);
  // Every key is written, absent optional values as null, and writing again changes nothing.
  EXPECT_NE(written.find("\"text\": null"), std::string::npos);
  EXPECT_NE(written.find("\"suggested_classifications\": []"), std::string::npos);
  EXPECT_EQ(written.back(), '\n');
  auto again = ReadPlanFile(written);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(WritePlanFile(*again), written);
}

TEST(PlanFile, DemoFilesAreCanonical) {
  for (const char* name : {"norrbotten-handlingsplan.json", "vastmanland-program.json",
                           "vasterbotten-avsiktsforklaring.json"}) {
    const auto text = ReadFile(std::string(HALSONAV_SOURCE_DIR) + "/data/demo/" + name);
    ASSERT_FALSE(text.empty()) << name;
    auto plan = ReadPlanFile(text);
    ASSERT_TRUE(plan) << name << ": " << plan.error().message;
    EXPECT_EQ(WritePlanFile(*plan), text) << name;
  }
}

TEST(PlanFile, SyntaxErrorsGiveLineAndColumn) {
  auto plan = ReadPlanFile("{\n  \"format\": \"halsonav-plan\",\n  \"version\": 1,,\n}");
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, ErrorCode::kMalformedJson);
  EXPECT_EQ(plan.error().details.at("line"), 3);
}

TEST(PlanFile, NodesDeeperThanTheTreeShowsAreRefused) {
  // Issue 15: the framework tree showed at most 64 levels and dropped deeper nodes silently;
  // a plan that deep is refused where it comes in, naming the first node too deep.
  auto json = SmallPlan();
  nlohmann::json node = {{"kind", "group"}, {"title", "Nivå"}};
  for (int level = 0; level < kMaxNodeDepth; ++level) {
    nlohmann::json parent = {
        {"kind", "group"}, {"title", "Nivå"}, {"children", nlohmann::json::array({node})}};
    node = std::move(parent);
  }
  json["nodes"][0]["children"] = nlohmann::json::array({node});  // the deepest is at level 66
  auto plan = ReadPlanFile(json.dump());
  ASSERT_FALSE(plan);
  std::string pointer = "/nodes/0";
  for (int level = 1; level < kMaxNodeDepth + 1; ++level) pointer += "/children/0";
  const auto problems = Problems(plan.error());
  const auto expected =
      pointer + ": nodes may nest at most 64 levels deep; this one is at level 65";
  EXPECT_NE(std::find(problems.begin(), problems.end(), expected), problems.end())
      << plan.error().message;
}

TEST(PlanFile, RefusesOtherFormatsAndVersions) {
  auto json = SmallPlan();
  json["format"] = "something-else";
  auto plan = ReadPlanFile(json.dump());
  ASSERT_FALSE(plan);
  EXPECT_EQ(Problems(plan.error()).at(0).substr(0, 9), "/format: ");
  json = SmallPlan();
  json["version"] = 2;
  plan = ReadPlanFile(json.dump());
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().message.find("/version: version 2 is not known"), std::string::npos);
}

TEST(PlanFile, ShapeErrorsNameThePointer) {
  auto json = SmallPlan();
  json["nodes"][0]["children"][0]["measures"][0]["expected_result_year"] = "2022";
  auto plan = ReadPlanFile(json.dump());
  ASSERT_FALSE(plan);
  EXPECT_EQ(Problems(plan.error()).at(0),
            "/nodes/0/children/0/measures/0/expected_result_year: "
            "/nodes/0/children/0/measures/0/expected_result_year must be integer or null");

  json = SmallPlan();
  json["nodes"][0]["colour"] = "green";
  plan = ReadPlanFile(json.dump());
  ASSERT_FALSE(plan);
  EXPECT_NE(Problems(plan.error()).at(0).find("/nodes/0/colour"), std::string::npos);

  json = SmallPlan();
  json["nodes"][0]["children"][0]["measures"][0]["partners"][0]["role"] = "friend";
  plan = ReadPlanFile(json.dump());
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().message.find("/nodes/0/children/0/measures/0/partners/0/role \"friend\""),
            std::string::npos);
}

TEST(PlanFile, CollectsEveryConsistencyProblem) {
  auto json = SmallPlan();
  auto& measure = json["nodes"][0]["children"][0]["measures"][0];
  measure["responsible"][0]["actor"] = "Okänd aktör";
  measure["partners"][0]["units"] = {"Ingen enhet"};
  json["nodes"][0]["children"][0]["measures"].push_back({{"code", "1 A"}, {"text", "Samma kod"}});
  json["nodes"][0]["children"].push_back(
      {{"kind", "sub_goal"}, {"code", "2"}, {"title", "Fel nivå"}});
  json["nodes"].push_back({{"kind", "arena"}, {"title", "Okänd typ"}});
  json["follow_up"]["items"][0]["nodes"][0]["code"] = "99";
  auto plan = ReadPlanFile(json.dump());
  ASSERT_FALSE(plan);
  const auto problems = Problems(plan.error());
  const std::vector<std::string> expected = {
      "/nodes/0/children/0/measures/1/code: measure code \"1 A\" is given twice (first at "
      "/nodes/0/children/0/measures/0)",
      "/nodes/0/children/0/measures/0/responsible/0/actor: actor \"Okänd aktör\" is not in the "
      "file's actors list",
      "/nodes/0/children/0/measures/0/partners/0/units/0: actor \"Kommunerna i Norrbotten\" has "
      "no unit \"Ingen enhet\" in the file's actors list",
      "/nodes/0/children/1/kind: a sub_goal may not stand under a sub_goal",
      "/nodes/1/kind: \"arena\" is not a node kind of the framework (it has: sub_goal, group)",
      "/follow_up/items/0/nodes/0: there is no group with code \"99\" in the file",
  };
  for (const auto& line : expected) {
    EXPECT_NE(std::find(problems.begin(), problems.end(), line), problems.end()) << line;
  }
  EXPECT_EQ(problems.size(), expected.size());
}

TEST(PlanFile, UnitPathsJoinNamesDownTheTree) {
  UnitSpec inner{.name = "B"};
  UnitSpec outer{.name = "A", .units = {inner}};
  EXPECT_EQ(UnitPaths({outer}), (std::vector<std::string>{"A", "A / B"}));
}

}  // namespace
}  // namespace halsonav::plan
