#include "io/jsonstat.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace halsonav::statsio {
namespace {

const std::string kPxWeb = std::string(HALSONAV_TEST_DATA) + "/pxweb/";

std::string ReadText(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

// The first problem's pointer of a failed read ("" when the error has none).
std::string FirstPointer(const Error& error) {
  if (!error.details.contains("problems") || error.details["problems"].empty()) return "";
  return error.details["problems"][0]["pointer"].get<std::string>();
}

// Every observation's value equals what the file holds at its origin (read independently
// with nlohmann): null or ".." = missing.
void ExpectValuesAsInFile(const StatsBatch& batch, const std::string& text) {
  auto json = nlohmann::json::parse(text);
  for (const auto& observation : batch.observations) {
    auto dataset = static_cast<std::size_t>(observation.origin >> 40);
    auto index = observation.origin & ((std::uint64_t{1} << 40) - 1);
    ASSERT_LT(dataset, batch.dataset_pointers.size());
    const auto& node = json.at(nlohmann::json::json_pointer(batch.dataset_pointers[dataset]));
    const auto& values = node.at("value");
    nlohmann::json value = values.is_array() ? values.at(index) : values.at(std::to_string(index));
    std::string status;
    if (node.contains("status")) {
      const auto& statuses = node["status"];
      if (statuses.is_string()) status = statuses;
      if (statuses.is_array() && statuses.size() == 1) status = statuses[0];
      if (statuses.is_array() && statuses.size() > 1 && statuses[index].is_string()) {
        status = statuses[index];
      }
      if (statuses.is_object() && statuses.contains(std::to_string(index))) {
        status = statuses[std::to_string(index)];
      }
    }
    if (value.is_null() || status == "..") {
      EXPECT_FALSE(Present(observation.value)) << batch.Where(observation);
      EXPECT_TRUE(observation.status & kObservationMissing) << batch.Where(observation);
    } else {
      EXPECT_EQ(observation.value, value.get<double>()) << batch.Where(observation);
      EXPECT_FALSE(observation.status & kObservationMissing) << batch.Where(observation);
    }
  }
}

struct DatasetCase {
  std::string file;
  std::size_t indicators;
  std::size_t areas;
  std::size_t periods;
  std::size_t observations;
  std::string mapping;  // mapping text, if any
};

TEST(JsonStatRead, EveryDatasetFileLoadsWithItsCountsAndValues) {
  const DatasetCase cases[] = {
      {"scb-v2/TAB6471_data.json", 1, 21, 4, 2772, ""},
      {"scb-v1/mock__response_se.json", 1, 1, 3, 9, ""},
      {"jsonstat-samples/canada.json", 2, 1, 1, 120, ""},
      {"jsonstat-samples/galicia.json", 1, 5, 2, 3960, ""},
      {"jsonstat-samples/oecd.json", 1, 36, 12, 432, ""},
      {"jsonstat-samples/oecd-canada.json", 3, 36, 12, 552, ""},
      {"jsonstat-samples/oecd-canada-col.json", 3, 36, 12, 552, ""},
      {"jsonstat-samples/us-gsp.json", 4, 51, 1, 204, ""},
      {"jsonstat-samples/us-labor.json", 4, 3220, 1, 12880, ""},
      {"jsonstat-samples/us-unr.json", 1, 3220, 1, 3220, ""},
      {"jsonstat-samples/hierarchy.json", 1, 1, 1, 1, R"({"period": "2015"})"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.file);
    auto text = ReadText(kPxWeb + test_case.file);
    ASSERT_FALSE(text.empty());
    auto mapping = ReadJsonStatMapping(test_case.mapping, "mapping.json");
    ASSERT_TRUE(mapping) << mapping.error().message;
    JsonStatOptions options;
    options.mapping = &*mapping;
    auto batch = ReadJsonStat(text, test_case.file, options);
    ASSERT_TRUE(batch) << batch.error().message;
    EXPECT_EQ(batch->indicators.size(), test_case.indicators);
    EXPECT_EQ(batch->areas.size(), test_case.areas);
    std::set<std::int64_t> periods;
    for (const auto& observation : batch->observations) periods.insert(observation.period);
    EXPECT_EQ(periods.size(), test_case.periods);
    EXPECT_EQ(batch->observations.size(), test_case.observations);
    ASSERT_FALSE(batch->breakdowns.empty());
    EXPECT_TRUE(batch->breakdowns[0].empty());
    EXPECT_EQ(batch->origin_kind, OriginKind::kJsonValue);
    for (const auto& observation : batch->observations) {
      ASSERT_LT(observation.indicator, batch->indicators.size());
      ASSERT_LT(observation.area, batch->areas.size());
      ASSERT_LT(observation.breakdown, batch->breakdowns.size());
    }
    ExpectValuesAsInFile(*batch, text);
  }
}

// A reader takes the observation buffer the previous file handed back (io/stats_batch.hpp) and
// fills it with the same observations, to the bit, as it does fresh memory.
TEST(JsonStatRead, ReusedObservationBufferGivesTheSameObservations) {
  auto text = ReadText(kPxWeb + "scb-v2/TAB6471_data.json");
  ReleaseRecycledObservations();
  auto fresh = ReadJsonStat(text, "TAB6471_data.json", {});
  ASSERT_TRUE(fresh) << fresh.error().message;
  auto copy = fresh->observations;
  const ObservationDraft* buffer = fresh->observations.data();
  RecycleObservations(std::move(fresh->observations));
  auto reused = ReadJsonStat(text, "TAB6471_data.json", {});
  ASSERT_TRUE(reused) << reused.error().message;
  EXPECT_EQ(reused->observations.data(), buffer);  // the same memory, taken back
  ASSERT_EQ(reused->observations.size(), copy.size());
  auto bits = [](double value) {
    std::uint64_t out;
    std::memcpy(&out, &value, sizeof out);
    return out;
  };
  for (std::size_t idx = 0; idx < copy.size(); ++idx) {
    const auto& a = reused->observations[idx];
    const auto& b = copy[idx];
    ASSERT_EQ(std::tie(a.indicator, a.area, a.breakdown, a.status, a.period, a.origin),
              std::tie(b.indicator, b.area, b.breakdown, b.status, b.period, b.origin))
        << idx;
    for (auto field : {&ObservationDraft::value, &ObservationDraft::ci_low,
                       &ObservationDraft::ci_high, &ObservationDraft::numerator,
                       &ObservationDraft::denominator, &ObservationDraft::respondents}) {
      ASSERT_EQ(bits(a.*field), bits(b.*field)) << idx;
    }
  }
  // A buffer too small for a reader is not taken; a larger one replaces a smaller one.
  std::vector<ObservationDraft> small;
  small.reserve(10);
  RecycleObservations(std::move(small));
  EXPECT_TRUE(TakeRecycledObservations(11).capacity() == 0);
  RecycleObservations(std::move(reused->observations));
  EXPECT_GE(TakeRecycledObservations(copy.size()).capacity(), copy.size());
  ReleaseRecycledObservations();
  EXPECT_EQ(TakeRecycledObservations(1).capacity(), 0U);
}

TEST(JsonStatRead, Tab6471HasRegionsSexAndMonths) {
  auto text = ReadText(kPxWeb + "scb-v2/TAB6471_data.json");
  auto batch = ReadJsonStat(text, "TAB6471_data.json", {});
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->observations.size(), 2772u);
  std::set<std::string> codes;
  for (const auto& area : batch->areas) codes.insert(area.code);
  const std::set<std::string> expected{"0001", "0003", "0004", "0005", "0006", "0007", "0008",
                                       "0009", "0010", "0012", "0013", "0014", "0017", "0018",
                                       "0019", "0020", "0021", "0022", "0023", "0024", "0025"};
  EXPECT_EQ(codes, expected);
  EXPECT_EQ(batch->areas[0].label, "Stockholms län");
  EXPECT_EQ(batch->areas[0].where, "TAB6471_data.json#/dimension/Region/category/index/01");

  ASSERT_EQ(batch->indicators.size(), 1u);
  const auto& indicator = batch->indicators[0].definition;
  EXPECT_EQ(indicator.code, "TAB6471.000007SF");
  EXPECT_EQ(indicator.unit, "antal");
  EXPECT_EQ(indicator.decimals, 0);  // the unit's "decimals": 0
  EXPECT_EQ(indicator.value_type, ValueType::kCount);
  EXPECT_EQ(indicator.source, IndicatorSource::kPxWeb);
  EXPECT_EQ(indicator.source_table, "TAB6471");
  EXPECT_EQ(indicator.dimensions, (std::vector<std::string>{"alder", "sex"}));

  std::set<std::string> sexes;
  std::set<std::string> periods;
  for (const auto& observation : batch->observations) {
    std::string sex = "total";
    for (const auto& [dimension, category] : batch->breakdowns[observation.breakdown]) {
      if (dimension == "sex") sex = category;
    }
    sexes.insert(sex);
    periods.insert(PeriodCode(*PeriodFromKey(observation.period)));
  }
  EXPECT_EQ(sexes, (std::set<std::string>{"men", "total", "women"}));
  EXPECT_EQ(periods, (std::set<std::string>{"2026M01", "2026M02", "2026M03", "2026M04"}));

  const auto& first = batch->observations[0];
  EXPECT_EQ(first.value, 245284);
  EXPECT_EQ(batch->Where(first), "TAB6471_data.json#/value/0");
  EXPECT_EQ(batch->areas[first.area].code, "0001");
  EXPECT_EQ(BreakdownKey(batch->breakdowns[first.breakdown]), R"({"alder":"0-9"})");
  // Cell 4 is "män" (SCB code 1) in January.
  EXPECT_EQ(BreakdownKey(batch->breakdowns[batch->observations[4].breakdown]),
            R"({"alder":"0-9","sex":"men"})");
}

TEST(JsonStatRead, BundleAndCollectionNameTheirDatasets) {
  auto bundle = ReadJsonStat(ReadText(kPxWeb + "jsonstat-samples/oecd-canada.json"), "b.json", {});
  ASSERT_TRUE(bundle) << bundle.error().message;
  EXPECT_EQ(bundle->dataset_pointers, (std::vector<std::string>{"/oecd", "/canada"}));
  EXPECT_EQ(bundle->Where(bundle->observations.back()), "b.json#/canada/value/119");
  auto collection =
      ReadJsonStat(ReadText(kPxWeb + "jsonstat-samples/oecd-canada-col.json"), "c.json", {});
  ASSERT_TRUE(collection) << collection.error().message;
  EXPECT_EQ(collection->dataset_pointers,
            (std::vector<std::string>{"/link/item/0", "/link/item/1"}));
  EXPECT_EQ(collection->Where(collection->observations.front()), "c.json#/link/item/0/value/0");
}

TEST(JsonStatRead, StatusLettersAndForeignGeoCodes) {
  // oecd.json: status {"10": "e", …}; canada: status ["a"] applies to all; geo "CA" stays.
  auto canada = ReadJsonStat(ReadText(kPxWeb + "jsonstat-samples/canada.json"), "ca.json", {});
  ASSERT_TRUE(canada) << canada.error().message;
  ASSERT_EQ(canada->areas.size(), 1u);
  EXPECT_EQ(canada->areas[0].code, "CA");
  EXPECT_EQ(canada->areas[0].label, "Canada");
  const std::string text = R"({"version":"2.0","class":"dataset","id":["year"],"size":[3],
    "dimension":{"year":{"category":{"index":["2020","2021","2022"]}}},
    "value":[1.5,2.5,3.5],"status":{"1":"p","2":"b"}})";
  auto batch = ReadJsonStat(text, "s.json", {});
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->observations.size(), 3u);
  EXPECT_EQ(batch->observations[0].status, 0);
  EXPECT_EQ(batch->observations[1].status, kObservationProvisional);
  EXPECT_EQ(batch->observations[2].status, kObservationBreak);
  EXPECT_EQ(batch->areas[0].code, "0000");               // no geo dimension: the default area
  EXPECT_EQ(batch->indicators[0].definition.code, "s");  // no metric: the file stem
}

