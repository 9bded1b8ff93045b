// PX files (PC-Axis): every real file of tests/data/px read with the right counts and labels,
// and one small hand-written input per rule and per bad input (docs/px.md).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "io/px.hpp"
#include "io/px_charset.hpp"
#include "io/px_table.hpp"
#include "io/stats_format.hpp"
#include "problems.hpp"

namespace halsonav::statsio {
namespace {

using testing::ProblemsOf;

std::string PxFile(const std::string& name) {
  return testing::RepositoryFile("tests/data/px/" + name);
}

std::size_t Missing(const PxTable& table) {
  return static_cast<std::size_t>(std::count_if(
      table.symbols.begin(), table.symbols.end(),
      [](PxSymbol symbol) { return symbol != PxSymbol::kNumber && symbol != PxSymbol::kNil; }));
}

const PxVariable* Variable(const PxTable& table, const std::string& name) {
  for (const auto& variable : table.variables) {
    if (variable.name == name) return &variable;
  }
  return nullptr;
}

bool HasValue(const PxVariable* variable, const std::string& label) {
  return variable != nullptr && std::find(variable->values.begin(), variable->values.end(),
                                          label) != variable->values.end();
}

// ---- Every real file -----------------------------------------------------------------------

struct RealFile {
  const char* file;
  const char* language;  // "" = the file's default
  std::uint64_t cells;   // the product of the VALUES counts
  std::size_t missing;   // dot-coded cells
  PxEncoding encoding;
  const char* variable;  // a variable's name, in the language read
  const char* label;     // one of its values, decoded
  double first_value;    // the first cell (NaN: a symbol)
};

const RealFile kRealFiles[] = {
    {"scb__TAB2017_kommunalskatter.px", "", 870, 0, PxEncoding::kWindows1252, "region", "Österåker",
     31.75},
    {"scb__TAB005_land_use_en_sv.px", "", 6402, 107, PxEncoding::kWindows1252, "land use",
     "arable land", 2633457},
    {"scb__TAB005_land_use_en_sv.px", "sv", 6402, 107, PxEncoding::kWindows1252, "markanvändning",
     "åkermark", 2633457},
    {"scb__PR0101B3hier2lang.px", "sv", 726, 42, PxEncoding::kWindows1252, "varu-/tjänstegrupp",
     "12.7 Övriga tjänster", 279.95},
    {"ssb__Transmengde.px", "", 27300, 0, PxEncoding::kWindows1252, "transportmåte",
     "Alle transportmåter", 8625931},
    {"statfi__statfin_ras_pxt_13m4.px", "", 36, 0, PxEncoding::kUtf8, "Tiedot",
     "Tarkentuminen, %-yksikköä", -69.7},
    {"statfi__statfin_ras_pxt_13m4.px", "en", 36, 0, PxEncoding::kUtf8, "Information",
     "Revision, percentage points", -69.7},
    // Declares iso-8859-15 but is UTF-8: read as UTF-8.
    {"statfi__statfin_khi_pxt_11xm.px", "sv", 72, 1, PxEncoding::kUtf8, "År", "1951", NAN},
    {"statfi__010_kats_tau_101.px", "", 264060, 188792, PxEncoding::kWindows1252,
     "Käyttöönottovuosi", "Vuodet yhteensä", 1564581},
    {"ine__14001.px", "", 8064, 2260, PxEncoding::kWindows1252,
     "Comunidad Autónoma de residencia del matrimonio", "Andalucía", 162743},
};

TEST(PxTable, ReadsEveryRealFileWithItsCountsAndLabels) {
  for (const auto& real : kRealFiles) {
    SCOPED_TRACE(std::string(real.file) + " " + real.language);
    const std::string text = PxFile(real.file);
    auto table = ReadPxTable(text, real.file, PxReadOptions{real.language});
    ASSERT_TRUE(table) << table.error().message;
    std::uint64_t product = 1;
    for (const auto& variable : table->variables) product *= variable.values.size();
    EXPECT_EQ(table->cells, real.cells);
    EXPECT_EQ(product, real.cells);
    EXPECT_EQ(table->values.size(), real.cells);
    EXPECT_EQ(Missing(*table), real.missing);
    EXPECT_EQ(table->encoding, real.encoding);
    EXPECT_TRUE(HasValue(Variable(*table, real.variable), real.label));
    if (std::isnan(real.first_value)) {
      EXPECT_TRUE(std::isnan(table->values.front()));
    } else {
      EXPECT_DOUBLE_EQ(table->values.front(), real.first_value);
    }
    // Every cell has its DATA line, and the lines never go back.
    EXPECT_TRUE(std::is_sorted(table->line_first_cell.begin(), table->line_first_cell.end()));
    EXPECT_GT(table->Line(0), 1U);
    EXPECT_LE(table->Line(0), table->Line(table->cells - 1));
  }
}

TEST(PxTable, ReadsTheRealFilesKeywords) {
  const std::string tax = PxFile("scb__TAB2017_kommunalskatter.px");
  auto table = ReadPxTable(tax, "TAB2017.px", {});
  ASSERT_TRUE(table);
  EXPECT_EQ(table->table_id, "TAB2017");
  EXPECT_EQ(table->title, "Kommunalskatter efter region och år");
  ASSERT_TRUE(table->content_variable);
  EXPECT_EQ(table->variables[*table->content_variable].codes,
            (std::vector<std::string>{"OE0101D1", "OE0101D2", "OE0101D3"}));
  ASSERT_EQ(table->contents_meta.size(), 3U);
  EXPECT_EQ(table->contents_meta[1].units, "procent");
  EXPECT_EQ(table->contents_meta[1].decimals, 2);
  EXPECT_EQ(table->variables[0].code, "Region");
  EXPECT_EQ(table->variables[0].codes[0], "0114");
  EXPECT_EQ(table->variables[1].periods, (std::vector<std::int64_t>{PeriodKey({2026, 12, 12})}));
  EXPECT_EQ(table->symbol_texts[1], ".");
  EXPECT_EQ(table->symbol_texts[static_cast<int>(PxSymbol::kNil)], "-");
  // NOTEX and VALUENOTEX are kept as notes.
  ASSERT_EQ(table->notes.size(), 2U);
  EXPECT_TRUE(table->notes[0].text.starts_with("NOTE: Korrigering 2023-02-02"));
  EXPECT_TRUE(table->notes[1].text.starts_with("VALUENOTE(tabellinnehåll, Skattesats, total"));

  // SSB: TLIST(K) as quarters, ELIMINATION by value, thousands of DATANOTECELL as one note.
  const std::string trade = PxFile("ssb__Transmengde.px");
  table = ReadPxTable(trade, "Transmengde.px", {});
  ASSERT_TRUE(table);
  const auto* quarter = Variable(*table, "kvartal");
  ASSERT_NE(quarter, nullptr);
  EXPECT_EQ(quarter->periods.front(), PeriodKey({2015, 3, 3}));
  EXPECT_EQ(quarter->periods.back(), PeriodKey({2018, 6, 3}));
  const auto* sitc = Variable(*table, "tosifret SITC");
  ASSERT_TRUE(sitc && sitc->elimination);
  EXPECT_EQ(sitc->codes[*sitc->elimination], "-");
  EXPECT_TRUE(std::any_of(table->notes.begin(), table->notes.end(), [](const PxNote& note) {
    return note.text == "DATANOTECELL: 6760 cells are marked \"*\"";
  }));

  // StatFin: TIMEVAL's "202308" is the month 2023M08; an unknown keyword is a note.
  const std::string permits = PxFile("statfi__statfin_ras_pxt_13m4.px");
  table = ReadPxTable(permits, "ras.px", {});
  ASSERT_TRUE(table);
  EXPECT_EQ(table->variables[0].periods.front(), PeriodKey({2023, 8, 1}));
  EXPECT_TRUE(std::any_of(table->notes.begin(), table->notes.end(), [](const PxNote& note) {
    return note.text == "unknown keyword MADE-WITH: PxPro";
  }));

  // INE: the TITLE of three adjacent strings is one; every row's ';' separates cells.
  const std::string marriages = PxFile("ine__14001.px");
  table = ReadPxTable(marriages, "14001.px", {});
  ASSERT_TRUE(table);
  EXPECT_TRUE(table->title.starts_with(
      "Matrimonios de diferente sexo por Comunidad Autónoma de residencia del matrimonio, edad"));
  EXPECT_EQ(table->values.back(), 4);
}

// ---- Into observations (ReadPx) -------------------------------------------------------------

struct BatchFile {
  const char* file;
  const char* language;
  std::size_t indicators;
  std::size_t areas;
  const char* indicator;  // one indicator's code
  const char* unit;       // and its unit
};

const BatchFile kBatchFiles[] = {
    {"scb__TAB2017_kommunalskatter.px", "", 3, 290, "TAB2017.OE0101D1", "procent"},
    {"scb__TAB005_land_use_en_sv.px", "", 1, 291, "TAB005.Landuse", "hectares"},
    {"scb__TAB005_land_use_en_sv.px", "sv", 1, 291, "TAB005.Landuse", "Hektar"},
    {"scb__PR0101B3hier2lang.px", "", 1, 1, "PR0101B3", "Index"},
    {"ssb__Transmengde.px", "", 1, 1, "08811.Transmengde", "tonn"},
    {"statfi__statfin_ras_pxt_13m4.px", "en", 3, 1, "statfin_ras_pxt_13m4.alk_muutos", "%"},
    {"statfi__statfin_khi_pxt_11xm.px", "", 1, 1, "statfin_khi_pxt_11xm.pisteluku",
     "indeksipisteluku"},
    {"statfi__010_kats_tau_101.px", "", 1, 1, "katsastus_3", "Henkilöautojen lukumäärä"},
    {"ine__14001.px", "", 1, 1, "14001", "matrimonios"},
};

TEST(ReadPx, MakesOneObservationPerCellOfEveryRealFile) {
  JsonStatMapping with_period;
  with_period.period = "2018";  // INE's table has no time variable
  for (const auto& real : kBatchFiles) {
    SCOPED_TRACE(std::string(real.file) + " " + real.language);
    const std::string text = PxFile(real.file);
    auto table = ReadPxTable(text, real.file, PxReadOptions{real.language});
    ASSERT_TRUE(table);
    auto batch = ReadPx(text, real.file, PxOptions{&with_period, "0000", real.language});
    ASSERT_TRUE(batch) << batch.error().message << " " << batch.error().details.dump();
    EXPECT_EQ(batch->observations.size(), table->cells);
    EXPECT_EQ(batch->indicators.size(), real.indicators);
    EXPECT_EQ(batch->areas.size(), real.areas);
    auto indicator = std::find_if(
        batch->indicators.begin(), batch->indicators.end(),
        [&](const IndicatorRef& ref) { return ref.definition.code == real.indicator; });
    ASSERT_NE(indicator, batch->indicators.end());
    EXPECT_EQ(indicator->definition.unit, real.unit);
    EXPECT_EQ(indicator->definition.source, IndicatorSource::kPxWeb);
    std::size_t missing = 0;
    std::vector<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::int64_t>> keys;
    for (std::size_t cell = 0; cell < batch->observations.size(); ++cell) {
      const auto& observation = batch->observations[cell];
      missing += (observation.status & kObservationMissing) != 0;
      ASSERT_EQ(observation.origin, table->Line(cell));
      keys.emplace_back(observation.indicator, observation.area, observation.breakdown,
                        observation.period);
    }
    EXPECT_EQ(missing, Missing(*table));
    // No two cells are the same observation (two "total …" labels made them so once).
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(std::adjacent_find(keys.begin(), keys.end()), keys.end());
  }
}

TEST(ReadPx, MapsVariablesByTheSharedRules) {
  const std::string tax = PxFile("scb__TAB2017_kommunalskatter.px");
  auto batch = ReadPx(tax, "TAB2017.px", {});
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->origin_kind, OriginKind::kLine);
  const auto& first = batch->observations.front();
  EXPECT_EQ(batch->areas[first.area].code, "0114");
  EXPECT_EQ(batch->areas[first.area].label, "Upplands Väsby");
  EXPECT_EQ(batch->indicators[first.indicator].definition.code, "TAB2017.OE0101D1");
  EXPECT_EQ(batch->indicators[first.indicator].definition.title,
            "Kommunalskatter efter region och år: Skattesats, total kommunal");
  EXPECT_EQ(batch->indicators[first.indicator].definition.value_type, ValueType::kProportion);
  EXPECT_EQ(first.period, PeriodKey({2026, 12, 12}));
  EXPECT_DOUBLE_EQ(first.value, 31.75);
  EXPECT_EQ(batch->indicators[first.indicator].definition.decimals, 2);  // SHOWDECIMALS=2
  EXPECT_EQ(batch->Where(first), "TAB2017.px:" + std::to_string(first.origin));
  EXPECT_EQ(batch->notes.size(), 2U);
  EXPECT_TRUE(batch->notes[0].pointer.starts_with("TAB2017.px:"));

