#include "io/geojson.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "problems.hpp"

namespace halsonav::geo {
namespace {

using halsonav::testing::Problems;
using halsonav::testing::ProblemsOf;
using halsonav::testing::RepositoryFile;

// A FeatureCollection of one feature with the given properties and geometry (JSON text).
std::string One(std::string_view properties, std::string_view geometry) {
  return fmt::format(
      R"({{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{},)"
      R"("geometry":{}}}]}})",
      properties, geometry);
}

constexpr std::string_view kSquare =
    R"({"type":"Polygon","coordinates":[[[20,63],[21,63],[21,64],[20,64],[20,63]]]})";

struct BadCase {
  const char* name;
  std::string text;
  std::string pointer;  // of the first problem
  std::string message;  // a part of its message
  std::size_t problems = 1;
};

TEST(GeoJson, EveryBadInputGivesItsPointerAndMessage) {
  const BadCase cases[] = {
      {"not JSON", "{\"type\": \"FeatureCollection\",\n \"features\": [,]}", "f.json:2:15",
       "not valid JSON"},
      {"a number beyond a double (found by fuzz_geojson)",
       R"({"type":"FeatureCollection","features":[58.873977E70557744]})", "f.json:1:41",
       "not valid JSON"},
      {"an array", "[]", "f.json#", "must be a FeatureCollection object, not an array"},
      {"another type", R"({"type":"Feature","features":[]})", "f.json#/type",
       "\"Feature\" is not \"FeatureCollection\"", 2},
      {"no features", R"({"type":"FeatureCollection"})", "f.json#/features", "missing"},
      {"features not an array", R"({"type":"FeatureCollection","features":{}})", "f.json#/features",
       "must be an array of features, not an object"},
      {"no feature at all", R"({"type":"FeatureCollection","features":[]})", "f.json#/features",
       "has no features"},
      {"a feature that is a string", R"({"type":"FeatureCollection","features":["x"]})",
       "f.json#/features/0", "a feature must be an object, not a string"},
      {"a feature of another type",
       fmt::format(R"({{"type":"FeatureCollection","features":[{{"type":"Topology",)"
                   R"("properties":{{"id":"2480"}},"geometry":{}}}]}})",
                   kSquare),
       "f.json#/features/0/type", "\"Topology\" is not \"Feature\""},
      {"no properties", One("null", kSquare), "f.json#/features/0/properties", "missing"},
      {"no code property", One(R"({"name":"Umeå"})", kSquare), "f.json#/features/0/properties/id",
       "no property \"id\""},
      {"a code with letters", One(R"({"id":"Umeå"})", kSquare), "f.json#/features/0/properties/id",
       "\"Umeå\" is not an area code"},
      {"an empty code", One(R"({"id":""})", kSquare), "f.json#/features/0/properties/id",
       "\"\" is not an area code"},
      {"a number beyond the counties", One(R"({"id":2480})", kSquare),
       "f.json#/features/0/properties/id", "2480 is not an area code"},
      {"a fraction", One(R"({"id":2.5})", kSquare), "f.json#/features/0/properties/id",
       "2.5 is not an area code"},
      {"a boolean code", One(R"({"id":true})", kSquare), "f.json#/features/0/properties/id",
       "not a boolean"},
      {"no geometry", One(R"({"id":"2480"})", "null"), "f.json#/features/0/geometry",
       "has no geometry"},
      {"a point", One(R"({"id":"2480"})", R"({"type":"Point","coordinates":[20,63]})"),
       "f.json#/features/0/geometry/type", "\"Point\" is not \"Polygon\" or \"MultiPolygon\""},
      {"no coordinates", One(R"({"id":"2480"})", R"({"type":"Polygon"})"),
       "f.json#/features/0/geometry/coordinates", "missing"},
      {"a polygon without rings", One(R"({"id":"2480"})", R"({"type":"Polygon","coordinates":[]})"),
       "f.json#/features/0/geometry/coordinates", "at least one ring"},
      {"a multipolygon without polygons",
       One(R"({"id":"2480"})", R"({"type":"MultiPolygon","coordinates":[]})"),
       "f.json#/features/0/geometry/coordinates", "at least one polygon"},
      {"a ring that is a number",
       One(R"({"id":"2480"})", R"({"type":"Polygon","coordinates":[5]})"),
       "f.json#/features/0/geometry/coordinates/0", "a ring must be an array of positions"},
      {"a ring of three positions",
       One(R"({"id":"2480"})", R"({"type":"Polygon","coordinates":[[[20,63],[21,63],[20,63]]]})"),
       "f.json#/features/0/geometry/coordinates/0", "at least 4 positions"},
      {"an open ring",
       One(R"({"id":"2480"})",
           R"({"type":"Polygon","coordinates":[[[20,63],[21,63],[21,64],[20,64]]]})"),
       "f.json#/features/0/geometry/coordinates/0", "the ring is not closed"},
      {"a position of one number",
       One(R"({"id":"2480"})",
           R"({"type":"Polygon","coordinates":[[[20,63],[21],[21,64],[20,63]]]})"),
       "f.json#/features/0/geometry/coordinates/0/1", "needs two numbers"},
      {"a position that is a number",
       One(R"({"id":"2480"})", R"({"type":"Polygon","coordinates":[[20,63,21,64]]})"),
       "f.json#/features/0/geometry/coordinates/0/0",
       "a position must be an array [longitude, latitude], not a number", 4},
      {"a coordinate that is a string",
       One(R"({"id":"2480"})",
           R"({"type":"Polygon","coordinates":[[[20,63],[21,"63"],[21,64],[20,63]]]})"),
       "f.json#/features/0/geometry/coordinates/0/1/1", "must be a number, not a string"},
      {"a longitude out of range",
       One(R"({"id":"2480"})",
           R"({"type":"Polygon","coordinates":[[[20,63],[181,63],[21,64],[20,63]]]})"),
       "f.json#/features/0/geometry/coordinates/0/1/0", "longitude 181 is outside -180…180"},
      {"a latitude out of range (lat, lon swapped)",
       One(R"({"id":"2480"})",
           R"({"type":"MultiPolygon","coordinates":[[[[63,20],[63,-91],[64,21],[63,20]]]]})"),
       "f.json#/features/0/geometry/coordinates/0/0/1/1", "latitude -91 is outside -90…90"},
      {"the same code twice",
       fmt::format(R"({{"type":"FeatureCollection","features":[)"
                   R"({{"type":"Feature","properties":{{"id":"2480"}},"geometry":{}}},)"
                   R"({{"type":"Feature","properties":{{"id":"2480"}},"geometry":{}}}]}})",
                   kSquare, kSquare),
       "f.json#/features/1/properties/id", "also the code of /features/0"},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.name);
    auto read = ReadGeoJson(test.text, "f.json", GeoJsonOptions{});
    ASSERT_FALSE(read.has_value());
    EXPECT_EQ(read.error().code, ErrorCode::kInvalidValue);
    const auto problems = ProblemsOf(read.error());
    ASSERT_EQ(problems.size(), test.problems) << read.error().message;
    EXPECT_EQ(problems[0].first, test.pointer);
    EXPECT_NE(problems[0].second.find(test.message), std::string::npos) << problems[0].second;
  }
}

TEST(GeoJson, EveryProblemIsCollected) {
  const auto text = fmt::format(
      R"({{"type":"FeatureCollection","features":[)"
      R"({{"type":"Feature","properties":{{"id":"x"}},"geometry":{}}},)"
      R"({{"type":"Feature","properties":{{"id":"2480"}},"geometry":)"
      R"({{"type":"Polygon","coordinates":[[[200,63],[21,100],[21,64],[200,63]]]}}}}]}})",
      kSquare);
  auto read = ReadGeoJson(text, "f.json", GeoJsonOptions{});
  ASSERT_FALSE(read.has_value());
  const Problems expected{
      {"f.json#/features/0/properties/id",
       "\"x\" is not an area code: the code must be a string of digits (\"0138\") or a county "
       "number (21)"},
      {"f.json#/features/1/geometry/coordinates/0/0/0",
       "longitude 200 is outside -180…180 (is the file in WGS 84 degrees, longitude first?)"},
      {"f.json#/features/1/geometry/coordinates/0/1/1",
       "latitude 100 is outside -90…90 (is the file in WGS 84 degrees, longitude first?)"},
      {"f.json#/features/1/geometry/coordinates/0/3/0",
       "longitude 200 is outside -180…180 (is the file in WGS 84 degrees, longitude first?)"},
  };
  EXPECT_EQ(ProblemsOf(read.error()), expected);
  EXPECT_NE(read.error().message.find("f.json has 4 problems"), std::string::npos);
}

TEST(GeoJson, ManyProblemsAreCappedWithACount) {
  std::string ring = "[";
  for (int idx = 0; idx < 300; ++idx) ring += fmt::format("{}[500,63]", idx == 0 ? "" : ",");
  ring += "]";
  auto read = ReadGeoJson(
      One(R"({"id":"2480"})", fmt::format(R"({{"type":"Polygon","coordinates":[{}]}})", ring)),
      "f.json", GeoJsonOptions{});
  ASSERT_FALSE(read.has_value());
  const auto problems = ProblemsOf(read.error());
  ASSERT_EQ(problems.size(), 201U);
  EXPECT_EQ(problems.back(),
            (std::pair<std::string, std::string>{"f.json#", "100 more problems not listed"}));
}

TEST(GeoJson, CodesAreNormalisedAsEverywhere) {
  struct Case {
    const char* property;
    const char* code;
  };
  const Case cases[] = {
      {R"({"id":"0138"})", "0138"}, {R"({"id":"24"})", "0024"},
      {R"({"id":" 2480"})", ""},  // not digits: refused
      {R"({"id":21})", "0021"},     {R"({"id":1})", "0001"},
      {R"({"id":0})", ""},          {R"({"id":100})", ""},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.property);
    auto read = ReadGeoJson(One(test.property, kSquare), "f.json", GeoJsonOptions{});
    if (std::string(test.code).empty()) {
      EXPECT_FALSE(read.has_value());
      continue;
    }
    ASSERT_TRUE(read.has_value()) << read.error().message;
    ASSERT_EQ(read->size(), 1U);
    EXPECT_EQ(read->front().code, test.code);
  }
}