TEST(JsonStatFlatten, Tab6471MatchesThePxwebpySnapshotRowForRow) {
  auto flat = FlattenJsonStat(ReadText(kPxWeb + "scb-v2/TAB6471_data.json"), "TAB6471_data.json");
  ASSERT_TRUE(flat) << flat.error().message;
  std::ifstream csv(kPxWeb + "scb-v2/TAB6471_data_expected_rows_pxwebpy_snapshot.csv");
  std::string line;
  std::getline(csv, line);  // header
  std::size_t row = 0;
  while (std::getline(csv, line)) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (char c : line) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.emplace_back();
      } else if (c != '\r') {
        fields.back() += c;
      }
    }
    ASSERT_EQ(fields.size(), 6u) << line;
    ASSERT_LT(row, flat->size());
    const auto& cell = (*flat)[row];
    EXPECT_EQ(cell.labels, (std::vector<std::string>(fields.begin(), fields.begin() + 5)))
        << "row " << row;
    ASSERT_TRUE(cell.value.has_value()) << "row " << row;
    EXPECT_EQ(*cell.value, std::stod(fields[5])) << "row " << row;
    ++row;
  }
  EXPECT_EQ(row, 2772u);
  EXPECT_EQ(flat->size(), 2772u);
}

TEST(JsonStatFlatten, SparseValuesAndStatuses) {
  auto flat = FlattenJsonStat(R"({"class":"dataset","id":["a","b"],"size":["2","2"],
      "dimension":{"a":{"category":{"index":{"x":1,"y":0},"label":{"x":"X","y":"Y"}}},
                   "b":{"category":{"index":["1","2"]}}},
      "value":{"1":7,"3":null},"status":{"3":".."}})",
                              "f.json");
  ASSERT_TRUE(flat) << flat.error().message;
  ASSERT_EQ(flat->size(), 4u);
  EXPECT_EQ((*flat)[0].labels, (std::vector<std::string>{"Y", "1"}));
  EXPECT_EQ((*flat)[1].value, 7.0);
  EXPECT_FALSE((*flat)[0].value.has_value());
  EXPECT_EQ((*flat)[3].labels, (std::vector<std::string>{"X", "2"}));
  EXPECT_EQ((*flat)[3].status, "..");
}

