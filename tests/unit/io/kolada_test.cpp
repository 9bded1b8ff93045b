#include "io/kolada.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "io/csv.hpp"
#include "problems.hpp"

namespace halsonav::statsio {
namespace {

using halsonav::testing::Problems;
using halsonav::testing::ProblemsOf;
using halsonav::testing::RepositoryFile;

// A values_*.csv row: the API's inner value and its item, as text.
struct Row {
  std::string gender;
  std::string count;
  std::string status;
  std::string value;  // the number exactly as the file writes it; "null" for none
  std::string kpi;
  std::string year;
  std::string municipality;
};

std::vector<Row> ReadValues(const std::string& path) {
  std::vector<Problem> problems;
  const auto table = csv::Parse(RepositoryFile("tests/data/" + path), path, problems);
  EXPECT_TRUE(problems.empty());
  std::vector<Row> rows;
  const auto& header = table.records.at(0).fields;
  std::map<std::string, std::size_t> column;
  for (std::size_t idx = 0; idx < header.size(); ++idx) column[header[idx].value] = idx;
  for (std::size_t idx = 1; idx < table.records.size(); ++idx) {
    const auto& fields = table.records[idx].fields;
    if (table.records[idx].Blank()) continue;
    const auto cell = [&](const char* name) { return fields.at(column.at(name)).value; };
    rows.push_back({cell("gender"), cell("count"), cell("status"), cell("value"), cell("kpi"),
                    cell("year"), cell("municipality_id")});
  }
  return rows;
}

std::string Item(const Row& row, bool v3) {
  // v3 writes the same item keys as v2; the test varies the key order between the two.
  const auto inner = fmt::format(R"({{"gender":"{}","count":{},"status":"{}","value":{}}})",
                                 row.gender, row.count, row.status, row.value);
  if (v3) {
    return fmt::format(R"({{"values":[{}],"period":{},"municipality":"{}","kpi":"{}"}})", inner,
                       row.year, row.municipality, row.kpi);
  }
  return fmt::format(R"({{"kpi":"{}","municipality":"{}","period":{},"values":[{}]}})", row.kpi,
                     row.municipality, row.year, inner);
}

// One v2 response holding every row.
std::string V2Response(const std::vector<Row>& rows) {
  std::string items;
  for (const auto& row : rows) items += (items.empty() ? "" : ",\n") + Item(row, false);
  return fmt::format(R"({{"count":{},"values":[{}],"next_page":null,"previous_page":null}})",
                     rows.size(), items);
}

// A JSON array of v3 pages of `per_page` items each.
std::string V3Pages(const std::vector<Row>& rows, std::size_t per_page) {
  std::string pages;
  for (std::size_t start = 0; start < rows.size(); start += per_page) {
    std::string items;
    for (std::size_t idx = start; idx < std::min(rows.size(), start + per_page); ++idx) {
      // Appended in two steps: GCC 12 at -O3 warns falsely (-Wrestrict) on `"," + string`.
      if (!items.empty()) items += ',';
      items += Item(rows[idx], true);
    }
    const bool last = start + per_page >= rows.size();
    pages += fmt::format(R"({}{{"values":[{}],"count":{},"next_url":{}}})",
                         pages.empty() ? "" : ",\n", items, std::min(per_page, rows.size() - start),
                         last ? "null" : "\"https://api.kolada.se/v3/data/…?page=2\"");
  }
  return "[" + pages + "]";
}

double Parse(const std::string& text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  EXPECT_EQ(error, std::errc());
  EXPECT_EQ(end, text.data() + text.size());
  return value;
}

std::vector<Row> AllRows() {
  std::vector<Row> rows;
  for (const auto* path : {"kolada/values_N00945.csv", "kolada/values_N03702_3cities.csv",
                           "kolada/values_N03702_group.csv"}) {
    auto more = ReadValues(path);
    rows.insert(rows.end(), more.begin(), more.end());
  }
  // Women and men for one item each (these KPIs carry only T), and a missing value.
  rows.push_back({"K", "1", "", "30.5", "N00945", "1999", "0180"});
  rows.push_back({"M", "1", "", "29.25", "N00945", "1999", "0180"});
  rows.push_back({"T", "1", "Missing", "null", "N00945", "1999", "1280"});
  return rows;
}

using Key = std::tuple<std::string, std::string, std::int64_t, std::string>;

// Every row comes back once, its value the same double as the CSV's text gives.
void ExpectRows(const StatsBatch& batch, const std::vector<Row>& rows) {
  ASSERT_EQ(batch.observations.size(), rows.size());
  std::map<Key, const ObservationDraft*> by_key;
  for (const auto& observation : batch.observations) {
    const auto& breakdown = batch.breakdowns.at(observation.breakdown);
    const std::string sex = breakdown.empty() ? "total" : breakdown.at(0).second;
    by_key[{batch.indicators.at(observation.indicator).definition.code,
            batch.areas.at(observation.area).code, observation.period, sex}] = &observation;
  }
  for (const auto& row : rows) {
    const std::string sex = row.gender == "T" ? "total" : row.gender == "K" ? "women" : "men";
    const Key key{row.kpi, row.municipality, PeriodKey(*ParsePeriod(row.year)), sex};
    ASSERT_TRUE(by_key.count(key)) << row.kpi << " " << row.municipality << " " << row.year;
    const auto& observation = *by_key.at(key);
    if (row.value == "null") {
      EXPECT_FALSE(Present(observation.value));
      EXPECT_EQ(observation.status, kObservationMissing);
    } else {
      EXPECT_EQ(observation.value, Parse(row.value)) << row.value;  // exactly the same double
      EXPECT_EQ(observation.status, 0);
    }
    EXPECT_FALSE(Present(observation.numerator));
    EXPECT_FALSE(Present(observation.respondents));  // count is not a number of people
  }
}

TEST(KoladaData, ReadsTheRealValuesAsOneV2Response) {
  const auto rows = AllRows();
  ASSERT_EQ(rows.size(), 63u + 48u + 192u + 3u);
  auto batch = ReadKoladaData(V2Response(rows), "n00945.json");
  ASSERT_TRUE(batch.has_value()) << batch.error().message;
  EXPECT_EQ(batch->origin_kind, OriginKind::kKoladaValue);
  ExpectRows(*batch, rows);
  ASSERT_EQ(batch->indicators.size(), 3u);
  EXPECT_EQ(batch->indicators[0].definition.code, "N00945");
  EXPECT_EQ(batch->indicators[0].definition.source, IndicatorSource::kKolada);
  EXPECT_EQ(batch->indicators[0].definition.source_code, "N00945");
  EXPECT_EQ(batch->indicators[0].where, "n00945.json#/values/0/kpi");
  EXPECT_EQ(batch->indicators[1].definition.code, "N03702");
  EXPECT_EQ(batch->indicators[2].definition.code, "N03703");
  ASSERT_EQ(batch->breakdowns.size(), 3u);
  EXPECT_TRUE(batch->breakdowns[0].empty());
  EXPECT_EQ(batch->breakdowns[1], (Breakdown{{"sex", "women"}}));
  EXPECT_EQ(batch->breakdowns[2], (Breakdown{{"sex", "men"}}));
  EXPECT_EQ(batch->areas[0].code, "0180");
  EXPECT_EQ(batch->Where(batch->observations[5]), "n00945.json#/values/5/values/0");
}

TEST(KoladaData, ReadsTheRealValuesAsV3PagesOfFive) {
  const auto rows = AllRows();
  const auto text = V3Pages(rows, 5);
  auto batch = ReadKoladaData(text, "pages.json");
  ASSERT_TRUE(batch.has_value()) << batch.error().message;
  ExpectRows(*batch, rows);
  // origin counts items across pages: item 7 is the third item of the second page.
  EXPECT_EQ(batch->observations[7].origin, std::uint64_t{7} << 8);
}

TEST(KoladaData, GenderKAndMAndStatuses) {
  const std::string text = R"({"values":[
    {"kpi":"N1","municipality":"24","period":"2020","values":[
      {"gender":"T","count":1,"status":"","value":10},
      {"gender":"K","count":1,"status":"Missing","value":null},
      {"gender":"M","count":3,"status":null,"value":8.5,"isdeleted":false}]}]})";
  auto batch = ReadKoladaData(text, "x.json");
  ASSERT_TRUE(batch.has_value()) << batch.error().message;
  ASSERT_EQ(batch->observations.size(), 3u);
  EXPECT_EQ(batch->areas.at(0).code, "0024");  // two-digit county code normalised
  EXPECT_EQ(batch->observations[1].status, kObservationMissing);
  EXPECT_EQ(batch->observations[1].origin, 1u);
  EXPECT_EQ(batch->observations[2].value, 8.5);
  EXPECT_EQ(batch->Where(batch->observations[2]), "x.json#/values/0/values/2");
}

