#include "io/measure_csv.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "problems.hpp"

namespace halsonav::plan {
namespace {

using halsonav::testing::Problems;
using halsonav::testing::ProblemsOf;

std::vector<CsvMeasure> ReadOk(std::string_view text) {
  auto result = ReadMeasureCsv(text, "atgarder.csv");
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  return result ? std::move(*result) : std::vector<CsvMeasure>{};
}

TEST(MeasureCsv, ReadsSwedishExcelWithBomCrlfAndSemicolons) {
  const std::string text =
      "\xEF\xBB\xBF"
      "Nodtyp;Nod;Nr;Målgrupp;Förväntat resultat;År;Åtgärd;Status;Ansvarig;Samverkanspartner;"
      "Taggar;Klassificering;Föreslagen klassificering\r\n"
      "group;1;1 A;Elever;\"Fler elever; med betyg\";2025;\"Motverka \"\"mobbning\"\"\r\n"
      "i skolan\";Pågår;\"Region Norrbotten [Utvecklingsavdelningen / Folkhälsocentrum; "
      "Avdelningen för regional utveckling / Näringslivsenheten] | Luleå tekniska universitet\";"
      "Svenska kyrkan | förutsättning: Kommunerna i Norrbotten [Elevhälsan] | desirable: "
      "Civilsamhället;2035 | skola;target_area:2;agenda2030:4 | agenda2030:3\r\n"
      "group;2;1 B;;;;Stärk elevhälsan;ny/förankrad;;;;;\r\n";
  const auto measures = ReadOk(text);
  ASSERT_EQ(measures.size(), 2u);

  const auto& first = measures[0];
  EXPECT_EQ(first.line, 2u);
  EXPECT_EQ(first.node_kind, "group");
  EXPECT_EQ(first.node_code, "1");
  EXPECT_EQ(first.measure.code, "1 A");
  EXPECT_EQ(first.measure.target_group, "Elever");
  EXPECT_EQ(first.measure.expected_result, "Fler elever; med betyg");
  EXPECT_EQ(first.measure.expected_result_year, 2025);
  EXPECT_EQ(first.measure.text, "Motverka \"mobbning\"\ni skolan");
  EXPECT_EQ(first.measure.status, MeasureStatus::kUnderWay);
  ASSERT_EQ(first.measure.responsible.size(), 2u);
  EXPECT_EQ(first.measure.responsible[0].actor, "Region Norrbotten");
  EXPECT_EQ(first.measure.responsible[0].units,
            (std::vector<std::string>{"Utvecklingsavdelningen / Folkhälsocentrum",
                                      "Avdelningen för regional utveckling / Näringslivsenheten"}));
  EXPECT_EQ(first.measure.responsible[1].actor, "Luleå tekniska universitet");
  EXPECT_TRUE(first.measure.responsible[1].units.empty());
  ASSERT_EQ(first.measure.partners.size(), 3u);
  EXPECT_EQ(first.measure.partners[0].actor, "Svenska kyrkan");
  EXPECT_EQ(first.measure.partners[0].role, PartRole::kParticipant);
  EXPECT_EQ(first.measure.partners[1].actor, "Kommunerna i Norrbotten");
  EXPECT_EQ(first.measure.partners[1].role, PartRole::kPrerequisite);
  EXPECT_EQ(first.measure.partners[1].units, std::vector<std::string>{"Elevhälsan"});
  EXPECT_EQ(first.measure.partners[2].actor, "Civilsamhället");
  EXPECT_EQ(first.measure.partners[2].role, PartRole::kDesirable);
  EXPECT_EQ(first.measure.tags, (std::vector<std::string>{"2035", "skola"}));
  EXPECT_EQ(first.measure.classifications, std::vector<std::string>{"target_area:2"});
  EXPECT_EQ(first.measure.suggested_classifications,
            (std::vector<std::string>{"agenda2030:4", "agenda2030:3"}));

  // The first row spans lines 2–3, so the second starts on line 4.
  const auto& second = measures[1];
  EXPECT_EQ(second.line, 4u);
  EXPECT_EQ(second.node_code, "2");
  EXPECT_EQ(second.measure.text, "Stärk elevhälsan");
  EXPECT_EQ(second.measure.status, MeasureStatus::kNewAnchored);
  EXPECT_FALSE(second.measure.expected_result_year.has_value());
  EXPECT_TRUE(second.measure.responsible.empty());
  EXPECT_TRUE(second.measure.partners.empty());
}

TEST(MeasureCsv, ReadsCommasLfAnyColumnOrderAndNoNodeKind) {
  const auto measures = ReadOk(
      "text,status,node_code,partners,code\n"
      "\"Motverka mobbning, i skolan\",done,10,lead: Region Norrbotten,10 B\n"
      "Stärk elevhälsan,,10,,10 C\n");
  ASSERT_EQ(measures.size(), 2u);
  EXPECT_EQ(measures[0].node_kind, "");
  EXPECT_EQ(measures[0].node_code, "10");
  EXPECT_EQ(measures[0].measure.text, "Motverka mobbning, i skolan");
  EXPECT_EQ(measures[0].measure.code, "10 B");
  EXPECT_EQ(measures[0].measure.status, MeasureStatus::kDone);
  ASSERT_EQ(measures[0].measure.partners.size(), 1u);
  EXPECT_EQ(measures[0].measure.partners[0].actor, "Region Norrbotten");
  EXPECT_EQ(measures[0].measure.partners[0].role, PartRole::kLead);
  EXPECT_EQ(measures[1].measure.status, MeasureStatus::kNotStated);
  EXPECT_EQ(measures[1].line, 3u);
}

TEST(MeasureCsv, MatchesHeadersAndWordsWithoutRegardToCaseAndTrimsCells) {
  const auto measures = ReadOk(
      "  NOD ; ÅTGÄRD ;STATUS;Samverkanspartner\n"
      "  3  ;  Text med   mellanrum  ; Ej Angiven ;HUVUDAKTÖR: A | Samordnande : B | "
      "Önskvärd:C | deltagare: D | i samverkan: E | coordinating: F\n");
  ASSERT_EQ(measures.size(), 1u);
  EXPECT_EQ(measures[0].node_code, "3");
  EXPECT_EQ(measures[0].measure.text, "Text med   mellanrum");
  EXPECT_EQ(measures[0].measure.status, MeasureStatus::kNotStated);
  const std::pair<const char*, PartRole> expected[] = {
      {"A", PartRole::kLead},        {"B", PartRole::kCoordinating}, {"C", PartRole::kDesirable},
      {"D", PartRole::kParticipant}, {"E", PartRole::kParticipant},  {"F", PartRole::kCoordinating},
  };
  ASSERT_EQ(measures[0].measure.partners.size(), std::size(expected));
  for (std::size_t idx = 0; idx < std::size(expected); ++idx) {
    EXPECT_EQ(measures[0].measure.partners[idx].actor, expected[idx].first);
    EXPECT_EQ(measures[0].measure.partners[idx].role, expected[idx].second);
  }
}

TEST(MeasureCsv, EveryStatusWord) {
  const std::pair<const char*, MeasureStatus> cases[] = {
      {"under_way", MeasureStatus::kUnderWay},
      {"pågår", MeasureStatus::kUnderWay},
      {"new_anchored", MeasureStatus::kNewAnchored},
      {"Ny/förankrad", MeasureStatus::kNewAnchored},
      {"done", MeasureStatus::kDone},
      {"klar", MeasureStatus::kDone},
      {"paused", MeasureStatus::kPaused},
      {"pausad", MeasureStatus::kPaused},
      {"cancelled", MeasureStatus::kCancelled},
      {"AVBRUTEN", MeasureStatus::kCancelled},
      {"not_stated", MeasureStatus::kNotStated},
      {"ej angiven", MeasureStatus::kNotStated},
      {"", MeasureStatus::kNotStated},
  };
  for (const auto& [word, status] : cases) {
    const auto measures = ReadOk(std::string("nod;åtgärd;status\n1;x;") + word + "\n");
    ASSERT_EQ(measures.size(), 1u) << word;
    EXPECT_EQ(measures[0].measure.status, status) << word;
  }
}

TEST(MeasureCsv, ALineBreakInACellSeparatesListItemsLikeABar) {
  const auto measures = ReadOk(
      "nod;åtgärd;ansvarig;taggar\n"
      "1;x;\"Region Norrbotten [A / B]\nLuleå kommun\r\n\";\"2035\n\nskola | idrott\"\n");
  ASSERT_EQ(measures.size(), 1u);
  ASSERT_EQ(measures[0].measure.responsible.size(), 2u);
  EXPECT_EQ(measures[0].measure.responsible[0].units, std::vector<std::string>{"A / B"});
  EXPECT_EQ(measures[0].measure.responsible[1].actor, "Luleå kommun");
  EXPECT_EQ(measures[0].measure.tags, (std::vector<std::string>{"2035", "skola", "idrott"}));
}

TEST(MeasureCsv, SkipsBlankLinesAndEmptyRowsAndKeepsLineNumbers) {
  const auto measures = ReadOk(
      "\n"
      "nod;åtgärd;år\n"
      "\n"
      ";;\n"
      "1;\"två\n"
      "rader\";2030\n"
      "   \n"
      "2;en rad;\n");
  ASSERT_EQ(measures.size(), 2u);
  EXPECT_EQ(measures[0].line, 5u);
  EXPECT_EQ(measures[0].measure.text, "två\nrader");
  EXPECT_EQ(measures[0].measure.expected_result_year, 2030);
  EXPECT_EQ(measures[1].line, 8u);
}

TEST(MeasureCsv, AcceptsALastLineWithoutLineEndAndLoneCarriageReturns) {
  const auto measures = ReadOk("nod;åtgärd\r1;a\r2;b");
  ASSERT_EQ(measures.size(), 2u);
  EXPECT_EQ(measures[1].line, 3u);
  EXPECT_EQ(measures[1].measure.text, "b");
}

TEST(MeasureCsv, AnEmptyHeaderColumnIsIgnoredWhileItIsEmpty) {
  const auto measures = ReadOk("nod;åtgärd;\n1;a;\n");
  ASSERT_EQ(measures.size(), 1u);
}

TEST(MeasureCsv, EachProblemNamesFileLineAndColumn) {
  struct Case {
    const char* name;
    std::string text;
    const char* pointer;
    const char* message;  // a part of the message
  };
  const Case cases[] = {
      {"too few columns", "nod;åtgärd;status\n1;Text\n", "f.csv:2:1",
       "the row has 2 columns, the header has 3"},
      {"too many columns", "nod;åtgärd\n1;Text;x\n", "f.csv:2:1",
       "the row has 3 columns, the header has 2"},
      {"unknown status", "nod;åtgärd;status\n1;Text;igång\n", "f.csv:2:3",
       "column \"status\": unknown status \"igång\"; the statuses are under_way, new_anchored, "
       "done, paused, cancelled, not_stated or pågår, ny/förankrad, klar, pausad, avbruten, "
       "ej angiven"},
      {"unknown header", "nod;Åtgärdstext;åtgärd\n1;x;Text\n", "f.csv:1:2",
       "unknown column \"Åtgärdstext\"; the columns are node_kind, node_code, code"},
      {"bad year", "nod;åtgärd;År\n1;Text;20x5\n", "f.csv:2:3",
       "column \"År\" (expected_result_year): \"20x5\" is not a year from 1900 to 2100"},
      {"year out of range", "node_code,text,expected_result_year\n1,Text,1899\n", "f.csv:2:3",
       "column \"expected_result_year\": \"1899\" is not a year from 1900 to 2100"},
      {"unclosed bracket", "nod;åtgärd;ansvarig\n1;Text;Region Norrbotten [Folkhälsocentrum\n",
       "f.csv:2:3",
       "column \"ansvarig\" (responsible): unclosed \"[\" in \"Region Norrbotten "
       "[Folkhälsocentrum\""},
      {"closing bracket alone", "nod;åtgärd;ansvarig\n1;Text;Region] X\n", "f.csv:2:3",
       "\"]\" without \"[\" in \"Region] X\""},
      {"text after bracket", "nod;åtgärd;ansvarig\n1;Text;Region [A] B\n", "f.csv:2:3",
       "text after \"]\" in \"Region [A] B\""},
      {"units without actor", "nod;åtgärd;ansvarig\n1;Text;[A]\n", "f.csv:2:3",
       "units without an actor in \"[A]\""},
      {"unknown role", "nod;åtgärd;samverkanspartner\n1;Text;X | ledare: Kommunerna\n", "f.csv:2:3",
       "unknown role \"ledare\" in \"ledare: Kommunerna\"; the roles are lead"},
      {"role without actor", "nod;åtgärd;partners\n1;Text;lead:\n", "f.csv:2:3",
       "a role without an actor"},
      {"missing text", "nod;åtgärd\n1;  \n", "f.csv:2:2",
       "column \"åtgärd\" (text): a value is required"},
      {"missing node code", "node_code;text\n;Text\n", "f.csv:2:1",
       "column \"node_code\": a value is required"},
      {"missing required column", "nod;status\n1;klar\n", "f.csv:1:1",
       "the header has no column \"text\" (in Swedish \"åtgärd\"), which is required"},
      {"duplicate column", "nod;åtgärd;text\n1;a;b\n", "f.csv:1:3",
       "column \"text\" appears twice: also column 2"},
      {"value without header", "nod;;åtgärd\n1;x;Text\n", "f.csv:2:2",
       "a value in a column that has no header"},
      {"unclosed quote", "nod;åtgärd\n1;Text\n2;\"Text\nmed\n", "f.csv:3:2",
       "a quote (\") opens a cell here and is never closed"},
      {"text after closing quote", "nod;åtgärd\n1;\"Text\" och mer\n", "f.csv:2:2",
       "text after the closing quote"},
      {"invalid UTF-8", "nod;åtgärd\n1;\"Text\nmed \xE5 Latin-1\"\n", "f.csv:3:2",
       "invalid UTF-8 (byte 0xE5)"},
      {"invalid UTF-8 in the header", "nod;åtgärd;m\xE5lgrupp\n1;x;y\n", "f.csv:1:3",
       "invalid UTF-8 (byte 0xE5)"},
      {"empty file", "", "f.csv:1:1", "the file is empty"},
      {"only a byte-order mark and blanks", "\xEF\xBB\xBF \r\n\r\n", "f.csv:1:1",
       "the file is empty"},
      {"only a header", "\nnod;åtgärd\n\n", "f.csv:2:1",
       "the file has a header but no rows of measures"},
  };
  for (const auto& c : cases) {
    const auto result = ReadMeasureCsv(c.text, "f.csv");
    ASSERT_FALSE(result.has_value()) << c.name;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidValue) << c.name;
    const auto problems = ProblemsOf(result.error());
    ASSERT_EQ(problems.size(), 1u) << c.name << ": " << result.error().message;
    EXPECT_EQ(problems[0].first, c.pointer) << c.name;
    EXPECT_NE(problems[0].second.find(c.message), std::string::npos)
        << c.name << ": " << problems[0].second;
  }
}

TEST(MeasureCsv, CollectsEveryProblemOfTheFileInOrder) {
  const auto result = ReadMeasureCsv(
      "nod;åtgärd;status;år;okänd\n"
      "1;Text;klar;2020;\n"
      "2;;igång;1800;\n"
      "3;Text\n"
      "4;Text;klar;;\n",
      "plan.csv");
  ASSERT_FALSE(result.has_value());
  const auto problems = ProblemsOf(result.error());
  const Problems expected = {
      {"plan.csv:1:5",
       "unknown column \"okänd\"; the columns are node_kind, node_code, code, "
       "target_group, expected_result, expected_result_year, text, status, "
       "responsible, partners, tags, classifications, suggested_classifications "
       "(or their Swedish names, docs/measure-csv.md)"},
      {"plan.csv:3:2", "column \"åtgärd\" (text): a value is required"},
      {"plan.csv:3:3",
       "column \"status\": unknown status \"igång\"; the statuses are under_way, new_anchored, "
       "done, paused, cancelled, not_stated or pågår, ny/förankrad, klar, pausad, avbruten, ej "
       "angiven (empty: not_stated)"},
      {"plan.csv:3:4",
       "column \"år\" (expected_result_year): \"1800\" is not a year from 1900 to 2100"},
      {"plan.csv:4:1", "the row has 2 columns, the header has 5"},
  };
  EXPECT_EQ(problems, expected);
  EXPECT_EQ(result.error().message.rfind("the CSV file has 5 problems: plan.csv:1:5: ", 0), 0u)
      << result.error().message;
}

// The example in docs/measure-csv.md reads as the text around it says.
TEST(MeasureCsv, TheDocumentedExampleReads) {
  std::ifstream doc(HALSONAV_SOURCE_DIR "/docs/measure-csv.md");
  ASSERT_TRUE(doc) << "docs/measure-csv.md";
  std::stringstream buffer;
  buffer << doc.rdbuf();
  const std::string text = buffer.str();
  const auto start = text.find("```\nNodtyp;");
  ASSERT_NE(start, std::string::npos);
  const auto end = text.find("```", start + 4);
  ASSERT_NE(end, std::string::npos);
  const auto measures = ReadOk(std::string_view(text).substr(start + 4, end - start - 4));
  ASSERT_EQ(measures.size(), 2u);
  EXPECT_EQ(measures[0].measure.responsible[0].units,
            std::vector<std::string>{"Utvecklingsavdelningen / Folkhälsocentrum"});
  ASSERT_EQ(measures[0].measure.partners.size(), 3u);
  EXPECT_EQ(measures[0].measure.partners[2].role, PartRole::kDesirable);
  EXPECT_EQ(measures[1].measure.text, "Stärk \"elevhälsan\"");
  EXPECT_EQ(measures[1].measure.status, MeasureStatus::kNewAnchored);
}

TEST(MeasureCsv, ANameThatIsNotUtf8IsMadeSafeForJson) {
  const auto result = ReadMeasureCsv("", "fil\xE5.csv");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(ProblemsOf(result.error())[0].first, "fil\xEF\xBF\xBD.csv:1:1");
  EXPECT_NO_THROW((void)result.error().details.dump());
}

}  // namespace
}  // namespace halsonav::plan