struct NotDataCase {
  std::string file;
  std::string message;
};

TEST(JsonStatRead, FilesThatAreNotDataSayWhatTheyAre) {
  const NotDataCase cases[] = {
      {"scb-v2/config.json", "PX-Web API configuration"},
      {"scb-v2/tables.json", "this is a PX-Web table list, not data"},
      {"scb-v2/search.json", "PX-Web table search result"},
      {"scb-v2/TAB6471_metadata.json", "PX-Web table metadata"},
      {"scb-v1/mock__response_table_variables.json", "PX-Web table metadata"},
      {"scb-v1/queries__query_se.json",
       "this is a PX-Web query body — POST it to the table to get data"},
      {"jsonstat-samples/collection.json", "collection that embeds no dataset"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.file);
    auto batch = ReadJsonStat(ReadText(kPxWeb + test_case.file), test_case.file, {});
    ASSERT_FALSE(batch);
    EXPECT_EQ(batch.error().code, ErrorCode::kInvalidValue);
    EXPECT_NE(batch.error().message.find(test_case.message), std::string::npos)
        << batch.error().message;
    EXPECT_FALSE(FlattenJsonStat(ReadText(kPxWeb + test_case.file), test_case.file));
  }
  const std::pair<std::string, std::string> inline_cases[] = {
      {R"({"class":"dimension","label":"sex","category":{"index":["T"]}})", "JSON-stat dimension"},
      {R"([{"id":"BE","type":"l","text":"Befolkning"}])", "PX-Web v1 folder listing"},
      {R"({"version":"2.0","class":"collection","link":{"item":[{"class":"collection"}]}})",
       "collection that embeds no dataset"},
  };
  for (const auto& [text, message] : inline_cases) {
    auto batch = ReadJsonStat(text, "x.json", {});
    ASSERT_FALSE(batch) << text;
    EXPECT_NE(batch.error().message.find(message), std::string::npos) << batch.error().message;
  }
}