struct BadCase {
  const char* name;
  std::string text;
  Problems expected;  // every problem, in order
};

TEST(KoladaData, ReportsEveryProblemWithItsPointer) {
  const std::vector<BadCase> cases = {
      {"duplicate key",
       R"({"values":[{"kpi":"N1","kpi":"N2","municipality":"0180","period":2020,"values":[{"gender":"T","value":1,"value":2}]}]})",
       {{"f.json#/values/0/kpi",
         "the key \"kpi\" appears twice in one object; the second is ignored"},
        {"f.json#/values/0/values/0/value",
         "the key \"value\" appears twice in one object; the second is ignored"}}},
      {"ou",
       R"({"values":[{"kpi":"N1","ou":"V15E1","period":2020,"values":[]},{"kpi":"N1","ou":"V15E2","period":2020,"values":[]}]})",
       {{"f.json#/values/0",
         "organisational-unit data (\"ou\") is not supported: Hälsonav keeps municipality and "
         "region data; fetch /data/kpi/…/municipality/… instead"}}},
      {"unknown gender",
       R"({"values":[{"kpi":"N1","municipality":"0180","period":2020,"values":[{"gender":"F","value":1}]}]})",
       {{"f.json#/values/0/values/0/gender",
         "unknown gender \"F\"; Kolada writes T (total), K (women) or M (men)"}}},
      {"huge and out of range",
       R"({"values":[{"kpi":"N1","municipality":"0180","period":2020,"values":[{"gender":"T","value":1e16},{"gender":"K","value":1e400}]}]})",
       {{"f.json#/values/0/values/0/value",
         "1e+16 is beyond ±1e15: refused as an error in the file"},
        {"f.json#/values/0/values/1/value", "1e400 is not a finite number"}}},
      {"same observation twice",
       R"([{"values":[{"kpi":"N1","municipality":"0180","period":2020,"values":[{"gender":"T","value":1}]}]},
           {"values":[{"kpi":"N1","municipality":"0180","period":2020,"values":[{"gender":"K","value":1},{"gender":"T","value":2}]}]}])",
       {{"f.json#/1/values/0/values/1",
         "N1 × 0180 × 2020 × total appears twice: also f.json#/0/values/0/values/0"}}},
      {"gender twice in one item",
       R"({"values":[{"kpi":"N1","municipality":"0180","period":2020,"values":[{"gender":"T","value":1},{"gender":"T","value":2}]}]})",
       {{"f.json#/values/0/values/1",
         "gender \"T\" twice in one item: also f.json#/values/0/values/0"}}},
      {"unknown status, string value, bad period, missing keys",
       R"({"values":[{"kpi":"N1","municipality":"0180","period":20,"values":[{"gender":"T","status":"weird","value":"1"}]},{"kpi":"N1","values":[]}]})",
       {{"f.json#/values/0/period", "\"20\" is not a period (a year 1800–2200)"},
        {"f.json#/values/0/values/0/status",
         "unknown status \"weird\"; known: \"\" (none), Missing and the words listed in "
         "docs/kolada-and-csv.md"},
        {"f.json#/values/0/values/0/value", "\"value\" must be a number or null; it is a string"},
        {"f.json#/values/1", "the item has no \"municipality\""},
        {"f.json#/values/1", "the item has no \"period\""}}},
      {"not a response",
       R"({"count":0})",
       {{"f.json#", "no \"values\": not a Kolada data response"}}},
  };
  for (const auto& test : cases) {
    auto batch = ReadKoladaData(test.text, "f.json");
    ASSERT_FALSE(batch.has_value()) << test.name;
    EXPECT_EQ(ProblemsOf(batch.error()), test.expected) << test.name;
  }
}