  // The same table in English and in Swedish: the same indicators, areas, periods, breakdowns.
  const std::string land = PxFile("scb__TAB005_land_use_en_sv.px");
  auto english = ReadPx(land, "TAB005.px", {});
  auto swedish = ReadPx(land, "TAB005.px", PxOptions{nullptr, "0000", "sv"});
  ASSERT_TRUE(english && swedish);
  auto keys = [](const StatsBatch& read) {
    std::set<std::tuple<std::string, std::string, std::string, std::int64_t>> out;
    for (const auto& observation : read.observations) {
      out.emplace(read.indicators[observation.indicator].definition.code,
                  read.areas[observation.area].code,
                  BreakdownKey(read.breakdowns[observation.breakdown]), observation.period);
    }
    return out;
  };
  EXPECT_EQ(keys(*english), keys(*swedish));
  EXPECT_TRUE(keys(*english).contains(
      std::make_tuple(std::string("TAB005.Landuse"), std::string("0000"),
                      std::string(R"({"landuseclass":"11"})"), PeriodKey({2015, 12, 12}))));

  // SSB: TLIST(K) quarters; the ELIMINATION values ("-", "00") are the totals.
  const std::string trade = PxFile("ssb__Transmengde.px");
  batch = ReadPx(trade, "Transmengde.px", {});
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->observations.front().period, PeriodKey({2015, 3, 3}));
  EXPECT_EQ(batch->breakdowns[batch->observations.front().breakdown],
            (Breakdown{{"import/eksport", "1"}}));

