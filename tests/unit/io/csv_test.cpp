#include "io/csv.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace halsonav::csv {
namespace {

std::vector<std::vector<std::string>> Cells(const Table& table) {
  std::vector<std::vector<std::string>> out;
  for (const auto& record : table.records) {
    out.emplace_back();
    for (const auto& field : record.fields) out.back().push_back(field.value);
  }
  return out;
}

TEST(Csv, SplitsQuotedCellsOverLinesWithEveryLineEnd) {
  std::vector<Problem> problems;
  const auto table = Parse(
      "\xEF\xBB\xBF"
      "a;b\r\n\"x;\"\"y\"\"\r\nz\";2\r3\n",
      "f.csv", problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_TRUE(table.had_bom);
  EXPECT_EQ(table.delimiter, ';');
  EXPECT_EQ(Cells(table),
            (std::vector<std::vector<std::string>>{{"a", "b"}, {"x;\"y\"\nz", "2"}, {"3"}}));
  EXPECT_EQ(table.records[1].line, 2u);
  EXPECT_EQ(table.records[2].line, 4u);
}

TEST(Csv, DetectsTheDelimiterFromTheHeader) {
  EXPECT_EQ(DetectDelimiter("\n;;\na,b,c;d\n"), ',');
  EXPECT_EQ(DetectDelimiter("\"a,b\";c\n"), ';');
  EXPECT_EQ(DetectDelimiter("a\n"), ';');
}

TEST(Csv, ReportsQuotingProblemsAndInvalidUtf8WithLineAndColumn) {
  std::vector<Problem> problems;
  const auto table = Parse("a,b\n1,\"x\"y\n2,\"open\n", "q.csv", problems);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].pointer, "q.csv:2:2");
  EXPECT_EQ(problems[1].pointer, "q.csv:3:2");
  EXPECT_TRUE(table.records[1].broken);

  problems.clear();
  Field field{"ok\nbad \xFF", 7};
  EXPECT_FALSE(CheckUtf8(field, 3, "u.csv", problems));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].pointer, "u.csv:8:3");
  EXPECT_EQ(FirstInvalidUtf8("\xC0\x80"), 0u);  // overlong
  EXPECT_EQ(FirstInvalidUtf8("åäö"), std::string_view::npos);
  EXPECT_EQ(Fold("  Ålder  Och\tKÖN "), "ålder och kön");
}

}  // namespace
}  // namespace halsonav::csv