TEST(KoladaData, TruncatedAndInvalidUtf8AreProblemsWithAPlace) {
  const std::string whole =
      R"({"values":[{"kpi":"N1","municipality":"0180","period":2020,"values":[{"gender":"T","value":1}]}]})";
  auto truncated = ReadKoladaData(whole.substr(0, whole.size() - 10), "t.json");
  ASSERT_FALSE(truncated.has_value());
  auto problems = ProblemsOf(truncated.error());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_TRUE(problems[0].first.starts_with("t.json:1:")) << problems[0].first;
  EXPECT_TRUE(problems[0].second.starts_with("the JSON ends early")) << problems[0].second;

  const std::string bad_utf8 = "{\"values\":[\n{\"kpi\":\"N\xC3\x28\"}]}";
  auto invalid = ReadKoladaData(bad_utf8, "u.json");
  ASSERT_FALSE(invalid.has_value());
  problems = ProblemsOf(invalid.error());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].first, "u.json:2:10");
  EXPECT_EQ(problems[0].second, "invalid UTF-8 (byte 0xC3); JSON files are UTF-8");

  auto trailing = ReadKoladaData(whole + " x", "e.json");
  ASSERT_FALSE(trailing.has_value());
  EXPECT_EQ(ProblemsOf(trailing.error()), (Problems{{fmt::format("e.json:1:{}", whole.size() + 2),
                                                     "text after the end of the JSON value"}}));

  for (const auto* text : {"", "[]", "42", "{\"values\":{}}"}) {
    EXPECT_FALSE(ReadKoladaData(text, "n.json").has_value()) << text;
  }
}