  // A mapping names a variable by its VARIABLECODE, or by its name in the default language.
  auto mapping =
      ReadJsonStatMapping(R"({"dimensions": {"LANDUSECLASS": {"name": "land"}}})", "map.json");
  ASSERT_TRUE(mapping);
  batch = ReadPx(land, "TAB005.px", PxOptions{&*mapping, "0000", "sv"});
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->indicators.front().definition.dimensions, (std::vector<std::string>{"land"}));
  const std::string marriages = PxFile("ine__14001.px");
  mapping = ReadJsonStatMapping(
      R"({"period": "2018", "dimensions": {"sexo ": {"name": "sex",
          "categories": {"Esposos": "men", "Esposas": "women"}}}})",
      "map.json");
  ASSERT_TRUE(mapping);
  batch = ReadPx(marriages, "14001.px", PxOptions{&*mapping, "0000", ""});
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(batch->breakdowns[batch->observations.front().breakdown], (Breakdown{{"sex", "men"}}));
  // Without a period, a table without TIMEVAL or a time variable is refused.
  EXPECT_FALSE(ReadPx(marriages, "14001.px", {}));
}

// ---- Hand-written inputs, one rule each ------------------------------------------------------

// A small table: 2 regions × 2 years, and what follows DATA=.
std::string Small(const std::string& data, const std::string& extra = "") {
  return "CHARSET=\"ANSI\";\nMATRIX=\"T1\";\nTITLE=\"Test\";\n" + extra +
         "STUB=\"region\";\nHEADING=\"år\";\n"
         "VALUES(\"region\")=\"Umeå\",\"Luleå\";\nVALUES(\"år\")=\"2022\",\"2023\";\n"
         "CODES(\"region\")=\"2480\",\"2580\";\nTIMEVAL(\"år\")=TLIST(A1),\"2022\",\"2023\";\n"
         "DATA=\n" +
         data;
}

// A keyed table (KEYS): 3 regions (keyed by CODES) × 2 sexes (keyed by VALUES) in the STUB,
// 2 years in the HEADING; DATA= on line 13, its rows from line 14.
std::string Keyed(const std::string& data) {
  return "CHARSET=\"ANSI\";\nMATRIX=\"T1\";\nTITLE=\"Test\";\n"
         "STUB=\"region\",\"kön\";\nHEADING=\"år\";\n"
         "VALUES(\"region\")=\"Umeå\",\"Luleå\",\"Kiruna\";\n"
         "CODES(\"region\")=\"2480\",\"2580\",\"2584\";\n"
         "VALUES(\"kön\")=\"män\",\"kvinnor\";\n"
         "VALUES(\"år\")=\"2022\",\"2023\";\nTIMEVAL(\"år\")=TLIST(A1),\"2022\",\"2023\";\n"
         "KEYS(\"region\")=CODES;\nKEYS(\"kön\")=VALUES;\n"
         "DATA=\n" +
         data;
}

