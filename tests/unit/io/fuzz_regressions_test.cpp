// Inputs that libFuzzer found (fuzz/, docs/FUZZING.md) or that guard the readers' fast paths:
// each must be read without a crash, sanitizer report or throw, with the result noted here.

#include <gtest/gtest.h>

#include <string>

#include "io/geojson.hpp"
#include "io/jsonstat.hpp"
#include "io/kolada.hpp"
#include "io/stats_csv.hpp"

namespace halsonav::statsio {
namespace {

// A dataset with a parts dimension (mapping) in the middle: cells of one observation are not
// adjacent in `value`.
std::string PartsDataset(std::string_view value, std::string_view status) {
  std::string text = R"({"version":"2.0","class":"dataset","id":["Region","ContentsCode","Tid"],)"
                     R"("size":[2,2,2],"role":{"geo":["Region"],"time":["Tid"]},"dimension":{)"
                     R"("Region":{"category":{"index":{"0180":0,"1480":1}}},)"
                     R"("ContentsCode":{"category":{"index":{"V":0,"L":1}}},)"
                     R"("Tid":{"category":{"index":{"2020":0,"2021":1}}}},"value":)";
  text += value;
  if (!status.empty()) {
    text += R"(,"status":)";
    text += status;
  }
  text += "}";
  return text;
}

JsonStatMapping PartsMapping() {
  JsonStatMapping mapping;
  mapping.dimensions["ContentsCode"].role = DimensionRole::kParts;
  mapping.dimensions["ContentsCode"].categories = {{"V", "value"}, {"L", "ci_low"}};
  return mapping;
}

TEST(FuzzRegressions, JsonStatPartsFromValueArrayAndStatusObject) {
  const auto mapping = PartsMapping();
  JsonStatOptions options;
  options.mapping = &mapping;
  auto batch = ReadJsonStat(PartsDataset("[1,2,0.5,1.5,3,null,2.5,3.5]", R"({"5":".."})"),
                            "parts.json", options);
  ASSERT_TRUE(batch) << batch.error().message << batch.error().details.dump();
  ASSERT_EQ(batch->observations.size(), 4u);
  EXPECT_EQ(batch->observations[0].value, 1);
  EXPECT_EQ(batch->observations[0].ci_low, 0.5);
  EXPECT_EQ(batch->observations[1].value, 2);
  EXPECT_EQ(batch->observations[1].ci_low, 1.5);
  EXPECT_EQ(batch->observations[2].value, 3);
  EXPECT_EQ(batch->observations[3].ci_low, 3.5);
  EXPECT_NE(batch->observations[3].status & kObservationMissing, 0);  // value null
  EXPECT_EQ(batch->Where(batch->observations[2]), "parts.json#/value/4");
}

TEST(FuzzRegressions, JsonStatDuplicateIndexKeysAreProblems) {
  const auto mapping = PartsMapping();
  JsonStatOptions options;
  options.mapping = &mapping;
  for (const auto& [value, status] : {std::pair<std::string, std::string>{R"({"1":1,"1":2})", ""},
                                      {"[1,2,3,4,5,6,7,8]", R"({"3":"..","3":".."})"},
                                      {R"({"01":1,"01":2})", ""},
                                      {R"({"9":1,"9":2})", ""}}) {
    auto batch = ReadJsonStat(PartsDataset(value, status), "dup.json", options);
    ASSERT_FALSE(batch) << value << " " << status;
    EXPECT_NE(batch.error().details.dump().find("occurs twice"), std::string::npos)
        << batch.error().details.dump();
  }
}

TEST(FuzzRegressions, JsonStatBadCellInValueArrayWithParts) {
  const auto mapping = PartsMapping();
  JsonStatOptions options;
  options.mapping = &mapping;
  for (const char* value : {R"(["x",2,0.5,1.5,3,4,2.5,3.5])", "[1,2,0.5,1.5]",
                            "[1,2,0.5,1.5,3,4,2.5,3.5,9,9]", R"([1,2,0.5,1.5,3,4,2.5,{"a":1}])"}) {
    auto batch = ReadJsonStat(PartsDataset(value, R"({"0":"..","7":".."})"), "bad.json", options);
    EXPECT_FALSE(batch) << value;
  }
}

}  // namespace
}  // namespace halsonav::statsio

namespace halsonav::geo {
namespace {

// fuzz_geojson: a number beyond a double made simdjson fail, and the reparse that looks for the
// line and column (core ParseJson) threw nlohmann's out_of_range instead of reporting it.
TEST(FuzzRegressions, GeoJsonNumberBeyondADoubleIsAProblem) {
  auto read = ReadGeoJson(R"({"type":"FeatureCollection","features":[58.873977E70557744]})",
                          "f.json", GeoJsonOptions{});
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().details.at("problems").at(0).at("pointer"), "f.json:1:41");
}

}  // namespace
}  // namespace halsonav::geo