// ---- Registry ----------------------------------------------------------------------------------

TEST(KoladaAreas, ReadsAll312WithKindsAndCounties) {
  auto areas =
      ReadKoladaAreas(RepositoryFile("data/national/municipalities.csv"), "municipalities.csv");
  ASSERT_TRUE(areas.has_value()) << areas.error().message;
  ASSERT_EQ(areas->size(), 312u);
  std::map<AreaKind, int> kinds;
  std::map<std::string, const Area*> by_code;
  for (const auto& area : *areas) {
    ++kinds[area.kind];
    by_code[area.code] = &area;
    if (area.kind == AreaKind::kMunicipality) {
      EXPECT_EQ(area.county_code, "00" + area.code.substr(0, 2)) << area.code;
    } else {
      EXPECT_EQ(area.county_code, "");
    }
  }
  EXPECT_EQ(kinds[AreaKind::kCountry], 1);
  EXPECT_EQ(kinds[AreaKind::kRegion], 21);
  EXPECT_EQ(kinds[AreaKind::kMunicipality], 290);
  EXPECT_EQ(by_code.at("0000")->name, "Riket");
  EXPECT_EQ(by_code.at("0024")->kind, AreaKind::kRegion);
  EXPECT_EQ(by_code.at("2480")->name, "Umeå");
  EXPECT_EQ(by_code.at("2480")->county_code, "0024");
  EXPECT_EQ(by_code.at("0180")->county_code, "0001");
  for (const auto& area : *areas) {
    if (area.kind == AreaKind::kMunicipality) {
      EXPECT_TRUE(by_code.count(area.county_code));
    }
  }
}

