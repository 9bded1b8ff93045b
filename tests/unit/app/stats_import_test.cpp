// The statistics use cases of the app on an in-memory store: imports all or nothing, re-imports
// that change nothing, duplicates, disclosure control on the way out, the area profile.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "app/app.hpp"
#include "io/stats_batch.hpp"
#include "test_store.hpp"

namespace halsonav {
namespace {

constexpr const char* kAreas = R"({"values": [
  {"id": "0000", "title": "Riket", "type": "L"},
  {"id": "0024", "title": "Region Västerbotten", "type": "L"},
  {"id": "2480", "title": "Umeå", "type": "K"},
  {"id": "2482", "title": "Skellefteå", "type": "K"}]})";

// Smoking among adults (made-up figures): women in Skellefteå are few enough to be suppressed.
constexpr const char* kSmoking =
    "indicator;area;period;sex;value;numerator;denominator\n"
    "FH_ROK;2480;2024;;7,5;75;1000\n"
    "FH_ROK;2480;2024;kvinnor;6,0;30;500\n"
    "FH_ROK;2480;2024;män;9,0;45;500\n"
    "FH_ROK;2482;2024;;4,3;13;300\n"
    "FH_ROK;2482;2024;kvinnor;2,0;3;150\n"
    "FH_ROK;2482;2024;män;6,7;10;150\n"
    "FH_ROK;0024;2024;;6,5;650;10000\n"
    "FH_ROK;0000;2024;;8,0;80000;1000000\n"
    "FH_ROK;2480;2023;;8,1;81;1000\n";

class StatsImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app_ = std::make_unique<App>(testing::OpenTestStore(), [] { return "2026-11-23T12:00:00Z"; });
    ASSERT_TRUE(app_->EnsureNationalContent());
    auto areas = app_->ImportAreas(kAreas, "areas.json", caller_);
    ASSERT_TRUE(areas) << areas.error().message;
    ASSERT_EQ((*areas)["created"], 4);
  }

  static StatsFile File(std::string name, std::string text) {
    auto size = text.size();
    return StatsFile{std::move(name), [text] { return Result<std::string>(text); }, size};
  }

  Result<Json> Import(std::vector<StatsFile> files, bool dry_run = false) {
    StatsImportOptions options;
    options.format = StatsFormat::kCsv;
    options.dry_run = dry_run;
    return app_->ImportStats(files, options, caller_);
  }

  // The observation of an area for a sex ("total", "women", "men") in 2024.
  Json Cell(const std::string& area, const std::string& sex) {
    ObservationFilter filter;
    filter.areas = {area};
    filter.periods = {"2024"};
    filter.sexes = {sex};
    auto found = app_->Observations("FH_ROK", filter);
    EXPECT_TRUE(found) << found.error().message;
    if (!found || (*found)["observations"].size() != 1) return nullptr;
    return (*found)["observations"][0];
  }

  std::unique_ptr<App> app_;
  Caller caller_ = Caller::Operator("analytiker");
};

TEST_F(StatsImportTest, ReimportChangesNothingAndAChangedValueIsCounted) {
  auto first = Import({File("rok.csv", kSmoking)});
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ((*first)["observations"]["new"], 9);
  EXPECT_EQ((*first)["indicators_created"], Json::array({"FH_ROK"}));
  // A reader's buffer handed back during an import is freed when it ends (nothing pinned).
  std::vector<statsio::ObservationDraft> buffer;
  buffer.reserve(1000);
  statsio::RecycleObservations(std::move(buffer));
  auto again = Import({File("rok.csv", kSmoking)});
  EXPECT_EQ(statsio::TakeRecycledObservations(1).capacity(), 0U);
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)["observations"]["new"], 0);
  EXPECT_EQ((*again)["observations"]["changed"], 0);
  // The two suppressed figures are not compared (a re-import is no oracle for them).
  EXPECT_EQ((*again)["observations"]["unchanged"], 7);
  EXPECT_EQ((*again)["observations"]["not_compared"], 2);
  std::string changed = kSmoking;
  changed.replace(changed.find("8,1;81"), 6, "8,2;82");
  auto third = Import({File("rok.csv", changed)});
  ASSERT_TRUE(third);
  EXPECT_EQ((*third)["observations"]["changed"], 1);
  EXPECT_EQ((*third)["observations"]["unchanged"], 6);
  EXPECT_EQ((*third)["observations"]["not_compared"], 2);
  auto indicator = app_->GetIndicator("FH_ROK");
  ASSERT_TRUE(indicator);
  EXPECT_EQ((*indicator)["observations"], 9);
  EXPECT_EQ((*indicator)["first_period"], "2023");
  EXPECT_EQ((*indicator)["last_period"], "2024");
  EXPECT_EQ((*indicator)["dimensions"], Json::array({"sex"}));
  EXPECT_TRUE((*indicator)["decimals"].is_null());  // a CSV file does not say
}

