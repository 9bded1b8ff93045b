#include "io/stats_csv.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "problems.hpp"

namespace halsonav::statsio {
namespace {

using halsonav::testing::Problems;
using halsonav::testing::ProblemsOf;

StatsBatch ReadOk(std::string_view text, const StatsCsvOptions& options = {}) {
  auto result = ReadStatsCsv(text, "s.csv", options);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  return result ? std::move(*result) : StatsBatch{};
}

std::string PeriodOf(const ObservationDraft& observation) {
  return PeriodCode(*PeriodFromKey(observation.period));
}

TEST(StatsCsv, OpenSdgLayoutWithBlankTotalsAndCommas) {
  StatsCsvOptions options;
  options.indicator = "3-4-1";
  const auto batch = ReadOk(
      "Year,Sex,Age,Units,Value\n"
      "2020,,,percent,12.5\n"
      "2020,Female,,percent,13\n"
      "2020,Male,15-24,percent,\n"
      "2021,,Total,percent,-1.25e1\n",
      options);
  ASSERT_EQ(batch.observations.size(), 4u);
  ASSERT_EQ(batch.indicators.size(), 1u);
  EXPECT_EQ(batch.indicators[0].definition.code, "3-4-1");
  ASSERT_EQ(batch.areas.size(), 1u);
  EXPECT_EQ(batch.areas[0].code, "0000");  // options.area
  const auto& obs = batch.observations;
  EXPECT_EQ(obs[0].value, 12.5);
  // Units is the indicator's unit, not a breakdown (one unit: the code stays).
  EXPECT_EQ(batch.indicators[0].definition.unit, "percent");
  EXPECT_EQ(batch.indicators[0].definition.value_type, ValueType::kProportion);
  EXPECT_TRUE(batch.breakdowns[obs[0].breakdown].empty());
  EXPECT_EQ(batch.breakdowns[obs[1].breakdown], (Breakdown{{"sex", "women"}}));
  EXPECT_EQ(batch.breakdowns[obs[2].breakdown], (Breakdown{{"age", "15-24"}, {"sex", "men"}}));
  EXPECT_FALSE(Present(obs[2].value));
  EXPECT_EQ(obs[2].status, kObservationMissing);
  EXPECT_EQ(obs[3].value, -12.5);
  EXPECT_EQ(obs[3].breakdown, obs[0].breakdown);  // "Total" is left out
  EXPECT_EQ(PeriodOf(obs[3]), "2021");
  EXPECT_EQ(batch.Where(obs[2]), "s.csv:4");
  EXPECT_TRUE(batch.breakdowns[0].empty());
}

TEST(StatsCsv, OwnLayoutInSwedishWithBomSemicolonsAndDecimalComma) {
  const auto batch = ReadOk(
      "\xEF\xBB\xBF"
      "Indikator;Område;Period;Kön;Utbildning;Värde;Nedre;Övre;Täljare;Nämnare;Antal svarande;"
      "Status\r\n"
      "FH01;24;2021-2024;Kvinnor;Förgymnasial;12,5;10,1;15,0;125;1000;980;preliminär\r\n"
      "FH01;2480;2022Q1;totalt;totalt;..;;;;;;saknas\r\n"
      "FH01;2480;2022;män;;7;;;;;;sekretess|tidsseriebrott\r\n");
  ASSERT_EQ(batch.observations.size(), 3u);
  EXPECT_EQ(batch.indicators.at(0).definition.code, "FH01");
  EXPECT_EQ(batch.indicators.at(0).where, "s.csv:2:1");
  EXPECT_EQ(batch.areas.at(0).code, "0024");
  EXPECT_EQ(batch.areas.at(1).code, "2480");
  const auto& first = batch.observations[0];
  EXPECT_EQ(first.value, 12.5);
  EXPECT_EQ(first.ci_low, 10.1);
  EXPECT_EQ(first.ci_high, 15.0);
  EXPECT_EQ(first.numerator, 125);
  EXPECT_EQ(first.denominator, 1000);
  EXPECT_EQ(first.respondents, 980);
  EXPECT_EQ(first.status, kObservationProvisional);
  EXPECT_EQ(PeriodOf(first), "2021-2024");
  EXPECT_EQ(batch.breakdowns[first.breakdown],
            (Breakdown{{"sex", "women"}, {"utbildning", "Förgymnasial"}}));
  EXPECT_EQ(batch.observations[1].status, kObservationMissing);
  EXPECT_EQ(batch.observations[1].breakdown, 0u);
  EXPECT_EQ(PeriodOf(batch.observations[1]), "2022Q1");
  EXPECT_EQ(batch.observations[2].status, kObservationSuppressed | kObservationBreak);
  EXPECT_EQ(batch.observations[2].value, 7);
}

TEST(StatsCsv, EnglishHeadersWithCommasAndQuotes) {
  const auto batch = ReadOk(
      "indicator,area,period,sex,value,ci_low,ci_high,status\n"
      "\"X, Y\",0180,2020,2,0.25,0.2,0.3,\"provisional, break\"\n");
  ASSERT_EQ(batch.observations.size(), 1u);
  EXPECT_EQ(batch.indicators[0].definition.code, "X, Y");
  EXPECT_EQ(batch.breakdowns[batch.observations[0].breakdown], (Breakdown{{"sex", "women"}}));
  EXPECT_EQ(batch.observations[0].status, kObservationProvisional | kObservationBreak);
}

struct BadCase {
  const char* name;
  std::string text;
  Problems expected;
};

TEST(StatsCsv, ReportsEveryProblemAsFileLineColumn) {
  const std::vector<BadCase> cases = {
      {"thousands separators, NaN, inf, huge",
       "indicator;area;period;value\n"
       "A;0180;2020;1 234\n"
       "A;0180;2021;1.234,5\n"
       "A;0180;2022;nan\n"
       "A;0180;2023;inf\n"
       "A;0180;2024;1e300\n"
       "A;0180;2025;1.2.3\n",
       {{"s.csv:2:4",
         "column \"value\": \"1 234\" is not a number (thousands separators are not read: write "
         "12345.6)"},
        {"s.csv:3:4",
         "column \"value\": \"1.234,5\" is not a number (thousands separators are not read: "
         "write 12345.6)"},
        {"s.csv:4:4", "column \"value\": \"nan\" is not a number"},
        {"s.csv:5:4", "column \"value\": \"inf\" is not a number"},
        {"s.csv:6:4",
         "column \"value\": \"1e300\" is beyond ±1e15: refused as an error in the file"},
        {"s.csv:7:4",
         "column \"value\": \"1.2.3\" is not a number (thousands separators are not read)"}}},
      {"decimal comma in a comma file",
       "indicator,area,period,value\nA,0180,2020,\"1,5\"\nA,0180,2021,1,5\n",
       {{"s.csv:2:4",
         "column \"value\": \"1,5\" has a decimal comma in a comma-separated file: use a decimal "
         "point, or ';' between cells"},
        {"s.csv:3:1",
         "the row has 5 cells, the header 4 (a decimal comma in a ',' file splits a number: use "
         "';' between cells)"}}},
      {"duplicate observation names both lines",
       "indicator;area;period;kön;value\nA;0180;2020;K;1\nA;0180;2020;M;1\nA;180;2020;kvinnor;2\n"
       "A;0180;2020;kvinnor;2\n",
       {{"s.csv:5:1", "the same observation as line 2 (A × 0180 × 2020 × {\"sex\":\"women\"})"}}},
      {"bad cells",
       "indicator;area;period;sex;value;status\n"
       "A;0180;20x;X;1;weird\n"
       "A;;2020;;1;missing\n",
       {{"s.csv:2:3",
         "column \"period\": \"20x\" is not a period (2022, 2022Q1, 2026M01, 2021-2024)"},
        {"s.csv:2:4",
         "column \"sex\": unknown sex \"X\" (women/kvinnor/K/2, men/män/M/1, or total/totalt or "
         "blank)"},
        {"s.csv:2:6",
         "column \"status\": unknown status \"weird\"; the statuses are missing/saknas, "
         "suppressed/sekretess/prickad, provisional/preliminär and break/tidsseriebrott"},
        {"s.csv:3:2", "column \"area\": empty"},
        {"s.csv:3:1", "a value with status missing: leave the value blank or drop the status"}}},
      {"header problems",
       "indicator;Värde;value;???\nA;1;2;3\n",
       {{"s.csv:1:3", "column \"value\" means the same as column 2 (\"Värde\")"},
        {"s.csv:1:4", "column \"???\": a breakdown column needs a name with letters or digits"},
        {"s.csv:1:1",
         "the header has no period column (period, year, år; docs/kolada-and-csv.md)"}}},
      {"no indicator",
       "period;value\n2020;1\n",
       {{"s.csv:1:1",
         "the file has no indicator column and no indicator was given for it (--indicator)"}}},
      {"invalid UTF-8 and quoting",
       "indicator;area;period;value\nA\xFF;0180;2020;1\n\"A\"x;0180;2021;1\n",
       {{"s.csv:3:1",
         "text after the closing quote of a quoted cell (a quote inside a quoted cell is written "
         "twice: \"\")"},
        {"s.csv:2:1", "invalid UTF-8 (byte 0xFF); save the file as \"CSV UTF-8\""}}},
      {"empty", "", {{"s.csv:1:1", "the file is empty: it needs a header and rows"}}},
      {"header only",
       "indicator;area;period;value\n",
       {{"s.csv:1:1", "the file has a header but no rows"}}},
  };
  for (const auto& test : cases) {
    auto result = ReadStatsCsv(test.text, "s.csv", {});
    ASSERT_FALSE(result.has_value()) << test.name;
    EXPECT_EQ(ProblemsOf(result.error()), test.expected) << test.name;
  }
}

TEST(StatsCsv, NeverThrowsOnArbitraryBytes) {
  std::string text = "indicator;area;period;value\n";
  for (int byte = 0; byte < 256; ++byte) text.push_back(static_cast<char>(byte));
  EXPECT_NO_THROW((void)ReadStatsCsv(text, "b.csv", {}));
  EXPECT_NO_THROW((void)ReadStatsCsv("\"", "b.csv", {}));
  EXPECT_NO_THROW((void)ReadStatsCsv("\xEF\xBB\xBF", "b.csv", {}));
}

// Issue 14, item 7: the tidy CSV of Open SDG platforms.

TEST(StatsCsv, SdmxObservationStatusesInAnyCaseAreMappedOrKeptAsNotes) {
  struct Case {
    std::string status;  // the cell as written
    std::string value;
    std::uint8_t flags;
    std::string note;  // the SDMX code kept as a note, "" for none
  };
  const Case cases[] = {
      {"Normal value", "5", 0, ""},
      {"normal VALUE", "5", 0, ""},
      {"A", "5", 0, ""},
      {"Estimated value", "5", 0, "E"},
      {"e", "5", 0, "E"},
      {"Provisional value", "5", kObservationProvisional, ""},
      {"P", "5", kObservationProvisional, ""},
      {"Missing value", "", kObservationMissing, ""},
      {"o", "", kObservationMissing, ""},
      {"Missing value; data cannot exist", "", kObservationMissing, ""},
      {"Missing value; data exist but were not collected", "", kObservationMissing, ""},
      {"Missing value; suppressed", "", kObservationSuppressed | kObservationMissing, ""},
      {"Time series break", "5", kObservationBreak, ""},
      {"Definition differs", "5", 0, "D"},
      {"Forecast value", "5", 0, "F"},
      {"Experimental value", "5", 0, "G"},
      {"Imputed value", "5", 0, "I"},
      {"Imputed value (CCSA definition)", "5", 0, "I"},
      {"Low reliability", "5", 0, "U"},
      {"Not significant", "5", 0, "N"},
      {"Unvalidated value", "5", 0, "V"},
      {"Provisional value|Time series break", "5", kObservationProvisional | kObservationBreak, ""},
      {"Estimated value|Time series break", "5", kObservationBreak, "E"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.status);
    StatsCsvOptions options;
    options.indicator = "3-4-1";
    const auto batch = ReadOk("Year;Observation status;Value\n2020;\"" + test_case.status + "\";" +
                                  test_case.value + "\n",
                              options);
    ASSERT_EQ(batch.observations.size(), 1u);
    EXPECT_EQ(batch.observations[0].status, test_case.flags);
    if (test_case.note.empty()) {
      EXPECT_TRUE(batch.notes.empty());
    } else {
      ASSERT_EQ(batch.notes.size(), 1u);
      EXPECT_EQ(batch.notes[0].pointer, "s.csv:2:2");
      EXPECT_NE(batch.notes[0].message.find("(SDMX " + test_case.note + ":"), std::string::npos)
          << batch.notes[0].message;
    }
  }
}

TEST(StatsCsv, OneNotePerSdmxStatusWithItsRowsAndFirstPlace) {
  StatsCsvOptions options;
  options.indicator = "3-4-1";
  const auto batch = ReadOk(
      "Year,Sex,OBS_STATUS,Value\n"
      "2019,,E,1\n"
      "2020,,Estimated value,2\n"
      "2020,Female,Low reliability,3\n"
      "2021,,E,4\n",
      options);
  ASSERT_EQ(batch.observations.size(), 4u);
  ASSERT_EQ(batch.notes.size(), 2u);
  EXPECT_EQ(batch.notes[0].pointer, "s.csv:2:3");
  EXPECT_EQ(batch.notes[0].message,
            "status \"E\" (SDMX E: estimated value) on 3 rows: the store has no such status; "
            "the values are imported as they are");
  EXPECT_EQ(batch.notes[1].pointer, "s.csv:4:3");
  EXPECT_NE(batch.notes[1].message.find("on 1 row:"), std::string::npos);
}

TEST(StatsCsv, ACodeColumnBesideTheLabelColumnOfItsDimension) {
  struct Case {
    std::string name;
    std::string text;
    std::vector<std::string> areas;     // code, label pairs flattened
    std::vector<Breakdown> breakdowns;  // of the observations, in order
  };
  const Case cases[] = {
      {"GeoCode beside a place name",
       "Year,Region,GeoCode,Value\n2020,Umeå kommun,2480,1\n2020,Stockholm,0180,2\n",
       {"2480", "Umeå kommun", "0180", "Stockholm"},
       {{}, {}}},
      {"Kommunkod beside Kommun, code first",
       "År;Kommunkod;Kommun;Värde\n2020;2480;Umeå;1\n",
       {"2480", "Umeå"},
       {{}}},
      {"AgeCode beside Age: the code is the category",
       "Year,Age,AgeCode,Value\n2020,15 to 24 years,Y15T24,1\n2020,Total,,2\n",
       {"0000", ""},
       {{{"age", "Y15T24"}}, {}}},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.name);
    StatsCsvOptions options;
    options.indicator = "X";
    const auto batch = ReadOk(test_case.text, options);
    ASSERT_EQ(batch.areas.size() * 2, test_case.areas.size());
    for (std::size_t idx = 0; idx < batch.areas.size(); ++idx) {
      EXPECT_EQ(batch.areas[idx].code, test_case.areas[idx * 2]);
      EXPECT_EQ(batch.areas[idx].label, test_case.areas[idx * 2 + 1]);
    }
    ASSERT_EQ(batch.observations.size(), test_case.breakdowns.size());
    for (std::size_t idx = 0; idx < batch.observations.size(); ++idx) {
      EXPECT_EQ(batch.breakdowns[batch.observations[idx].breakdown], test_case.breakdowns[idx]);
    }
  }
  // Two label columns (or two codes) of one dimension are still a problem.
  auto two = ReadStatsCsv("Year,Region,Kommun,Value\n2020,a,b,1\n", "s.csv", {.indicator = "X"});
  ASSERT_FALSE(two);
  EXPECT_EQ(ProblemsOf(two.error()),
            (Problems{{"s.csv:1:3", "column \"Kommun\" means the same as column 2 (\"Region\")"}}));
}

TEST(StatsCsv, UnitsAndUnitMultiplier) {
  StatsCsvOptions options;
  options.indicator = "3-4-1";
  // A file that mixes units: one indicator per unit.
  const auto mixed = ReadOk(
      "Year,Units,Unit multiplier,Value\n"
      "2020,Number,Thousands,1.5\n"
      "2020,Percent,,12\n"
      "2021,Number,3,130.2\n"
      "2021,Percent,0,13\n",
      options);
  ASSERT_EQ(mixed.indicators.size(), 2u);
  EXPECT_EQ(mixed.indicators[0].definition.code, "3-4-1.number");
  EXPECT_EQ(mixed.indicators[0].definition.unit, "Number");
  EXPECT_EQ(mixed.indicators[0].definition.value_type, ValueType::kCount);
  EXPECT_EQ(mixed.indicators[1].definition.code, "3-4-1.percent");
  EXPECT_EQ(mixed.indicators[1].definition.value_type, ValueType::kProportion);
  ASSERT_EQ(mixed.observations.size(), 4u);
  EXPECT_EQ(mixed.observations[0].indicator, 0u);
  EXPECT_EQ(mixed.observations[0].value, 1500);  // 1.5 thousands
  EXPECT_EQ(mixed.observations[1].indicator, 1u);
  EXPECT_EQ(mixed.observations[1].value, 12);
  EXPECT_EQ(mixed.observations[2].value, 130200);  // exactly, as the decimal text says
  // A bad multiplier is a problem at its cell.
  auto bad = ReadStatsCsv("Year,Unit multiplier,Value\n2020,lots,1\n", "s.csv", options);
  ASSERT_FALSE(bad);
  EXPECT_EQ(ProblemsOf(bad.error()).at(0).first, "s.csv:2:2");
}

}  // namespace
}  // namespace halsonav::statsio