struct CellCase {
  const char* name;
  std::string data;
  std::vector<double> values;  // NaN: missing
};

TEST(PxTable, ReadsDataInAnyLayoutWithItsSymbols) {
  const CellCase cases[] = {
      {"rows", "1 2\n3 4;\n", {1, 2, 3, 4}},
      {"one line, tabs", "1\t2\t3\t4;", {1, 2, 3, 4}},
      {"INE's ';' at every row, ';;' at the end", "1 2;\r\n3 4;;\r\n", {1, 2, 3, 4}},
      {"StatFin's 'value; '", "1\n2\n3\n4; ", {1, 2, 3, 4}},
      {"dot codes", "\".\" \"..\"\n\"...\" \"....\";", {NAN, NAN, NAN, NAN}},
      {"bare dots and '-' (nil: zero)", ".. -\n\"-\" 5;", {NAN, 0, 0, 5}},
      {"decimals, signs, exponent",
       "-0.6 +2.50\n1e3 12345678901234567890;",
       {-0.6, 2.5, 1000, 12345678901234567890.0}},
      {"quoted numbers", "\"1\" \"2.5\" 3 4;", {1, 2.5, 3, 4}},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.name);
    auto table = ReadPxTable(Small(test.data), "t.px", {});
    ASSERT_TRUE(table) << table.error().message;
    ASSERT_EQ(table->values.size(), test.values.size());
    for (std::size_t cell = 0; cell < test.values.size(); ++cell) {
      if (std::isnan(test.values[cell])) {
        EXPECT_TRUE(std::isnan(table->values[cell])) << cell;
      } else {
        EXPECT_DOUBLE_EQ(table->values[cell], test.values[cell]) << cell;
      }
    }
  }
  // The dots are DATASYMBOL1–4; a declared symbol of other text (SSB's ":") is read too.
  auto table =
      ReadPxTable(Small("\".\" \"..\" \":\" \"......\";", "DATASYMBOL3=\":\";\n"), "t.px", {});
  ASSERT_TRUE(table);
  EXPECT_EQ(table->symbols, (std::vector<PxSymbol>{PxSymbol::kDot1, static_cast<PxSymbol>(2),
                                                   static_cast<PxSymbol>(3), PxSymbol::kDot6}));
  // Each cell knows its DATA line.
  EXPECT_EQ(table->Line(0), 12U);
  EXPECT_EQ(table->Line(3), 12U);
  table = ReadPxTable(Small("\n1 2\n\n3\n4;"), "t.px", {});
  ASSERT_TRUE(table);
  EXPECT_EQ(table->Line(0), 12U);
  EXPECT_EQ(table->Line(1), 12U);
  EXPECT_EQ(table->Line(2), 14U);
  EXPECT_EQ(table->Line(3), 15U);
}

struct TimeCase {
  const char* name;
  std::string timeval;
  std::vector<std::string> values;
  std::vector<Period> periods;
};

TEST(PxTable, ReadsTimevalUnitsListsAndRanges) {
  const TimeCase cases[] = {
      {"A1 list",
       "TLIST(A1),\"2022\",\"2023\"",
       {"2022", "2023"},
       {{2022, 12, 12}, {2023, 12, 12}}},
      {"A1 range inside",
       "TLIST(A1, \"2021\"-\"2023\")",
       {"a", "b", "c"},
       {{2021, 12, 12}, {2022, 12, 12}, {2023, 12, 12}}},
      {"A1 range after",
       "TLIST(A1),\"2021\"-\"2022\"",
       {"a", "b"},
       {{2021, 12, 12}, {2022, 12, 12}}},
      {"Q1", "TLIST(Q1),\"20224\",\"20231\"", {"a", "b"}, {{2022, 12, 3}, {2023, 3, 3}}},
      {"Q1 range over a year",
       "TLIST(Q1, \"20224\"-\"20231\")",
       {"a", "b"},
       {{2022, 12, 3}, {2023, 3, 3}}},
      {"H1", "TLIST(H1),\"20221\",\"20222\"", {"a", "b"}, {{2022, 6, 6}, {2022, 12, 6}}},
      {"H1 range over a year, written 2022H2",
       "TLIST(H1, \"2022H2\"-\"2023H2\")",
       {"a", "b", "c"},
       {{2022, 12, 6}, {2023, 6, 6}, {2023, 12, 6}}},
      {"SSB's K", "TLIST(K),\"2015K1\",\"2015K2\"", {"a", "b"}, {{2015, 3, 3}, {2015, 6, 3}}},
      {"M1", "TLIST(M1),\"202212\",\"202301\"", {"a", "b"}, {{2022, 12, 1}, {2023, 1, 1}}},
      {"M1 range",
       "TLIST(M1, \"202211\"-\"202301\")",
       {"a", "b", "c"},
       {{2022, 11, 1}, {2022, 12, 1}, {2023, 1, 1}}},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.name);
    std::string values;
    for (const auto& value : test.values) values += (values.empty() ? "\"" : ",\"") + value + "\"";
    std::string data;
    for (std::size_t cell = 0; cell < test.values.size(); ++cell) data += "1 ";
    const std::string text = "STUB=\"tid\";\nVALUES(\"tid\")=" + values +
                             ";\nTIMEVAL(\"tid\")=" + test.timeval + ";\nDATA=\n" + data + ";";
    auto table = ReadPxTable(text, "t.px", {});
    ASSERT_TRUE(table) << table.error().message;
    std::vector<std::int64_t> keys;
    for (const auto& period : test.periods) keys.push_back(PeriodKey(period));
    EXPECT_EQ(table->variables[0].periods, keys);
  }
}