// A dataset shaped as Folkhälsodata sends it (README: share, lower CI, upper CI and n as four
// content codes; sex 00/01/02; pooled periods; ".." for missing).
constexpr const char* kFolkhalsodata = R"({
  "class": "dataset", "version": "2.0", "label": "Fysisk aktivitet efter region, kön och år",
  "id": ["Region", "Kon", "ContentsCode", "Tid"], "size": [2, 3, 4, 1],
  "role": {"geo": ["Region"], "time": ["Tid"], "metric": ["ContentsCode"]},
  "dimension": {
    "Region": {"label": "region", "category": {"index": {"00": 0, "24": 1},
               "label": {"00": "Riket", "24": "24 Västerbottens län"}}},
    "Kon": {"label": "kön", "category": {"index": {"00": 0, "01": 1, "02": 2},
            "label": {"00": "Totalt", "01": "Kvinnor", "02": "Män"}}},
    "ContentsCode": {"label": "tabellinnehåll", "category": {
        "index": {"Andel": 0, "Lagre": 1, "Ovre": 2, "Antal": 3},
        "label": {"Andel": "Andel", "Lagre": "Konfidensintervall nedre", "Ovre": "Konfidensintervall övre", "Antal": "Antal svar"},
        "unit": {"Andel": {"base": "procent", "decimals": 1}}}},
    "Tid": {"label": "år", "category": {"index": {"2021-2024": 0}, "label": {"2021-2024": "2021-2024"}}}
  },
  "value": [60.1, 59.5, 60.7, 12000,  62.0, 61.2, 62.8, 6500,  58.0, 57.1, 58.9, 5500,
            55.0, 52.0, 58.0, 800,    null, null, null, 12,    54.0, 50.5, 57.5, 390],
  "status": {"16": "..", "17": "..", "18": "..", "19": ".."},
  "extension": {"px": {"tableid": "FHD01"}}
})";

