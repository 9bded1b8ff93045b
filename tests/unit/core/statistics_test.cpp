#include "core/statistics.hpp"

#include <gtest/gtest.h>

namespace halsonav {
namespace {

TEST(AreaCodes, CountyCodesOfBothSpellingsMeetInKoladasForm) {
  EXPECT_EQ(NormalizeAreaCode("24"), "0024");
  EXPECT_EQ(NormalizeAreaCode("0024"), "0024");
  EXPECT_EQ(NormalizeAreaCode("00"), "0000");
  EXPECT_EQ(NormalizeAreaCode(" 2480 "), "2480");
  EXPECT_EQ(NormalizeAreaCode("SE"), "SE");
  EXPECT_EQ(CountyOf("2480"), "0024");
  EXPECT_EQ(CountyOf("0180"), "0001");
  EXPECT_EQ(CountyOf("0024"), "");
  EXPECT_EQ(CountyOf("0000"), "");
  EXPECT_EQ(CountyOf("24"), "");
}

TEST(Periods, EveryKindReadsAndPrintsCanonically) {
  struct Case {
    const char* text;
    const char* code;
  };
  for (auto [text, code] :
       {Case{"2022", "2022"}, Case{"2022Q1", "2022Q1"}, Case{"2022K4", "2022Q4"},
        Case{"2022H1", "2022H1"}, Case{"2022h2", "2022H2"}, Case{"2026M01", "2026M01"},
        Case{"2026-03", "2026M03"}, Case{"2021-2024", "2021-2024"},
        Case{"2021\xE2\x80\x93"
             "2024",
             "2021-2024"},
        Case{"2019/2020", "2019-2020"}, Case{" 2000 ", "2000"}}) {
    auto period = ParsePeriod(text);
    ASSERT_TRUE(period) << text;
    EXPECT_EQ(PeriodCode(*period), code) << text;
    auto back = PeriodFromKey(PeriodKey(*period));
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(*back, *period) << text;
  }
  for (const char* bad : {"", "22", "20222", "2022Q5", "2022M13", "2022M00", "2024-2021", "abcd",
                          "1799", "2201", "2022-1", "2022 Q1", "2022H0", "2022H3", "2022W01"}) {
    EXPECT_FALSE(ParsePeriod(bad)) << bad;
  }
}

TEST(Periods, KeysOrderByEndThenLength) {
  auto key = [](const char* text) { return PeriodKey(*ParsePeriod(text)); };
  EXPECT_LT(key("2021"), key("2022"));
  EXPECT_LT(key("2022M11"), key("2022M12"));
  EXPECT_LT(key("2022M12"), key("2022Q4"));
  EXPECT_LT(key("2022Q2"), key("2022H1"));
  EXPECT_LT(key("2022H1"), key("2022M07"));
  EXPECT_LT(key("2022Q4"), key("2022H2"));
  EXPECT_LT(key("2022H2"), key("2022"));
  EXPECT_LT(key("2022Q4"), key("2022"));
  EXPECT_LT(key("2022"), key("2019-2022"));
  EXPECT_LT(key("2019-2022"), key("2023M01"));
  EXPECT_FALSE(PeriodFromKey(0));
  EXPECT_FALSE(PeriodFromKey(PeriodKey(Period{2022, 5, 3})));  // not a calendar quarter
  EXPECT_FALSE(PeriodFromKey(PeriodKey(Period{2022, 9, 6})));  // not a calendar half-year
  // Keys stored before half-years existed keep their meaning.
  EXPECT_EQ(PeriodKey(*ParsePeriod("2022")), (2022 * 12 + 11) * 1000 + 12);
  EXPECT_EQ(PeriodKey(*ParsePeriod("2022Q1")), (2022 * 12 + 2) * 1000 + 3);
}

TEST(Breakdowns, KeyIsSortedJsonAndTotalIsEmpty) {
  Breakdown breakdown{{"sex", "women"}, {"education", "low"}};
  ASSERT_TRUE(NormalizeBreakdown(breakdown));
  EXPECT_EQ(BreakdownKey(breakdown), R"({"education":"low","sex":"women"})");
  EXPECT_EQ(BreakdownKey({}), "");
  EXPECT_EQ(ParseBreakdownKey(BreakdownKey(breakdown)), breakdown);
  EXPECT_EQ(ParseBreakdownKey(""), Breakdown{});
  EXPECT_FALSE(ParseBreakdownKey(R"({"sex":"women","education":"low"})"));  // not sorted
  EXPECT_FALSE(ParseBreakdownKey("{}"));
  EXPECT_FALSE(ParseBreakdownKey("[1]"));
  Breakdown twice{{"sex", "women"}, {"sex", "men"}};
  EXPECT_FALSE(NormalizeBreakdown(twice));
}

TEST(Sex, EverySourcesCodesMeanTheSame) {
  EXPECT_EQ(NormalizeSex("T"), "total");
  EXPECT_EQ(NormalizeSex("K"), "women");
  EXPECT_EQ(NormalizeSex("M"), "men");
  EXPECT_EQ(NormalizeSex("1+2"), "total");
  EXPECT_EQ(NormalizeSex("1"), "men");
  EXPECT_EQ(NormalizeSex("2"), "women");
  EXPECT_EQ(NormalizeSex("00"), "total");
  EXPECT_EQ(NormalizeSex("01"), "women");
  EXPECT_EQ(NormalizeSex("02"), "men");
  EXPECT_EQ(NormalizeSex("Kvinnor"), "women");
  EXPECT_EQ(NormalizeSex("MÄN"), "men");
  EXPECT_EQ(NormalizeSex("totalt, samtliga män och kvinnor"), "total");
  EXPECT_FALSE(NormalizeSex("3"));
  EXPECT_FALSE(NormalizeSex("okänt"));
}

TEST(Status, NamesRoundTrip) {
  auto names = StatusNames(kObservationProvisional | kObservationBreak);
  ASSERT_EQ(names.size(), 2U);
  EXPECT_EQ(names[0], "provisional");
  EXPECT_EQ(names[1], "break_in_series");
  EXPECT_EQ(ParseStatusName("suppressed"), kObservationSuppressed);
  EXPECT_FALSE(ParseStatusName("secret"));
}

}  // namespace
}  // namespace halsonav