struct BadCase {
  const char* name;
  std::string text;
  std::string where;    // "FILE:LINE:COLUMN" of the problem
  std::string message;  // a part of its message
};

TEST(PxTable, RefusesBadInputWithItsPlace) {
  const BadCase cases[] = {
      {"CODEPAGE UTF-8 over Latin-1 bytes",
       "CODEPAGE=\"UTF-8\";\nSTUB=\"region\";\nVALUES(\"region\")=\"Ume\xE5\";\nDATA=\n1;",
       "t.px:3:22", "the codepage does not match the file's bytes"},
      {"a byte windows-1252 lacks",
       "CODEPAGE=\"windows-1252\";\nSTUB=\"r\";\nVALUES(\"r\")=\"a\x81\xE5\";\nDATA=\n1;",
       "t.px:3:15", "byte 0x81 is no character in windows-1252"},
      {"UTF-8 letters, then a Latin-1 byte",
       "STUB=\"r\";\nVALUES(\"r\")=\"år\",\"\xE5r\";\nDATA=\n1 2;", "t.px:2:19",
       "byte 0xE5 is not UTF-8, though the letters before it are"},
      {"a Latin-1 column counts every byte", "STUB=\"r\";\nVALUES(\"r\")=\"\xA9\x81\";\nDATA=1;",
       "t.px:2:15", "byte 0x81 is no character in windows-1252"},
      {"a codepage Hälsonav does not read",
       "CODEPAGE=\"ibm850\";\nSTUB=\"r\";\nVALUES(\"r\")=\"\x86\";\nDATA=\n1;", "t.px:1:10",
       "CODEPAGE \"ibm850\" is not one Hälsonav reads"},
      {"DATA with a cell too many", Small("1 2\n3 4\n5;"), "t.px:13:1",
       "DATA holds 5 cells, 1 more than the variables give (2 region × 2 år = 4)"},
      {"DATA with a cell too few", Small("1 2\n3;"), "t.px:10:6",
       "DATA holds 3 cells, 1 fewer than the variables give (2 region × 2 år = 4)"},
      {"VALUES shorter than CODES",
       "STUB=\"region\";\nVALUES(\"region\")=\"Umeå\";\nCODES(\"region\")=\"2480\",\"2580\";\n"
       "DATA=\n1;",
       "t.px:2:1", "VALUES(\"region\") has 1 values but CODES(\"region\") has 2 codes"},
      {"a cell that is neither number nor symbol", Small("1 2\n3 abc;"), "t.px:12:3",
       "DATA cell 4 \"abc\" is neither a number nor a symbol"},
      {"a variable without VALUES", "STUB=\"region\";\nDATA=\n1;", "t.px:1:1",
       "the variable \"region\" has no VALUES(\"region\")"},
      {"a string not closed", "STUB=\"r\";\nTITLE=\"Test;\n", "t.px:2:7", "a string is not closed"},
      {"a keyword without '='", "TITLE \"x\";\nSTUB=\"r\";\nVALUES(\"r\")=\"a\";\nDATA=1;",
       "t.px:1:7", "expected '=' after the keyword TITLE"},
      {"weeks cannot be stored",
       "STUB=\"t\";\nVALUES(\"t\")=\"2022v1\";\nTIMEVAL(\"t\")=TLIST(W1),\"202201\";\nDATA=1;",
       "t.px:3:14", "week periods (TLIST(W1)) cannot be stored"},
      {"a half-year 3",
       "STUB=\"t\";\nVALUES(\"t\")=\"x\";\nTIMEVAL(\"t\")=TLIST(H1),\"20223\";\nDATA=1;",
       "t.px:3:24", "\"20223\" is not a period of TLIST(H1)"},
      {"TIMEVAL and VALUES of different lengths",
       "STUB=\"t\";\nVALUES(\"t\")=\"2022\";\nTIMEVAL(\"t\")=TLIST(A1),\"2022\",\"2023\";\nDATA=1;",
       "t.px:3:1", "TIMEVAL(\"t\") gives 2 periods but the variable has 1 values"},
      {"ELIMINATION of no value", Small("1 2 3 4;", "ELIMINATION(\"region\")=\"Riket\";\n"),
       "t.px:4:23", "ELIMINATION(\"region\") names \"Riket\", which is not one of its VALUES"},
      {"CONTVARIABLE of no variable", Small("1 2 3 4;", "CONTVARIABLE=\"x\";\n"), "t.px:4:1",
       "CONTVARIABLE names \"x\", which is in neither STUB nor HEADING"},
      {"no DATA", "STUB=\"r\";\nVALUES(\"r\")=\"a\";\n", "t.px:3:1", "the file has no DATA"},
      {"KEYS of a HEADING variable",
       "HEADING=\"r\";\nVALUES(\"r\")=\"a\";\nKEYS(\"r\")=CODES;\nDATA=\n\"a\" 1;", "t.px:3:1",
       "KEYS(\"r\") names a HEADING variable"},
      {"KEYS neither VALUES nor CODES",
       "STUB=\"r\";\nVALUES(\"r\")=\"a\";\nKEYS(\"r\")=LABELS;\nDATA=\n\"a\" 1;", "t.px:3:1",
       "KEYS(\"r\") must be VALUES or CODES, not \"LABELS\""},
      {"a STUB variable without KEYS",
       "STUB=\"r\",\"s\";\nVALUES(\"r\")=\"a\";\nVALUES(\"s\")=\"b\";\nKEYS(\"r\")=CODES;\n"
       "DATA=\n\"a\",\"b\" 1;",
       "t.px:3:1", "the STUB variable \"s\" has no KEYS(\"s\")"},
      {"a key none of the CODES", Keyed("\"2480\",\"män\" 1 2\n\"9999\",\"män\" 1 2;"), "t.px:15:2",
       "the key \"9999\" is none of the CODES of \"region\" (KEYS(\"region\")=CODES)"},
      {"a code where KEYS says VALUES", Keyed("\"2480\",\"1\" 1 2;"), "t.px:14:9",
       "the key \"1\" is none of the VALUES of \"kön\""},
      {"a row with a cell too many", Keyed("\"2480\",\"män\" 1 2\n\"2580\",\"män\" 1 2 3;"),
       "t.px:15:2",
       "this DATA row holds 5 keys and cells; KEYS and HEADING give 4 (2 keys, one per STUB "
       "variable, then 2 cells)"},
      {"a row without its cells", Keyed("\"2480\",\"män\";"), "t.px:14:2",
       "this DATA row holds 2 keys and cells; KEYS and HEADING give 4"},
      {"a row written twice", Keyed("\"2480\",\"män\" 1 2\n\"2480\",\"män\" 3 4;"), "t.px:15:2",
       "this DATA row's keys were written before, on line 14"},
      {"a keyed cell that is neither number nor symbol", Keyed("\"2480\",\"män\" 1 abc;"),
       "t.px:14:16", "DATA cell 2 \"abc\" is neither a number nor a symbol"},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.name);
    auto table = ReadPxTable(test.text, "t.px", {});
    ASSERT_FALSE(table);
    const auto problems = ProblemsOf(table.error());
    ASSERT_FALSE(problems.empty());
    EXPECT_EQ(problems.front().first, test.where) << problems.front().second;
    EXPECT_NE(problems.front().second.find(test.message), std::string::npos)
        << problems.front().second;
  }
}