constexpr const char* kFolkhalsodataMapping = R"({
  "dimensions": {
    "ContentsCode": {"role": "parts",
                     "categories": {"Andel": "value", "Lagre": "ci_low", "Ovre": "ci_high",
                                    "Antal": "respondents"}},
    "Kon": {"role": "breakdown", "name": "sex"}
  },
  "indicators_note": null
})";

TEST(JsonStatRead, FolkhalsodataPartsBecomeOneObservation) {
  auto bad_mapping = ReadJsonStatMapping(kFolkhalsodataMapping, "fhd.json");
  ASSERT_FALSE(bad_mapping);  // unknown key
  EXPECT_EQ(FirstPointer(bad_mapping.error()), "/indicators_note");

  auto mapping = ReadJsonStatMapping(R"({
    "dimensions": {
      "ContentsCode": {"role": "parts",
                       "categories": {"Andel": "value", "Lagre": "ci_low", "Ovre": "ci_high",
                                      "Antal": "respondents"}},
      "Kon": {"role": "breakdown", "name": "sex"}
    },
    "table": "unused-because-the-file-has-one"
  })",
                                     "fhd.json");
  ASSERT_TRUE(mapping) << mapping.error().message;
  JsonStatOptions options;
  options.mapping = &*mapping;
  auto batch = ReadJsonStat(kFolkhalsodata, "fhd_data.json", options);
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->observations.size(), 6u);
  ASSERT_EQ(batch->indicators.size(), 1u);
  EXPECT_EQ(batch->indicators[0].definition.code, "FHD01");
  // No metric dimension: the unit is the value part's ("Andel": base "procent").
  EXPECT_EQ(batch->indicators[0].definition.unit, "procent");
  EXPECT_EQ(batch->indicators[0].definition.decimals, 1);  // and its decimals
  EXPECT_EQ(batch->indicators[0].definition.value_type, ValueType::kProportion);
  ASSERT_EQ(batch->areas.size(), 2u);
  EXPECT_EQ(batch->areas[0].code, "0000");
  EXPECT_EQ(batch->areas[1].code, "0024");
  EXPECT_EQ(batch->areas[1].label, "Västerbottens län");

  const auto& total = batch->observations[0];
  EXPECT_EQ(total.value, 60.1);
  EXPECT_EQ(total.ci_low, 59.5);
  EXPECT_EQ(total.ci_high, 60.7);
  EXPECT_EQ(total.respondents, 12000);
  EXPECT_EQ(total.breakdown, 0u);
  EXPECT_EQ(PeriodCode(*PeriodFromKey(total.period)), "2021-2024");
  EXPECT_EQ(batch->Where(total), "fhd_data.json#/value/0");

  const auto& women = batch->observations[1];
  EXPECT_EQ(BreakdownKey(batch->breakdowns[women.breakdown]), R"({"sex":"women"})");
  EXPECT_EQ(women.value, 62.0);
  EXPECT_EQ(women.respondents, 6500);
  EXPECT_EQ(batch->Where(women), "fhd_data.json#/value/4");
  EXPECT_EQ(BreakdownKey(batch->breakdowns[batch->observations[2].breakdown]), R"({"sex":"men"})");

  const auto& missing = batch->observations[4];  // Västerbotten, women: ".."
  EXPECT_FALSE(Present(missing.value));
  EXPECT_FALSE(Present(missing.ci_low));
  EXPECT_FALSE(Present(missing.respondents));
  EXPECT_TRUE(missing.status & kObservationMissing);
  EXPECT_EQ(batch->areas[missing.area].code, "0024");
  EXPECT_FALSE(batch->observations[5].status & kObservationMissing);
  EXPECT_EQ(batch->observations[5].ci_high, 57.5);

  // Without the mapping the content codes are four indicators.
  auto plain = ReadJsonStat(kFolkhalsodata, "fhd_data.json", {});
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain->indicators.size(), 4u);
  EXPECT_EQ(plain->observations.size(), 24u);
  EXPECT_EQ(plain->indicators[0].definition.code, "FHD01.Andel");
  EXPECT_EQ(plain->indicators[0].definition.unit, "procent");
  EXPECT_EQ(plain->indicators[0].definition.value_type, ValueType::kProportion);
}

