// The pure parts of the fetchers: Kolada's URLs and paging links, the KPI metadata answer, and
// PxWeb's addresses, metadata, limits, queries and their splitting (io/kolada_api.hpp,
// io/pxweb_api.hpp), on the real answers stored in tests/data/pxweb.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/json_codec.hpp"
#include "io/kolada_api.hpp"
#include "io/pxweb_api.hpp"

namespace halsonav::statsio {
namespace {

std::string Repo(const std::string& path) {
  std::ifstream in(std::string(HALSONAV_SOURCE_DIR) + "/" + path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Codes(const std::string& prefix, int count) {
  std::vector<std::string> out;
  for (int idx = 0; idx < count; ++idx) out.push_back(prefix + std::to_string(1000 + idx));
  return out;
}

TEST(KoladaApi, DataUrlsNameKpisAreasAndYears) {
  const auto urls = KoladaDataUrls(
      "https://api.kolada.se", KoladaRequest{{"N00945", "N03702"}, {"0180", "1480"}, 2010, 2012});
  ASSERT_EQ(urls.size(), 1U);
  EXPECT_EQ(urls[0],
            "https://api.kolada.se/v3/data/kpi/N00945,N03702/municipality/0180,1480/year/"
            "2010,2011,2012?per_page=5000");
  // No areas, no years: the parts are left out.
  EXPECT_EQ(KoladaDataUrls("http://h", KoladaRequest{{"N1"}, {}, 0, 0}),
            std::vector<std::string>{"http://h/v3/data/kpi/N1?per_page=5000"});
  EXPECT_EQ(KoladaDataUrls("http://h", KoladaRequest{{"N1"}, {}, 2020, 2020}),
            std::vector<std::string>{"http://h/v3/data/kpi/N1/year/2020?per_page=5000"});
}

TEST(KoladaApi, LongListsAreCutIntoSlicesThatCoverEverything) {
  const auto kpis = Codes("N", 45);    // 3 slices of ≤ 20
  const auto areas = Codes("A", 312);  // 4 slices of ≤ 100
  const auto urls = KoladaDataUrls("http://h", KoladaRequest{kpis, areas, 0, 0});
  ASSERT_EQ(urls.size(), 12U);
  std::map<std::string, int> asked;  // kpi|area → times
  for (const auto& url : urls) {
    EXPECT_LT(url.size(), 2000U) << url;
    const auto kpi_begin = url.find("/kpi/") + 5;
    const auto area_begin = url.find("/municipality/");
    const auto kpi_part = url.substr(kpi_begin, area_begin - kpi_begin);
    const auto area_part = url.substr(area_begin + 14, url.find('?') - area_begin - 14);
    std::stringstream kpi_list(kpi_part);
    for (std::string kpi; std::getline(kpi_list, kpi, ',');) {
      std::stringstream area_list(area_part);
      for (std::string area; std::getline(area_list, area, ',');) ++asked[kpi + "|" + area];
    }
  }
  EXPECT_EQ(asked.size(), 45U * 312U);
  for (const auto& [key, times] : asked) EXPECT_EQ(times, 1) << key;
  EXPECT_EQ(KoladaKpiUrls("http://h", kpis).size(), 3U);
}

TEST(KoladaApi, PageInfoFollowsNextPage) {
  auto info = ReadKoladaPageInfo(
      R"({"values": [{"kpi": "N1"}, {"kpi": "N2"}], "count": 7, "next_page": "http://h/p2"})", "u");
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->next_page, "http://h/p2");
  EXPECT_EQ(info->items, 2U);
  info = ReadKoladaPageInfo(R"({"count": 0, "values": [], "next_page": null})", "u");
  ASSERT_TRUE(info);
  EXPECT_TRUE(info->next_page.empty());
  // Cut short, or not an answer: refused, naming the URL.
  const std::string whole = R"({"values": [{"kpi": "N1", "values": []}], "next_page": null})";
  for (const auto& text : {whole.substr(0, whole.size() / 2), std::string("<html></html>"),
                           std::string(R"({"next_page": null})"), std::string("[]")}) {
    auto bad = ReadKoladaPageInfo(text, "http://h/x");
    ASSERT_FALSE(bad) << text;
    EXPECT_NE(bad.error().message.find("http://h/x"), std::string::npos);
  }
}

TEST(KoladaApi, KpiAnswerBecomesTheCatalogue) {
  auto kpis = ReadKoladaKpiAnswer(
      R"json({"count": 2, "values": [
        {"id": "N00945", "title": "Tillfälliga föräldrapenningdagar (VAB) som tas ut av män, andel av antal dagar (%)",
         "description": "Andel", "is_divided_by_gender": false, "operating_area": "Arbetsmarknad"},
        {"id": "N00002", "title": "Invånare, antal", "is_divided_by_gender": true}],
        "next_page": null})json",
      "http://h/v3/kpi/N00945");
  ASSERT_TRUE(kpis) << kpis.error().message;
  ASSERT_EQ(kpis->size(), 2U);
  EXPECT_EQ((*kpis)[0].code, "N00945");
  EXPECT_EQ((*kpis)[0].source, IndicatorSource::kKolada);
  EXPECT_EQ((*kpis)[0].operating_area, "Arbetsmarknad");
  EXPECT_EQ((*kpis)[0].value_type, ValueType::kProportion);
  EXPECT_TRUE((*kpis)[0].dimensions.empty());
  EXPECT_EQ((*kpis)[1].value_type, ValueType::kCount);
  EXPECT_EQ((*kpis)[1].dimensions, std::vector<std::string>{"sex"});
  auto bad = ReadKoladaKpiAnswer(R"({"values": [{"title": "x"}, 3]})", "u");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("u#/values/0/id"), std::string::npos) << bad.error().message;
}