TEST_F(StatsImportTest, AnyProblemInAnyFileStoresNothing) {
  auto result = Import({File("good.csv", kSmoking),
                        File("bad.csv", "indicator;area;period;value\nFH_ROK;9999;2024;1\n")});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidValue);
  ASSERT_EQ(result.error().details["unknown_areas"].size(), 1U);
  EXPECT_EQ(result.error().details["unknown_areas"][0]["code"], "9999");
  EXPECT_EQ(result.error().details["problems"][0]["pointer"], "bad.csv:2:2");
  EXPECT_FALSE(app_->GetIndicator("FH_ROK"));  // not even the good file's indicator
  auto dry = Import({File("good.csv", kSmoking)}, true);
  ASSERT_TRUE(dry);
  EXPECT_EQ((*dry)["observations"]["new"], 9);
  EXPECT_FALSE(app_->GetIndicator("FH_ROK"));
}

TEST_F(StatsImportTest, TheSameObservationInTwoFilesIsAProblem) {
  auto result = Import({File("a.csv", kSmoking),
                        File("b.csv", "indicator;area;period;value\nFH_ROK;2480;2023;9\n")});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().details["problems"][0]["pointer"], "b.csv:2");
  EXPECT_NE(result.error().details["problems"][0]["message"].get<std::string>().find(
                "earlier in the same import"),
            std::string::npos);
}

// More rows than one chunk of writes (kWriteChunk, 65,536): all of them stored, and a duplicate
// found across the chunk's end as within it.
TEST_F(StatsImportTest, ImportsLargerThanAWriteChunk) {
  std::string csv = "indicator;area;period;value\n";
  std::size_t rows = 0;
  for (int indicator = 0; indicator < 100; ++indicator) {
    for (const char* area : {"2480", "2482", "0024", "0000"}) {
      for (int year = 1850; year < 2025; ++year) {
        csv += fmt::format("STOR{:03};{};{};{}\n", indicator, area, year, year % 97);
        ++rows;
      }
    }
  }
  ASSERT_GT(rows, 65536u);
  // The key sorting last, again in a second file: found as the same import's.
  auto duplicated =
      Import({File("stor.csv", csv),
              File("igen.csv", "indicator;area;period;value\nSTOR099;2482;2024;1\n")});
  ASSERT_FALSE(duplicated);
  EXPECT_EQ(duplicated.error().details["problems"][0]["pointer"], "igen.csv:2");
  auto imported = Import({File("stor.csv", csv)});
  ASSERT_TRUE(imported) << imported.error().message;
  EXPECT_EQ((*imported)["observations"]["new"], rows);
  auto again = Import({File("stor.csv", csv)});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ((*again)["observations"]["unchanged"], rows);
  EXPECT_EQ((*again)["observations"]["new"], 0);
}