TEST(JsonStatRead, MappingNamesIndicatorsAndBreakdowns) {
  auto mapping = ReadJsonStatMapping(R"({
    "dimensions": {
      "ContentsCode": {"indicators": {"HE0110J8": {"code": "median_income", "title": "Medianinkomst",
                                                   "value_type": "mean", "direction": "higher"}}},
      "Alder": {"role": "breakdown", "name": "age", "categories": {"tot16+": "16plus"}}
    },
    "area": "2480"
  })",
                                     "m.json");
  ASSERT_TRUE(mapping) << mapping.error().message;
  JsonStatOptions options;
  options.mapping = &*mapping;
  auto batch = ReadJsonStat(ReadText(kPxWeb + "scb-v1/mock__response_se.json"), "se.json", options);
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->indicators.size(), 1u);
  EXPECT_EQ(batch->indicators[0].definition.code, "median_income");
  EXPECT_EQ(batch->indicators[0].definition.value_type, ValueType::kMean);
  EXPECT_EQ(batch->indicators[0].definition.direction, Direction::kHigher);
  ASSERT_EQ(batch->areas.size(), 1u);
  EXPECT_EQ(batch->areas[0].code, "2480");
  EXPECT_EQ(BreakdownKey(batch->breakdowns[batch->observations[0].breakdown]),
            R"({"age":"16plus","sex":"men"})");
}

struct BrokenCase {
  std::string name;
  std::string text;
  std::string pointer;  // of the first problem
};

// A small valid dataset the broken cases start from.
std::string Small(const std::string& value = "[1,2,3,4]", const std::string& size = "[2,2]",
                  const std::string& extra = "") {
  return R"({"version":"2.0","class":"dataset","id":["Region","Tid"],"size":)" + size +
         R"(,"dimension":{"Region":{"category":{"index":["01","24"]}},)"
         R"("Tid":{"category":{"index":{"2020":0,"2021":1}}}},"value":)" +
         value + extra + "}";
}