TEST(GeoJson, TheCodePropertyIsChosen) {
  GeoJsonOptions options;
  options.code_property = "a/b";
  auto read = ReadGeoJson(One(R"({"id":"2480"})", kSquare), "f.json", options);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(ProblemsOf(read.error()).at(0).first, "f.json#/features/0/properties/a~1b");
  read = ReadGeoJson(One(R"({"id":"x","a/b":"2480"})", kSquare), "f.json", options);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->at(0).code, "2480");
  EXPECT_EQ(read->at(0).where, "f.json#/features/0");
}

TEST(GeoJson, CoordinatesAreRoundedCompactAndBoxed) {
  const auto geometry =
      R"({"type":"MultiPolygon","coordinates":[[[[20.123456789,63.000001,12.5],[20.1234551,)"
      R"(63.0000049],[21,63],[21,64.5],[20.123456789,63.000001,12.5]]],)"
      R"([[[10,60],[11,60],[11,61],[10,60]],[[10.1,60.1],[10.2,60.1],[10.2,60.2],[10.1,60.1]]]]})";
  auto read = ReadGeoJson(One(R"({"id":"2480"})", geometry), "f.json", GeoJsonOptions{});
  ASSERT_TRUE(read.has_value()) << read.error().message;
  const auto& shape = read->at(0);
  // The second position rounds onto the first and is dropped; altitude is dropped.
  EXPECT_EQ(shape.geometry,
            R"({"type":"MultiPolygon","coordinates":[[[[20.12346,63],[21,63],[21,64.5],)"
            R"([20.12346,63]]],[[[10,60],[11,60],[11,61],[10,60]],[[10.1,60.1],[10.2,60.1],)"
            R"([10.2,60.2],[10.1,60.1]]]]})");
  EXPECT_EQ(shape.positions, 12U);
  EXPECT_DOUBLE_EQ(shape.west, 10);
  EXPECT_DOUBLE_EQ(shape.south, 60);
  EXPECT_DOUBLE_EQ(shape.east, 21);
  EXPECT_DOUBLE_EQ(shape.north, 64.5);

  GeoJsonOptions exact;
  exact.decimals = -1;
  read = ReadGeoJson(One(R"({"id":"2480"})", geometry), "f.json", exact);
  ASSERT_TRUE(read.has_value());
  EXPECT_NE(read->at(0).geometry.find("[20.123456789,63.000001],[20.1234551,63.0000049]"),
            std::string::npos);
}