TEST_F(StatsImportTest, SmallCountsAndTheirComplementsNeverLeave) {
  auto imported = Import({File("rok.csv", kSmoking)});
  ASSERT_TRUE(imported);
  // Women in Skellefteå: 3 smokers (< 5); men would give them away (total − men), so both go.
  EXPECT_EQ((*imported)["observations"]["suppressed"], 2);
  for (const char* sex : {"women", "men"}) {
    auto cell = Cell("2482", sex);
    EXPECT_TRUE(cell["value"].is_null()) << sex;
    EXPECT_TRUE(cell["numerator"].is_null()) << sex;
    EXPECT_TRUE(cell["ci_low"].is_null()) << sex;
    EXPECT_EQ(cell["status"], Json::array({"suppressed"})) << sex;
  }
  EXPECT_EQ(Cell("2482", "total")["value"], 4.3);
  EXPECT_EQ(Cell("2480", "women")["value"], 6.0);

  auto profile = app_->AreaProfile("2482");
  ASSERT_TRUE(profile) << profile.error().message;
  const auto& row = (*profile)["indicators"][0];
  EXPECT_EQ(row["period"], "2024");
  EXPECT_TRUE(row["women"]["area"]["value"].is_null());
  EXPECT_EQ(row["women"]["area"]["status"], Json::array({"suppressed"}));
  EXPECT_EQ(row["total"]["area"]["value"], 4.3);
  EXPECT_EQ(row["total"]["county"]["value"], 6.5);
  EXPECT_EQ(row["total"]["country"]["value"], 8.0);
  EXPECT_EQ(profile->dump().find("2.0"), std::string::npos);  // the figure itself is nowhere

  auto rule = app_->SetDisclosureRule(Json{{"min_count", 3}}, caller_);
  ASSERT_TRUE(rule) << rule.error().message;
  EXPECT_EQ((*rule)["observations_changed"], 2);
  EXPECT_EQ(Cell("2482", "women")["value"], 2.0);
  // The cached profile follows the change.
  EXPECT_EQ((*app_->AreaProfile("2482"))["indicators"][0]["women"]["area"]["value"], 2.0);
  EXPECT_EQ((*app_->DisclosureRule())["min_count"], 3);
  EXPECT_FALSE(app_->SetDisclosureRule(Json{{"min_count", -1}}, caller_));
  EXPECT_FALSE(app_->SetDisclosureRule(Json{{"minimum", 3}}, caller_));
}

TEST_F(StatsImportTest, FiltersAndErrorsOfTheObservationQuery) {
  ASSERT_TRUE(Import({File("rok.csv", kSmoking)}));
  ObservationFilter filter;
  filter.areas = {"2480"};
  filter.from = "2024";
  auto found = app_->Observations("FH_ROK", filter);
  ASSERT_TRUE(found);
  EXPECT_EQ((*found)["count"], 3);
  filter = {};
  filter.breakdowns = {"sex:women"};
  EXPECT_EQ((*app_->Observations("FH_ROK", filter))["count"], 2);
  filter.breakdowns = {"sex:women;education:low"};
  EXPECT_EQ((*app_->Observations("FH_ROK", filter))["count"], 0);
  filter = {};
  filter.areas = {"24"};  // SCB's spelling of the region
  EXPECT_EQ((*app_->Observations("FH_ROK", filter))["count"], 1);
  filter.areas = {"9999"};
  EXPECT_EQ(app_->Observations("FH_ROK", filter).error().code, ErrorCode::kInvalidParameter);
  filter = {};
  filter.periods = {"förra året"};
  EXPECT_EQ(app_->Observations("FH_ROK", filter).error().code, ErrorCode::kInvalidParameter);
  EXPECT_EQ(app_->Observations("NOPE", {}).error().code, ErrorCode::kNotFound);
}