TEST(KoladaApi, YearRanges) {
  EXPECT_EQ(*ParseYearRange("2010-2024"), std::pair(2010, 2024));
  EXPECT_EQ(*ParseYearRange("2020"), std::pair(2020, 2020));
  for (const auto* bad : {"", "2024-2010", "20x0", "1800", "2010-", "2010-2024-2025"}) {
    EXPECT_FALSE(ParseYearRange(bad)) << bad;
  }
}

TEST(PxWebApi, AddressesOfV1AndV2) {
  auto v2 = ParsePxWebAddress("https://api.scb.se/OV0104/v2beta/api/v2/tables/TAB6471?lang=sv");
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->version, PxWebVersion::kV2);
  EXPECT_EQ(v2->table_id, "TAB6471");
  EXPECT_EQ(v2->metadata_url,
            "https://api.scb.se/OV0104/v2beta/api/v2/tables/TAB6471/metadata?lang=sv");
  EXPECT_EQ(v2->data_url, "https://api.scb.se/OV0104/v2beta/api/v2/tables/TAB6471/data");
  EXPECT_EQ(v2->config_url, "https://api.scb.se/OV0104/v2beta/api/v2/config");
  EXPECT_EQ(v2->language, "sv");
  // The data address itself works too.
  v2 = ParsePxWebAddress("http://127.0.0.1:9/api/v2/tables/TAB6471/data?outputFormat=px");
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->config_url, "http://127.0.0.1:9/api/v2/config");
  EXPECT_EQ(v2->language, "");

  auto scb = ParsePxWebAddress("https://api.scb.se/OV0104/v1/doris/sv/ssd/HE/HE0110/SamForvInk1");
  ASSERT_TRUE(scb);
  EXPECT_EQ(scb->version, PxWebVersion::kV1);
  EXPECT_EQ(scb->data_url, "https://api.scb.se/OV0104/v1/doris/sv/ssd/HE/HE0110/SamForvInk1");
  EXPECT_EQ(scb->config_url, "https://api.scb.se/OV0104/v1/doris/sv/?config");
  auto fohm = ParsePxWebAddress(
      "https://fohm-app.folkhalsomyndigheten.se/Folkhalsodata/api/v1/sv/B_HLV/aHalsoutfall/"
      "HLV_Allmant_halsotillstand.px");
  ASSERT_TRUE(fohm);
  EXPECT_EQ(fohm->config_url,
            "https://fohm-app.folkhalsomyndigheten.se/Folkhalsodata/api/v1/sv/?config");
  EXPECT_EQ(fohm->table_id, "HLV_Allmant_halsotillstand.px");
  EXPECT_FALSE(ParsePxWebAddress("ftp://x/y"));
  EXPECT_FALSE(ParsePxWebAddress("https://host"));
}