TEST(KoladaAreas, ReadsTheApiJsonShapeAndReportsProblems) {
  auto areas = ReadKoladaAreas(
      R"({"values":[{"id":"0000","title":"Riket","type":"L"},{"id":"2480","title":"Umeå","type":"K"}],"count":2})",
      "m.json");
  ASSERT_TRUE(areas.has_value()) << areas.error().message;
  ASSERT_EQ(areas->size(), 2u);
  EXPECT_EQ((*areas)[0].kind, AreaKind::kCountry);
  EXPECT_EQ((*areas)[1].county_code, "0024");

  auto bad = ReadKoladaAreas(
      R"({"values":[{"id":"2480","title":"Umeå","type":"K"},{"id":"2480","title":"Umeå","type":"K"},{"id":"9","title":"X","type":"Q"}]})",
      "m.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(ProblemsOf(bad.error()),
            (Problems{{"m.json#/values/1", "area 2480 twice: also m.json#/values/0"},
                      {"m.json#/values/2",
                       "unknown area type \"Q\" for 9; Kolada writes K (municipality) or L "
                       "(region, and Riket 0000)"}}));

  auto bad_csv =
      ReadKoladaAreas("id,title,type\n0001,Region Stockholm,L\n0180,,K\n0180x,X,K\n", "m.csv");
  ASSERT_FALSE(bad_csv.has_value());
  EXPECT_EQ(ProblemsOf(bad_csv.error()),
            (Problems{{"m.csv:3:1", "area 0180 has no title"},
                      {"m.csv:4:1",
                       "\"0180x\" is type K (municipality) but not a four-digit municipality code "
                       "such as 2480"}}));
}

TEST(KoladaGroups, ReadsEveryGroupAndMemberInFileOrder) {
  auto groups =
      ReadKoladaGroups(RepositoryFile("data/national/municipality_groups.csv"), "groups.csv");
  ASSERT_TRUE(groups.has_value()) << groups.error().message;
  ASSERT_EQ(groups->size(), 3630u);
  std::size_t members = 0;
  for (const auto& group : *groups) {
    members += group.members.size();
    EXPECT_EQ(group.source, "kolada");
  }
  EXPECT_EQ(members, 26573u);
  const auto& first = groups->front();
  EXPECT_EQ(first.code, "G114418");
  EXPECT_EQ(first.title, "Fyrkommunsnätverket (ovägt medel)");
  EXPECT_EQ(first.members, (std::vector<std::string>{"0682", "1499", "1885", "2081"}));
  EXPECT_EQ(groups->back().code, "G96416");

  auto bad = ReadKoladaGroups(
      "group_id,group_title,member_id,member_title\nG1,A,0180,S\nG1,B,1280,M\nG1,A,0180,S\n",
      "g.csv");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(ProblemsOf(bad.error()),
            (Problems{{"g.csv:3:2", "group G1 is titled \"B\" here but \"A\" on line 2"},
                      {"g.csv:4:3", "0180 is listed twice in group G1: also line 2"}}));
}

