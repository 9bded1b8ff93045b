#include "core/json_codec.hpp"

#include <gtest/gtest.h>

namespace halsonav {
namespace {

TEST(JsonCodec, MalformedJsonNamesLineAndColumn) {
  const auto parsed = ParseJson("{\n  \"name\": ,\n}");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::kMalformedJson);
  EXPECT_EQ(parsed.error().details["line"], 2);
  EXPECT_EQ(parsed.error().details["column"], 11);
}

TEST(JsonCodec, ColumnsCountCharactersNotBytes) {
  const auto parsed = ParseJson("{\"namn\": \"Umeå\" x}");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().details["line"], 1);
  EXPECT_EQ(parsed.error().details["column"], 17);
}

TEST(JsonCodec, ANumberBeyondADoubleIsMalformedNotAnException) {
  // Found by fuzz_geojson: nlohmann reports 1E400 as out_of_range, not as a parse error.
  const auto parsed = ParseJson("{\n  \"value\": 58.873977E70557744}");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::kMalformedJson);
  EXPECT_EQ(parsed.error().message,
            "the body is not valid JSON: the number 58.873977E70557744 is out of range at line 2, "
            "column 12");
  EXPECT_EQ(parsed.error().details["line"], 2);
  EXPECT_EQ(parsed.error().details["column"], 12);
}

TEST(JsonCodec, NestingIsLimitedWithAClearError) {
  // Issue 15: JSON had no depth limit; code that walks a document recursively (the plan
  // reader's children) could exhaust the stack.
  const auto nested = [](std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
  };
  EXPECT_TRUE(ParseJson(nested(kMaxJsonDepth)));
  const auto deeper = ParseJson("\n" + nested(kMaxJsonDepth + 1));
  ASSERT_FALSE(deeper);
  EXPECT_EQ(deeper.error().code, ErrorCode::kMalformedJson);
  EXPECT_EQ(deeper.error().details["line"], 2);
  EXPECT_EQ(deeper.error().details["column"], kMaxJsonDepth + 1);
  EXPECT_EQ(deeper.error().details["limit"], kMaxJsonDepth);
  EXPECT_NE(deeper.error().message.find("nesting deeper than 200 levels"), std::string::npos);
  // A million levels: refused before anything is built.
  EXPECT_FALSE(ParseJson(nested(1'000'000)));
}

TEST(JsonCodec, BracketsInStringsDoNotCountAsNesting) {
  const std::string brackets(kMaxJsonDepth + 10, '[');
  const auto parsed = ParseJson(R"({"text": ")" + brackets + R"(\"[", "more": "{{"})");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ((*parsed)["text"].get<std::string>(), brackets + "\"[");
  EXPECT_TRUE(CheckJsonDepth("[[[]]]", 3));
  EXPECT_FALSE(CheckJsonDepth("[[[{}]]]", 3));
}

TEST(JsonCodec, DecodeErrorsNameTheField) {
  struct Case {
    const char* body;
    ErrorCode code;
    const char* field;
  };
  const Case cases[] = {
      {R"({"kind": "municipality"})", ErrorCode::kMissingField, "/name"},
      {R"({"kind": "municipality", "name": 5})", ErrorCode::kWrongType, "/name"},
      {R"({"kind": "kommun", "name": "Umeå kommun"})", ErrorCode::kInvalidValue, "/kind"},
      {R"({"kind": "municipality", "name": "Umeå", "colour": "red"})", ErrorCode::kUnknownField,
       "/colour"},
      {R"({"kind": "municipality", "name": "Umeå", "area_code": 2480})", ErrorCode::kWrongType,
       "/area_code"},
      {R"([1, 2])", ErrorCode::kWrongType, ""},
  };
  for (const auto& c : cases) {
    Actor actor;
    const auto result = Decode(Json::parse(c.body), DecodeMode::kCreate, actor);
    ASSERT_FALSE(result) << c.body;
    EXPECT_EQ(result.error().code, c.code) << c.body;
    EXPECT_EQ(result.error().details["field"], c.field) << c.body;
  }
}

TEST(JsonCodec, WrongTypeReportsTheExpectedType) {
  Measure measure;
  const auto result =
      Decode(Json::parse(R"({"node_id": 1, "text": "x", "responsible": [{"actor_id": "7"}]})"),
             DecodeMode::kCreate, measure);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().details["field"], "/responsible/0/actor_id");
  EXPECT_EQ(result.error().details["expected"], "integer");
}