TEST(PxWebApi, RealMetadataAndConfig) {
  auto v1 = ReadPxWebMetadata(
      PxWebVersion::kV1, Repo("tests/data/pxweb/scb-v1/mock__response_table_variables.json"), "v1");
  ASSERT_TRUE(v1) << v1.error().message;
  ASSERT_EQ(v1->variables.size(), 6U);
  EXPECT_EQ(v1->variables[0].code, "Region");
  EXPECT_EQ(v1->variables[0].values.size(), 312U);
  EXPECT_TRUE(v1->variables[0].elimination);
  EXPECT_FALSE(v1->variables[2].elimination);  // Alder
  EXPECT_TRUE(v1->variables[5].time);          // Tid

  auto v2 = ReadPxWebMetadata(PxWebVersion::kV2,
                              Repo("tests/data/pxweb/scb-v2/TAB6471_metadata.json"), "v2");
  ASSERT_TRUE(v2) << v2.error().message;
  std::vector<std::string> codes;
  std::vector<std::size_t> sizes;
  for (const auto& variable : v2->variables) {
    codes.push_back(variable.code);
    sizes.push_back(variable.values.size());
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"Region", "Alder", "Kon", "ContentsCode", "Tid"}));
  EXPECT_EQ(sizes, (std::vector<std::size_t>{312, 134, 3, 1, 16}));
  EXPECT_TRUE(v2->variables[2].elimination);
  EXPECT_TRUE(v2->variables[4].time);

  auto limits =
      ReadPxWebConfig(PxWebVersion::kV2, Repo("tests/data/pxweb/scb-v2/config.json"), "config");
  ASSERT_TRUE(limits);
  EXPECT_EQ(limits->max_cells, 150000U);
  EXPECT_EQ(limits->max_calls, 3);
  EXPECT_EQ(limits->window_s, 1);
  limits = ReadPxWebConfig(
      PxWebVersion::kV1, R"({"maxValues":150000,"maxCalls":30,"timeWindow":10,"CORS":true})", "c");
  ASSERT_TRUE(limits);
  EXPECT_EQ(limits->max_cells, 150000U);
  EXPECT_EQ(limits->max_calls, 30);
  EXPECT_EQ(limits->window_s, 10);
}

TEST(PxWebApi, UnselectedVariablesAreEliminatedOrWhole) {
  auto table = ReadPxWebMetadata(
      PxWebVersion::kV1, Repo("tests/data/pxweb/scb-v1/mock__response_table_variables.json"), "v1");
  ASSERT_TRUE(table);
  // The stored query's item selections; Region (value set) and Inkomstklass left out.
  auto selections = ReadPxWebQueryFile(Repo("tests/data/pxweb/scb-v1/queries__query_se.json"), "q");
  ASSERT_FALSE(selections);  // "vs:RegionRiket99" is a value set: refused, with its pointer
  EXPECT_NE(selections.error().message.find("q#/query/0/selection/filter"), std::string::npos)
      << selections.error().message;

  auto query = BuildPxWebQuery(
      *table, {{"Kon", {"1", "2", "1+2"}}, {"ContentsCode", {"HE0110J8"}}, {"Tid", {"top:3"}}});
  ASSERT_TRUE(query) << query.error().message;
  std::map<std::string, std::vector<std::string>> asked;
  for (const auto& variable : query->variables) asked[variable.code] = variable.values;
  EXPECT_FALSE(asked.contains("Region"));        // eliminable: its total
  EXPECT_FALSE(asked.contains("Inkomstklass"));  // eliminable
  EXPECT_EQ(asked["Alder"].size(), 19U);         // not eliminable: every value
  EXPECT_EQ(asked["Tid"], (std::vector<std::string>{"2020", "2021", "2022"}));  // the latest 3
  EXPECT_EQ(CellCount(*query), 3U * 19 * 1 * 3);

  auto bad = BuildPxWebQuery(*table, {{"Kön", {"1"}}, {"Tid", {"1850"}}});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("no variable \"Kön\""), std::string::npos);
  EXPECT_NE(bad.error().message.find("no code \"1850\""), std::string::npos);
}