TEST(PxTable, ListsAHundredProblemsAndCountsTheRest) {
  std::string text = "STUB=\"r\";\nVALUES(\"r\")=";
  for (int value = 0; value < 150; ++value)
    text += (value == 0 ? "\"" : ",\"") + std::to_string(value) + "\"";
  text += ";\nDATA=\n";
  for (int value = 0; value < 150; ++value) text += "x ";
  auto table = ReadPxTable(text, "t.px", {});
  ASSERT_FALSE(table);
  const auto problems = ProblemsOf(table.error());
  ASSERT_EQ(problems.size(), 101U);
  EXPECT_EQ(problems[99].first, "t.px:4:199");
  EXPECT_EQ(problems[100],
            std::make_pair(std::string("t.px"), std::string("50 more problems not listed")));
}

TEST(PxTable, ReadsCodepagesAndLanguages) {
  // Latin-1 and ISO-8859-15 bytes become UTF-8; a UTF-8 header is UTF-8 whatever CODEPAGE says.
  auto latin = ReadPxTable(
      "CODEPAGE=\"iso-8859-1\";\nSTUB=\"r\";\nVALUES(\"r\")=\"\xE5\xE4\xF6\xC5\xC4\xD6\";\nDATA=1;",
      "t.px", {});
  ASSERT_TRUE(latin);
  EXPECT_EQ(latin->variables[0].values[0], "åäöÅÄÖ");
  auto euro = ReadPxTable(
      "CODEPAGE=\"iso-8859-15\";\nSTUB=\"r\";\nVALUES(\"r\")=\"\xA4\xBD\";\nDATA=1;", "t.px", {});
  ASSERT_TRUE(euro);
  EXPECT_EQ(euro->variables[0].values[0], "€œ");
  auto lying = ReadPxTable("CODEPAGE=\"iso-8859-15\";\nSTUB=\"r\";\nVALUES(\"r\")=\"år\";\nDATA=1;",
                           "t.px", {});
  ASSERT_TRUE(lying);
  EXPECT_EQ(lying->encoding, PxEncoding::kUtf8);
  EXPECT_EQ(lying->variables[0].values[0], "år");
  auto bom = ReadPxTable("\xEF\xBB\xBFSTUB=\"r\";\nVALUES(\"r\")=\"a\";\nDATA=1;", "t.px", {});
  ASSERT_TRUE(bom);

  // KEYWORD[en] paired by position with the default language's; a missing twin falls back.
  const std::string two =
      "LANGUAGE=\"sv\";\nLANGUAGES=\"sv\",\"en\";\nSTUB=\"kön\",\"år\";\nSTUB[en]=\"sex\",\"year\";"
      "\n"
      "VALUES(\"kön\")=\"kvinnor\",\"män\";\nVALUES[en](\"sex\")=\"women\",\"men\";\n"
      "VALUES(\"år\")=\"2022\";\nCODES(\"kön\")=\"2\",\"1\";\nUNITS=\"antal\";\n"
      "UNITS[en]=\"number\";\nNOTE=\"Anm.\";\nNOTE[en]=\"Note.\";\nDATA=1 2;";
  auto english = ReadPxTable(two, "t.px", PxReadOptions{"en"});
  ASSERT_TRUE(english) << english.error().message;
  EXPECT_EQ(english->language, "en");
  EXPECT_EQ(english->variables[0].name, "sex");
  EXPECT_EQ(english->variables[0].default_name, "kön");
  EXPECT_EQ(english->variables[0].values, (std::vector<std::string>{"women", "men"}));
  EXPECT_EQ(english->variables[0].codes, (std::vector<std::string>{"2", "1"}));
  EXPECT_EQ(english->variables[1].values, (std::vector<std::string>{"2022"}));
  EXPECT_EQ(english->contents_meta.front().units, "number");
  ASSERT_EQ(english->notes.size(), 1U);
  EXPECT_EQ(english->notes[0].text, "NOTE: Note.");
  auto swedish = ReadPxTable(two, "t.px", {});
  ASSERT_TRUE(swedish);
  EXPECT_EQ(swedish->variables[0].values[1], "män");
  EXPECT_EQ(swedish->contents_meta.front().units, "antal");

  auto german = ReadPxTable(two, "t.px", PxReadOptions{"de"});
  ASSERT_FALSE(german);
  EXPECT_EQ(ProblemsOf(german.error()).front().first, "t.px:2:1");

  auto short_twin = ReadPxTable(
      "LANGUAGES=\"sv\",\"en\";\nSTUB=\"r\";\nVALUES(\"r\")=\"a\",\"b\";\n"
      "VALUES[en](\"r\")=\"a\";\nDATA=1 2;",
      "t.px", PxReadOptions{"en"});
  ASSERT_FALSE(short_twin);
  EXPECT_EQ(ProblemsOf(short_twin.error()).front().first, "t.px:4:1");
}