TEST(GeoJson, ATinyRingKeepsFourPositions) {
  const auto geometry =
      R"({"type":"Polygon","coordinates":[[[20,63],[20.000001,63],[20.000001,63.000001],[20,63]]]})";
  auto read = ReadGeoJson(One(R"({"id":"2480"})", geometry), "f.json", GeoJsonOptions{});
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->at(0).geometry,
            R"({"type":"Polygon","coordinates":[[[20,63],[20,63],[20,63],[20,63]]]})");
}

TEST(GeoJson, TheRealMunicipalitiesAndRegions) {
  auto municipalities = ReadGeoJson(RepositoryFile("data/national/swedish_municipalities.geojson"),
                                    "swedish_municipalities.geojson", GeoJsonOptions{});
  ASSERT_TRUE(municipalities.has_value()) << municipalities.error().message;
  ASSERT_EQ(municipalities->size(), 290U);
  std::size_t bytes = 0;
  const AreaShape* umea = nullptr;
  for (const auto& shape : *municipalities) {
    bytes += shape.geometry.size();
    if (shape.code == "2480") umea = &shape;
  }
  ASSERT_NE(umea, nullptr);
  EXPECT_TRUE(umea->geometry.starts_with(R"({"type":"Polygon","coordinates":[[[)"));
  EXPECT_NEAR(umea->west, 19.68, 0.01);
  EXPECT_NEAR(umea->north, 64.39, 0.01);
  // Rounded to 5 decimals the 818 kB file's geometries take about 400 kB (776 kB as written).
  EXPECT_LT(bytes, 410'000U);

  GeoJsonOptions regions_options;
  regions_options.code_property = "l_id";
  auto regions = ReadGeoJson(RepositoryFile("data/national/swedish_regions.geojson"),
                             "swedish_regions.geojson", regions_options);
  ASSERT_TRUE(regions.has_value()) << regions.error().message;
  ASSERT_EQ(regions->size(), 21U);
  for (const auto& shape : *regions) {
    EXPECT_TRUE(shape.code.starts_with("00") && shape.code.size() == 4) << shape.code;
  }
}

}  // namespace
}  // namespace halsonav::geo