TEST(PxWebApi, SplitPiecesFitAndCoverEveryCellOnce) {
  PxWebQuery query{{{"Region", Codes("R", 29)},
                    {"Alder", Codes("A", 11)},
                    {"Kon", {"1", "2"}},
                    {"Tid", Codes("T", 16)}}};
  ASSERT_EQ(CellCount(query), 29U * 11 * 2 * 16);
  for (const std::uint64_t max_cells : {5000ULL, 1000ULL, 100ULL, 7ULL, 1ULL}) {
    const auto pieces = SplitPxWebQuery(query, max_cells);
    std::set<std::string> seen;
    for (const auto& piece : pieces) {
      EXPECT_LE(CellCount(piece), max_cells);
      for (const auto& region : piece.variables[0].values) {
        for (const auto& age : piece.variables[1].values) {
          for (const auto& sex : piece.variables[2].values) {
            for (const auto& time : piece.variables[3].values) {
              EXPECT_TRUE(seen.insert(region + age + sex + time).second);
            }
          }
        }
      }
    }
    EXPECT_EQ(seen.size(), CellCount(query)) << max_cells;
  }
  EXPECT_EQ(SplitPxWebQuery(query, 10000000).size(), 1U);
  // SCB's 150,000 cells for every municipality × age × sex × month of a year: the municipalities
  // in runs of 46 (46 × 101 × 2 × 16 = 148,672 cells), 7 calls.
  PxWebQuery national{{{"Region", Codes("R", 290)},
                       {"Alder", Codes("A", 101)},
                       {"Kon", {"1", "2"}},
                       {"Tid", Codes("T", 16)}}};
  const auto pieces = SplitPxWebQuery(national, 150000);
  ASSERT_EQ(pieces.size(), 7U);
  EXPECT_EQ(pieces[0].variables[0].values.size(), 46U);
  EXPECT_EQ(pieces[6].variables[0].values.size(), 290U - 6 * 46);
}

TEST(PxWebApi, RequestsCarryTheQuery) {
  PxWebQuery query{{{"Kon", {"1", "2", "1+2"}}, {"Tid", {"2020"}}}};
  auto body = ParseJson(PxWebV1Body(query));
  ASSERT_TRUE(body);
  EXPECT_EQ((*body)["response"]["format"], "json-stat2");
  EXPECT_EQ((*body)["query"][0]["code"], "Kon");
  EXPECT_EQ((*body)["query"][0]["selection"]["filter"], "item");
  EXPECT_EQ((*body)["query"][0]["selection"]["values"][2], "1+2");
  auto address = ParsePxWebAddress("http://h/api/v2/tables/TAB6471?lang=sv");
  ASSERT_TRUE(address);
  EXPECT_EQ(PxWebV2DataUrl(*address, query),
            "http://h/api/v2/tables/TAB6471/data?outputFormat=json-stat2&lang=sv"
            "&valueCodes%5BKon%5D=1,2,1%2B2&valueCodes%5BTid%5D=2020");
  auto select = ParsePxWebSelect("Region=01,03");
  ASSERT_TRUE(select);
  EXPECT_EQ(select->code, "Region");
  EXPECT_EQ(select->values, (std::vector<std::string>{"01", "03"}));
  EXPECT_FALSE(ParsePxWebSelect("Region"));
  EXPECT_FALSE(ParsePxWebSelect("Region="));
  auto v2_file = ReadPxWebQueryFile(
      R"({"selection": [{"variableCode": "Kon", "valueCodes": ["1", "2"]}]})", "q");
  ASSERT_TRUE(v2_file);
  EXPECT_EQ((*v2_file)[0].values.size(), 2U);
}

}  // namespace
}  // namespace halsonav::statsio