TEST_F(StatsImportTest, AreaGroupsAndOwnIndicators) {
  auto group = app_->PutAreaGroup(
      Json{{"code", "kust"}, {"title", "Kustkommuner"}, {"members", {"2480", "2482"}}}, caller_);
  ASSERT_TRUE(group) << group.error().message;
  AreaFilter filter;
  filter.group = "kust";
  EXPECT_EQ((*app_->ListAreas(filter, {}))["total"], 2);
  filter = {};
  filter.county = "24";
  EXPECT_EQ((*app_->ListAreas(filter, {}))["total"], 2);
  auto unknown = app_->PutAreaGroup(
      Json{{"code", "x"}, {"title", "X"}, {"members", {"2480", "0999"}}}, caller_);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kReferenceNotFound);
  EXPECT_EQ(unknown.error().details["field"], "/members/1");
  EXPECT_TRUE(app_->DeleteAreaGroup("kust", caller_));
  EXPECT_EQ(app_->DeleteAreaGroup("kust", caller_).error().code, ErrorCode::kNotFound);

  auto own = app_->CreateIndicator(Json{{"code", "EGEN1"},
                                        {"title", "Andel som röker"},
                                        {"value_type", "proportion"},
                                        {"direction", "lower"},
                                        {"unit", "%"},
                                        {"decimals", 1}},
                                   caller_);
  ASSERT_TRUE(own) << own.error().message;
  EXPECT_EQ((*own)["source"], "own");
  EXPECT_EQ((*app_->GetIndicator("EGEN1"))["decimals"], 1);  // stored and read back
  EXPECT_EQ(app_->CreateIndicator(Json{{"code", "E3"}, {"title", "x"}, {"decimals", 16}}, caller_)
                .error()
                .details["field"],
            "/decimals");
  EXPECT_EQ(app_->CreateIndicator(Json{{"code", "EGEN1"}, {"title", "x"}}, caller_).error().code,
            ErrorCode::kDuplicate);
  EXPECT_EQ(
      app_->CreateIndicator(Json{{"code", "E2"}, {"title", "x"}, {"direction", "up"}}, caller_)
          .error()
          .details["field"],
      "/direction");
  IndicatorFilter search;
  search.text = "röker";
  EXPECT_EQ((*app_->ListIndicators(search, {}))["total"], 1);
}

// The Kolada fetch's KPI definitions are written in the import's own transaction: with the data
// they are stored, and when the data is refused they are not stored either.
TEST_F(StatsImportTest, DefinitionsAndDataAreOneImport) {
  Indicator kpi;
  kpi.code = "N00945";
  kpi.title = "Tillfälliga föräldrapenningdagar (VAB) som tas ut av män, andel av antal dagar (%)";
  kpi.source = IndicatorSource::kKolada;
  kpi.source_code = "N00945";
  kpi.value_type = ValueType::kProportion;
  StatsImportOptions options;
  options.format = StatsFormat::kKolada;
  options.definitions = {kpi};
  options.definitions_name = "https://api.kolada.se/v3/kpi/N00945";
  const std::string good =
      R"({"values": [{"kpi": "N00945", "municipality": "2480", "period": 2020, "values": [)"
      R"({"gender": "T", "count": 1, "status": "", "value": 31.32959689}]}], "next_page": null})";
  const std::string unknown_area =
      R"({"values": [{"kpi": "N00945", "municipality": "9999", "period": 2020, "values": [)"
      R"({"gender": "T", "count": 1, "status": "", "value": 1}]}], "next_page": null})";

  auto refused =
      app_->ImportStats({File("page1", good), File("page2", unknown_area)}, options, caller_);
  ASSERT_FALSE(refused);
  EXPECT_FALSE(app_->GetIndicator("N00945"));  // the definition went with the data

  auto imported = app_->ImportStats({File("page1", good)}, options, caller_);
  ASSERT_TRUE(imported) << imported.error().message;
  EXPECT_EQ((*imported)["definitions"]["created"], 1);
  EXPECT_EQ((*imported)["observations"]["new"], 1);
  auto stored = app_->GetIndicator("N00945");
  ASSERT_TRUE(stored);
  EXPECT_EQ((*stored)["title"], kpi.title);

  imported = app_->ImportStats({File("page1", good)}, options, caller_);
  ASSERT_TRUE(imported);
  EXPECT_EQ((*imported)["definitions"]["unchanged"], 1);
  EXPECT_EQ((*imported)["observations"]["unchanged"], 1);
}

}  // namespace
}  // namespace halsonav