TEST(JsonCodec, PatchChangesOnlyWhatIsSentAndNullClears) {
  Actor actor;
  actor.kind = ActorKind::kMunicipality;
  actor.name = "Umeå kommun";
  actor.area_code = "2480";
  actor.short_name = "Umeå";
  ASSERT_TRUE(Decode(Json::parse(R"({"version": 3, "short_name": null, "id": 9})"),
                     DecodeMode::kPatch, actor));
  EXPECT_EQ(actor.name, "Umeå kommun");
  EXPECT_EQ(actor.area_code, "2480");
  EXPECT_FALSE(actor.short_name);
}

TEST(JsonCodec, FixedFieldsCannotChange) {
  Unit unit;
  unit.actor_id = 4;
  unit.name = "Folkhälsocentrum";
  EXPECT_TRUE(Decode(Json::parse(R"({"actor_id": 4})"), DecodeMode::kPatch, unit));
  const auto moved = Decode(Json::parse(R"({"actor_id": 5})"), DecodeMode::kPatch, unit);
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, ErrorCode::kImmutableField);
}

TEST(JsonCodec, MeasureRoundTrips) {
  Measure measure;
  measure.meta = {12, 2, false, "2026-11-23T10:00:00Z", "2026-11-23T11:00:00Z"};
  measure.framework_id = 3;
  measure.node_id = 5;
  measure.code = "10 B";
  measure.text = "Utveckla samverkan kring fysisk aktivitet på recept";
  measure.expected_result_year = 2022;
  measure.status = MeasureStatus::kUnderWay;
  measure.responsible = {{7, {70, 71}}};
  measure.partners = {{8, PartRole::kPrerequisite, {}}, {9, PartRole::kDesirable, {90}}};
  measure.tags = {"Färdplan 2035"};
  measure.classifications = {"target_area:6"};
  const Json json = ToJson(measure);
  EXPECT_EQ(json["status"], "under_way");
  EXPECT_EQ(json["partners"][0]["role"], "prerequisite");
  EXPECT_TRUE(json["inherited_responsible"].is_null());
  Measure decoded;
  ASSERT_TRUE(Decode(json, DecodeMode::kCreate, decoded));
  // Meta and the derived framework are the server's, not the client's: Decode ignores them.
  EXPECT_EQ(decoded.meta.id, 0);
  decoded.meta = measure.meta;
  decoded.framework_id = measure.framework_id;
  EXPECT_EQ(ToJson(decoded), json);
}

TEST(JsonCodec, DirectWriterMatchesTheDom) {
  struct Case {
    const char* name;
    Measure measure;
  };
  Measure rich;
  rich.meta = {12, 2, true, "2026-11-23T10:00:00Z", "2026-11-23T11:00:00Z"};
  rich.framework_id = 3;
  rich.node_id = 5;
  rich.code = "10 B";
  rich.target_group = "Barn \"0–6 år\" i\tlänet\\\n";
  rich.text = std::string("kontroll\x01tecken, åäö ÅÄÖ é ✓ \b\f\r");
  rich.expected_result_year = 2022;
  rich.status = MeasureStatus::kNewAnchored;
  rich.responsible = {{7, {70, 71}}, {8, {}}};
  rich.partners = {{9, PartRole::kDesirable, {90}}};
  rich.tags = {"Färdplan 2035", ""};
  rich.classifications = {"target_area:6", "prevention_level:universal"};
  Measure inherited;
  inherited.text = "Ärvd";
  inherited.inherited_responsible = InheritedResponsible{4, std::nullopt, 9};
  Measure inherited_unit = inherited;
  inherited_unit.inherited_responsible->unit_id = 40;
  const Case cases[] = {{"empty", Measure{}},
                        {"rich", rich},
                        {"inherited", inherited},
                        {"with unit", inherited_unit}};
  for (const auto& c : cases) {
    std::string direct;
    AppendJson(direct, c.measure);
    EXPECT_EQ(direct, ToJson(c.measure).dump()) << c.name;
  }
}

TEST(JsonCodec, HugeIntegerIsRefused) {
  Measure measure;
  const auto result = Decode(Json::parse(R"({"node_id": 18446744073709551615, "text": "x"})"),
                             DecodeMode::kCreate, measure);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidValue);
}

}  // namespace
}  // namespace halsonav