TEST(PxTable, KeepsNotesAndUnknownKeywordsAsNotes) {
  auto table = ReadPxTable(Small("1 2 3 4;",
                                 "NOTE=\"First \"\n\"and second\";\nSHOE-SIZE(\"x\")=42;\n"
                                 "VALUENOTE(\"region\",\"Umeå\")=\"Note on Umeå\";\n"
                                 "CELLNOTE(\"Umeå\",\"2022\")=\"A cell\";\n"),
                           "t.px", {});
  ASSERT_TRUE(table) << table.error().message;
  ASSERT_EQ(table->notes.size(), 4U);
  EXPECT_EQ(table->notes[0].text, "NOTE: First and second");
  EXPECT_EQ(table->notes[1].text, "unknown keyword SHOE-SIZE(x): 42");
  EXPECT_EQ(table->notes[2].text, "VALUENOTE(region, Umeå): Note on Umeå");
  EXPECT_EQ(table->notes[3].text, "CELLNOTE(Umeå, 2022): A cell");
}

TEST(ReadPx, StoresSymbolsAsStatuses) {
  auto batch = ReadPx(Small("1 \"..\"\n- 4;"), "t.px", {});
  ASSERT_TRUE(batch) << batch.error().message << " " << batch.error().details.dump();
  ASSERT_EQ(batch->observations.size(), 4U);
  // The last HEADING variable (år) varies fastest: Umeå 2022, Umeå 2023, Luleå 2022, Luleå 2023.
  const auto& obs = batch->observations;
  EXPECT_EQ(batch->areas[obs[1].area].code, "2480");
  EXPECT_EQ(obs[1].period, PeriodKey({2023, 12, 12}));
  EXPECT_TRUE(std::isnan(obs[1].value));
  EXPECT_EQ(obs[1].status, kObservationMissing);
  EXPECT_EQ(batch->areas[obs[2].area].code, "2580");
  EXPECT_EQ(obs[2].value, 0);  // "-": exactly zero
  EXPECT_EQ(obs[2].status, 0);
  EXPECT_EQ(obs[3].value, 4);
  EXPECT_EQ(obs[3].origin, 12U);
  EXPECT_EQ(batch->indicators.front().definition.code, "T1");
}

TEST(ReadPx, KeepsEachContentsDecimals) {
  // PRECISION for one content, else SHOWDECIMALS, else DECIMALS; none of them: not said.
  const std::string contents =
      "CONTVARIABLE=\"mått\";\nSTUB=\"mått\";\nVALUES(\"mått\")=\"Andel\",\"Antal\";\n"
      "TIMEVAL(\"år\")=TLIST(A1),\"2022\";\nHEADING=\"år\";\nVALUES(\"år\")=\"2022\";\n";
  struct Case {
    std::string keywords;
    std::optional<int> share;
    std::optional<int> count;
  };
  const Case cases[] = {
      {"DECIMALS=2;\n", 2, 2},
      {"DECIMALS=2;\nSHOWDECIMALS=1;\n", 1, 1},
      {"DECIMALS=2;\nSHOWDECIMALS=1;\nPRECISION(\"mått\",\"Antal\")=0;\n", 1, 0},
      {"", std::nullopt, std::nullopt},
      {"DECIMALS=99;\n", std::nullopt, std::nullopt},  // outside the specification's 0–15
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.keywords);
    auto batch = ReadPx("MATRIX=\"T1\";\n" + test.keywords + contents + "DATA=\n1.5 2;", "t.px",
                        PxOptions{nullptr, "0000", ""});
    ASSERT_TRUE(batch) << batch.error().message << " " << batch.error().details.dump();
    ASSERT_EQ(batch->indicators.size(), 2U);
    EXPECT_EQ(batch->indicators[0].definition.decimals, test.share);
    EXPECT_EQ(batch->indicators[1].definition.decimals, test.count);
  }
}