TEST(KoladaCatalogue, Reads6099KpisWithUnitsAndValueTypes) {
  auto catalogue =
      ReadKoladaCatalogue(RepositoryFile("data/national/kpi_catalogue.csv"), "kpi.csv");
  ASSERT_TRUE(catalogue.has_value()) << catalogue.error().message;
  ASSERT_EQ(catalogue->size(), 6099u);
  std::map<ValueType, int> types;
  std::map<std::string, const Indicator*> by_code;
  int divided = 0;
  for (const auto& indicator : *catalogue) {
    ++types[indicator.value_type];
    by_code[indicator.code] = &indicator;
    EXPECT_EQ(indicator.source, IndicatorSource::kKolada);
    EXPECT_EQ(indicator.direction, Direction::kNone);
    if (!indicator.dimensions.empty()) ++divided;
  }
  EXPECT_EQ(divided, 2313);
  // The coverage docs/kolada-and-csv.md reports: KPIs given a value type other than kOther.
  const int typed = 6099 - types[ValueType::kOther];
  EXPECT_EQ(typed, 5475) << "proportion " << types[ValueType::kProportion] << " rate "
                         << types[ValueType::kRate] << " count " << types[ValueType::kCount]
                         << " ratio " << types[ValueType::kRatio] << " mean "
                         << types[ValueType::kMean] << " index " << types[ValueType::kIndex];
  const auto& staff = *by_code.at("N00003");  // "Personalkostnader, kr/inv"
  EXPECT_EQ(staff.unit, "kr/inv");
  EXPECT_EQ(staff.value_type, ValueType::kRatio);
  EXPECT_EQ(staff.operating_area, "Kommunen, övergripande");
  EXPECT_TRUE(staff.description.starts_with("Personalkostnader kommunen totalt"));
}

TEST(KoladaCatalogue, TitleHeuristics) {
  const std::string text =
      "id,title,is_divided_by_gender\n"
      "A1,\"Elever, andel (%)\",TRUE\n"
      "A2,\"Invånare, antal\",FALSE\n"
      "A3,\"Anmälda brott, antal/100 000 inv\",FALSE\n"
      "A4,\"Besök, per 1 000 inv\",FALSE\n"
      "A5,\"Nöjdhet, index (-2023)\",FALSE\n"
      "A6,\"Meritvärde, genomsnitt\",FALSE\n"
      "A7,\"Kostnad, tkr\",FALSE\n"
      "A8,Utan komma,FALSE\n";
  auto catalogue = ReadKoladaCatalogue(text, "c.csv");
  ASSERT_TRUE(catalogue.has_value()) << catalogue.error().message;
  const auto& kpis = *catalogue;
  ASSERT_EQ(kpis.size(), 8u);
  EXPECT_EQ(kpis[0].value_type, ValueType::kProportion);
  EXPECT_EQ(kpis[0].unit, "%");
  EXPECT_EQ(kpis[0].dimensions, (std::vector<std::string>{"sex"}));
  EXPECT_EQ(kpis[1].value_type, ValueType::kCount);
  EXPECT_EQ(kpis[1].unit, "antal");
  EXPECT_EQ(kpis[2].value_type, ValueType::kRate);
  EXPECT_EQ(kpis[2].per, 100000);
  EXPECT_EQ(kpis[2].unit, "antal/100 000 inv");
  EXPECT_EQ(kpis[3].value_type, ValueType::kRate);
  EXPECT_EQ(kpis[3].per, 1000);
  EXPECT_EQ(kpis[4].value_type, ValueType::kIndex);
  EXPECT_EQ(kpis[5].value_type, ValueType::kMean);
  EXPECT_EQ(kpis[6].value_type, ValueType::kOther);
  EXPECT_EQ(kpis[6].unit, "tkr");
  EXPECT_EQ(kpis[7].value_type, ValueType::kOther);
  EXPECT_EQ(kpis[7].unit, "");

  auto bad =
      ReadKoladaCatalogue("id,title,is_divided_by_gender\nA1,T,kanske\nA1,T,FALSE\n", "c.csv");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(ProblemsOf(bad.error()), (Problems{{"c.csv:2:3", "\"kanske\" is not TRUE or FALSE"},
                                               {"c.csv:3:1", "KPI A1 twice: also line 2"}}));
}

}  // namespace
}  // namespace halsonav::statsio