TEST(JsonStatRead, BrokenFilesFailWithAPointer) {
  ASSERT_TRUE(ReadJsonStat(Small(), "ok.json", {}));
  const BrokenCase cases[] = {
      {"truncated", Small().substr(0, Small().size() / 2), ""},
      {"truncated inside",
       R"({"class":"dataset","id":["a"],"size":[1],"value":[1,)"
       "\n}",
       ""},
      {"invalid UTF-8", Small("[1,2,3,4]", "[2,2]", ",\"label\":\"\xff\""), ""},
      {"not JSON", "hello", ""},
      {"trailing garbage", Small() + "{}", ""},
      {"huge number", Small("[1,2,1e400,4]"), "/value/2"},
      {"huge number elsewhere", Small("[1,2,3,4]", "[2,2]", R"(,"extension":{"x":-1e999})"),
       "/extension/x"},
      {"string value", Small(R"([1,"two",3,4])"), "/value/1"},
      {"duplicate top key", Small("[1,2,3,4]", "[2,2]", R"(,"value":[1,2,3,4])"), "/value"},
      {"duplicate category key",
       R"({"class":"dataset","id":["Tid"],"size":[1],"dimension":{"Tid":{"category":{"index":{"2020":0,"2020":0}}}},"value":[1]})",
       "/dimension/Tid/category/index/2020"},
      {"duplicate dimension",
       R"({"class":"dataset","id":["Tid"],"size":[1],"dimension":{"Tid":{"category":{"index":["2020"]}},"Tid":{"category":{"index":["2020"]}}},"value":[1]})",
       "/dimension/Tid"},
      {"size does not match categories", Small("[1,2,3,4,5,6]", "[3,2]"), "/size/0"},
      {"too few values", Small("[1,2,3]"), "/value"},
      {"too many values", Small("[1,2,3,4,5]"), "/value/4"},
      {"sparse index out of range", Small(R"({"0":1,"4":2})"), "/value/4"},
      {"sparse index not a number", Small(R"({"0":1,"x":2})"), "/value/x"},
      {"sparse duplicate", Small(R"({"0":1,"0":2})"), "/value/0"},
      {"size overflow",
       R"({"class":"dataset","id":["a","b","Tid"],"size":[4294967296,4294967296,1],"dimension":{},"value":[1]})",
       "/size/1"},
      {"index out of range",
       R"({"class":"dataset","id":["Tid"],"size":[2],"dimension":{"Tid":{"category":{"index":{"2020":0,"2021":2}}}},"value":[1,2]})",
       "/dimension/Tid/category/index/2021"},
      {"index position twice",
       R"({"class":"dataset","id":["Tid"],"size":[2],"dimension":{"Tid":{"category":{"index":{"2020":0,"2021":0}}}},"value":[1,2]})",
       "/dimension/Tid/category/index/2021"},
      {"index code twice",
       R"({"class":"dataset","id":["Tid"],"size":[2],"dimension":{"Tid":{"category":{"index":["2020","2020"]}}},"value":[1,2]})",
       "/dimension/Tid/category/index/1"},
      {"status of the wrong length", Small("[1,2,3,4]", "[2,2]", R"(,"status":["a","b"])"),
       "/status"},
      {"dimension missing",
       R"({"class":"dataset","id":["Tid","Kon"],"size":[1,1],"dimension":{"Tid":{"category":{"index":["2020"]}}},"value":[1]})",
       "/id/1"},
      {"time category not a period",
       R"({"class":"dataset","id":["Tid"],"size":[1],"dimension":{"Tid":{"category":{"index":["last year"]}}},"value":[1]})",
       "/dimension/Tid/category/index/0"},
      {"negative size", Small("[1,2,3,4]", "[-2,2]"), "/size/0"},
      {"broken JSON in a note", Small("[1,2,3,4]", "[2,2]", R"(,"note":[1,}])"), ""},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.name);
    auto batch = ReadJsonStat(test_case.text, "bad.json", {});
    ASSERT_FALSE(batch);
    EXPECT_EQ(batch.error().code, ErrorCode::kInvalidValue);
    EXPECT_FALSE(batch.error().message.empty());
    if (!test_case.pointer.empty()) {
      EXPECT_EQ(FirstPointer(batch.error()), test_case.pointer) << batch.error().message;
    }
    // Flattening shows labels: it does not read periods.
    if (test_case.name != "time category not a period") {
      EXPECT_FALSE(FlattenJsonStat(test_case.text, "bad.json"));
    }
  }
}

TEST(JsonStatRead, MangledUpdatedFieldIsIgnored) {
  auto text = ReadText(kPxWeb + "scb-v1/mock__response_se.json");
  ASSERT_NE(text.find("05: 52: 00Z"), std::string::npos);
  EXPECT_TRUE(ReadJsonStat(text, "se.json", {}));
}

TEST(JsonStatRead, EveryPrefixOfARealFileFailsCleanly) {
  // Truncation anywhere: an error, never a crash (ASan/UBSan watch this in the debug build).
  auto text = ReadText(kPxWeb + "scb-v1/mock__response_se.json");
  for (std::size_t length = 0; length + 1 < text.size(); length += 7) {
    auto prefix = text.substr(0, length);
    if (prefix.find_last_not_of(" \r\n\t") != std::string::npos &&
        prefix[prefix.find_last_not_of(" \r\n\t")] == '}') {
      continue;  // might be complete JSON of an inner object only; still must not crash
    }
    EXPECT_FALSE(ReadJsonStat(prefix, "cut.json", {})) << length;
  }
}

// Issue 14, item 8: JSON-stat as users meet it. The real samples in the repository.
const std::string kSamples =
    std::string(HALSONAV_SOURCE_DIR) + "/tests/data/pxweb/jsonstat-samples/";