TEST(PxTable, ReadsKeyedRowsInAnyOrderAndLeftOutRowsAsZeros) {
  // Rows in any order, keys separated by ',' or white space; the rows of Luleå men and of
  // Kiruna are left out: PC-Axis leaves out rows of zeros.
  auto table = ReadPxTable(Keyed("\"2580\",\"kvinnor\" 3 4\n\"2480\",\"män\" 1 2\r\n"
                                 "\"2480\" \"kvinnor\" 5 \"..\";"),
                           "t.px", {});
  ASSERT_TRUE(table) << table.error().message << " " << table.error().details.dump();
  EXPECT_TRUE(table->keyed);
  const std::vector<double> expected{1, 2, 5, NAN, 0, 0, 3, 4, 0, 0, 0, 0};
  ASSERT_EQ(table->values.size(), expected.size());
  for (std::size_t cell = 0; cell < expected.size(); ++cell) {
    if (std::isnan(expected[cell])) {
      EXPECT_TRUE(std::isnan(table->values[cell])) << cell;
    } else {
      EXPECT_EQ(table->values[cell], expected[cell]) << cell;
    }
  }
  EXPECT_EQ(table->symbols[3], static_cast<PxSymbol>(2));
  // Each cell's line is its row's; a row left out is at DATA.
  EXPECT_EQ(table->Line(7), 14U);
  EXPECT_EQ(table->Line(0), 15U);
  EXPECT_EQ(table->Line(3), 16U);
  EXPECT_EQ(table->Line(9), 13U);

  // Into observations: the same cells, each with its row's line.
  auto batch = ReadPx(Keyed("\"2580\",\"kvinnor\" 3 4\n\"2480\",\"män\" 1 2;"), "t.px", {});
  ASSERT_TRUE(batch) << batch.error().message << " " << batch->observations.size();
  ASSERT_EQ(batch->observations.size(), 12U);
  const auto& luleå_women_2023 = batch->observations[7];
  EXPECT_EQ(batch->areas[luleå_women_2023.area].code, "2580");
  EXPECT_EQ(batch->breakdowns[luleå_women_2023.breakdown], (Breakdown{{"sex", "women"}}));
  EXPECT_EQ(luleå_women_2023.value, 4);
  EXPECT_EQ(luleå_women_2023.origin, 14U);
  EXPECT_EQ(batch->observations[0].origin, 15U);
  EXPECT_EQ(batch->observations[11].value, 0);
  EXPECT_EQ(batch->observations[11].origin, 13U);

  // All or nothing: every bad row is listed, and nothing is read.
  auto bad = ReadPxTable(
      Keyed("\"2480\",\"män\" 1 2\n\"9999\",\"män\" 1 2\n\"2580\",\"män\" 1\n\"2584\",\"x\" 1 2;"),
      "t.px", {});
  ASSERT_FALSE(bad);
  const auto problems = ProblemsOf(bad.error());
  ASSERT_EQ(problems.size(), 3U);
  EXPECT_EQ(problems[0].first, "t.px:15:2");
  EXPECT_EQ(problems[1].first, "t.px:16:2");
  EXPECT_EQ(problems[2].first, "t.px:17:9");
}

TEST(ReadPx, TakesTheBufferThePreviousFileHandedBack) {
  const std::string tax = PxFile("scb__TAB2017_kommunalskatter.px");
  ReleaseRecycledObservations();
  auto fresh = ReadPx(tax, "TAB2017.px", {});
  ASSERT_TRUE(fresh);
  const auto values = [](const StatsBatch& batch) {
    std::vector<std::tuple<std::uint32_t, std::uint32_t, std::int64_t, double, std::uint64_t>> out;
    for (const auto& draft : batch.observations) {
      out.emplace_back(draft.indicator, draft.area, draft.period, draft.value, draft.origin);
    }
    return out;
  };
  const auto expected = values(*fresh);
  const ObservationDraft* buffer = fresh->observations.data();
  RecycleObservations(std::move(fresh->observations));
  auto again = ReadPx(tax, "TAB2017.px", {});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->observations.data(), buffer);
  EXPECT_EQ(values(*again), expected);
  ReleaseRecycledObservations();
}

TEST(PxCharset, DecodesAndValidates) {
  EXPECT_EQ(PxEncodingOf("UTF-8"), PxEncoding::kUtf8);
  EXPECT_EQ(PxEncodingOf("iso-8859-1"), PxEncoding::kWindows1252);
  EXPECT_EQ(PxEncodingOf("Windows-1252"), PxEncoding::kWindows1252);
  EXPECT_EQ(PxEncodingOf("ISO_8859-15"), PxEncoding::kLatin9);
  EXPECT_FALSE(PxEncodingOf("ibm850"));
  std::string out;
  EXPECT_FALSE(AppendUtf8("\x80\x96\xE9", PxEncoding::kWindows1252, out));
  EXPECT_EQ(out, "€–é");
}

struct FormatCase {
  const char* name;
  std::string text;
  const char* file;
  StatsFileFormat format;
};

TEST(StatsFormat, TellsFormatsByContent) {
  const FormatCase cases[] = {
      {"PX", "CHARSET=\"ANSI\";\nSTUB=\"r\";\nDATA=1;", "x.csv", StatsFileFormat::kPx},
      {"PX with a BOM",
       "\xEF\xBB\xBF"
       "AXIS-VERSION=\"2013\";\nVALUES(\"r\")=\"a\";",
       "x", StatsFileFormat::kPx},
      {"PX by extension only", "garbage", "t.PX", StatsFileFormat::kPx},
      {"Kolada", "{\"count\": 1, \"values\": [{\"kpi\": \"N1\"}]}", "x", StatsFileFormat::kKolada},
      {"Kolada pages", "[{\"values\": []}, {\"values\": []}]", "x", StatsFileFormat::kKolada},
      {"JSON-stat 2.0", "{\"class\": \"dataset\", \"value\": []}", "x", StatsFileFormat::kJsonStat},
      {"JSON-stat bare 1.x", "{\"dimension\": {}, \"value\": []}", "x", StatsFileFormat::kJsonStat},
      {"JSON-stat bundle", "{\"ds\": {\"dimension\": {\"values\": 1}}}", "x",
       StatsFileFormat::kJsonStat},
      {"other JSON", "{\"tables\": []}", "x", StatsFileFormat::kJsonStat},
      {"CSV", "indicator;area;period;value\nN1;0180;2022;1\n", "x.txt", StatsFileFormat::kCsv},
      {"a .json name, whatever the content", "a,b\n", "x.json", StatsFileFormat::kJsonStat},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.name);
    EXPECT_EQ(DetectStatsFormat(test.text, test.file), test.format);
  }
  EXPECT_EQ(DetectStatsFormat(PxFile("ine__14001.px"), "14001"), StatsFileFormat::kPx);
  EXPECT_EQ(DetectStatsFormat(PxFile("statfi__statfin_ras_pxt_13m4.px"), "x"),
            StatsFileFormat::kPx);
}

}  // namespace
}  // namespace halsonav::statsio