TEST(JsonStatRead, ABareJsonStat1xDatasetAtTheTopImports) {
  // oecd-canada.json is a 1.x bundle of two datasets without `class`; each one taken out of the
  // bundle is a bare 1.x dataset ({"dimension": {…, "id", "size"}, "value": […]}).
  const auto bundle_text = ReadText(kSamples + "oecd-canada.json");
  auto bundle = ReadJsonStat(bundle_text, "bundle.json", {});
  ASSERT_TRUE(bundle) << bundle.error().message;
  const auto json = nlohmann::json::parse(bundle_text);
  struct Case {
    std::string name;
    std::size_t dataset;  // in the bundle
    std::size_t observations;
  };
  for (const Case& test_case : {Case{"oecd", 0, 432}, Case{"canada", 1, 120}}) {
    SCOPED_TRACE(test_case.name);
    ASSERT_FALSE(json[test_case.name].contains("class"));
    const std::string text = json[test_case.name].dump(1);
    auto bare = ReadJsonStat(text, test_case.name + ".json", {});
    ASSERT_TRUE(bare) << bare.error().message;
    EXPECT_EQ(bare->dataset_pointers, std::vector<std::string>{""});
    ASSERT_EQ(bare->observations.size(), test_case.observations);
    EXPECT_EQ(bare->Where(bare->observations.front()), test_case.name + ".json#/value/0");
    ExpectValuesAsInFile(*bare, text);
    // The same observations as the bundle's dataset, in the same order.
    std::vector<const ObservationDraft*> in_bundle;
    for (const auto& observation : bundle->observations) {
      if ((observation.origin >> 40) == test_case.dataset) in_bundle.push_back(&observation);
    }
    ASSERT_EQ(in_bundle.size(), bare->observations.size());
    for (std::size_t idx = 0; idx < in_bundle.size(); ++idx) {
      const auto& mine = bare->observations[idx];
      const auto& theirs = *in_bundle[idx];
      EXPECT_EQ(mine.origin & ((std::uint64_t{1} << 40) - 1),
                theirs.origin & ((std::uint64_t{1} << 40) - 1));
      EXPECT_EQ(mine.status, theirs.status);
      EXPECT_EQ(bare->areas[mine.area].code, bundle->areas[theirs.area].code);
      EXPECT_EQ(mine.period, theirs.period);
      if (Present(theirs.value)) {
        EXPECT_EQ(mine.value, theirs.value);
      }
    }
  }
  // A bare dataset with a problem is read by the passes that report it, with its pointer.
  auto broken = json["canada"];
  broken["value"][3] = "three";
  auto read = ReadJsonStat(broken.dump(), "broken.json", {});
  ASSERT_FALSE(read);
  EXPECT_EQ(FirstPointer(read.error()), "/value/3") << read.error().message;
  // Keys that are no dataset's stay "not JSON-stat data".
  EXPECT_FALSE(ReadJsonStat(R"({"dimension": {"a": 1}})", "d.json", {}));
}

TEST(JsonStatRead, ATruncatedFileSaysWhereItEnds) {
  const auto text = ReadText(kSamples + "us-unr.json");
  ASSERT_GT(text.size(), 1000u);
  // The place of a byte offset, counted here on its own.
  auto place_of = [&](const std::string& cut, std::size_t offset) {
    std::size_t line = 1, column = 1;
    for (std::size_t pos = 0; pos < offset; ++pos) {
      if (cut[pos] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return std::make_pair(line, column);
  };
  for (std::size_t length : {text.size() / 3, text.size() / 2, text.size() - 20}) {
    SCOPED_TRACE(length);
    std::string cut = text.substr(0, length);
    while (!cut.empty() && (cut.back() == '}' || cut.back() == ']' || std::isspace(cut.back()))) {
      cut.pop_back();  // a cut that ends like JSON is the other case below
    }
    auto read = ReadJsonStat(cut, "cut.json", {});
    ASSERT_FALSE(read);
    const auto [line, column] = place_of(cut, cut.size() - 1);
    EXPECT_EQ(FirstPointer(read.error()), fmt::format("cut.json:{}:{}", line, column));
    EXPECT_NE(read.error().message.find(fmt::format("at line {} column {}", line, column)),
              std::string::npos)
        << read.error().message;
  }
  // Cut right after an inner object: the brackets do not close.
  const auto inner = text.find("}", text.size() / 2);
  ASSERT_NE(inner, std::string::npos);
  auto read = ReadJsonStat(text.substr(0, inner + 1), "cut.json", {});
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find("truncated"), std::string::npos) << read.error().message;
}

}  // namespace
}  // namespace halsonav::statsio
