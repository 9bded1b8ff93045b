#include "io/plan_xlsx.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sample_plan.hpp"

// The cells themselves are checked by check_plan_xlsx.py (openpyxl reads the workbook back);
// these tests check the container, determinism and the error paths.

namespace halsonav::plan {
namespace {

// Sets an environment variable for the life of the object, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(PlanXlsx, WritesAZipWithFourSheets) {
  const auto bytes = WritePlanXlsx(testing::SamplePlan(), "2024-05-01");
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  ASSERT_GT(bytes->size(), 4u);
  EXPECT_EQ(bytes->substr(0, 4), std::string("PK\x03\x04", 4));
  for (const char* entry : {"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                            "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml",
                            "xl/worksheets/sheet4.xml", "xl/sharedStrings.xml"}) {
    EXPECT_NE(bytes->find(entry), std::string::npos) << entry;
  }
  EXPECT_EQ(bytes->find("xl/worksheets/sheet5.xml"), std::string::npos);
}

TEST(PlanXlsx, SamePlanAndDateGiveTheSameBytes) {
  const auto first = WritePlanXlsx(testing::SamplePlan(), "2024-05-01");
  const auto second = WritePlanXlsx(testing::SamplePlan(), "2024-05-01");
  const auto other_day = WritePlanXlsx(testing::SamplePlan(), "2024-05-02");
  ASSERT_TRUE(first && second && other_day);
  EXPECT_EQ(*first, *second);
  EXPECT_NE(*first, *other_day);
}

TEST(PlanXlsx, ThreadsWritingAtOnceGetTheSameBytes) {
  const auto reference = WritePlanXlsx(testing::SamplePlan(), "2024-05-01");
  ASSERT_TRUE(reference.has_value());
  constexpr int kThreads = 4;
  constexpr int kWritesEach = 5;
  std::vector<int> same(kThreads, 0);
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      for (int write_idx = 0; write_idx < kWritesEach; ++write_idx) {
        const auto bytes = WritePlanXlsx(testing::SamplePlan(), "2024-05-01");
        if (bytes && *bytes == *reference) ++same[thread_idx];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(same, std::vector<int>(kThreads, kWritesEach));
}

TEST(PlanXlsx, TodayIsTheDefaultExportDate) {
  const auto bytes = WritePlanXlsx(testing::SamplePlan());
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  EXPECT_EQ(bytes->substr(0, 2), "PK");
}

TEST(PlanXlsx, AnEmptyPlanStillHasItsSheets) {
  const auto bytes = WritePlanXlsx(PlanFile{}, "2024-05-01");
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  EXPECT_NE(bytes->find("xl/worksheets/sheet4.xml"), std::string::npos);
}

TEST(PlanXlsx, RefusesAnExportDateThatIsNotADate) {
  for (const char* date :
       {"", "2024-5-1", "2024-02-30", "2024-13-01", "01.05.2024", "2024-05-0x"}) {
    const auto bytes = WritePlanXlsx(testing::SamplePlan(), date);
    ASSERT_FALSE(bytes.has_value()) << date;
    EXPECT_EQ(bytes.error().code, ErrorCode::kInvalidValue) << date;
  }
  EXPECT_TRUE(WritePlanXlsx(testing::SamplePlan(), "2024-02-29").has_value());
}

TEST(PlanXlsx, ATextLongerThanExcelAllowsIsAnError) {
  auto plan = testing::SamplePlan();
  plan.nodes[0].children[0].measures[1].text = std::string(40000, 'a');
  const auto bytes = WritePlanXlsx(plan, "2024-05-01");
  ASSERT_FALSE(bytes.has_value());
  EXPECT_EQ(bytes.error().code, ErrorCode::kInvalidValue);
  // Row 3 (the second measure), column H (after Delmål, Arena, Grupp, Nr, Målgrupp, Förväntat…,
  // År): the Åtgärd column.
  EXPECT_NE(bytes.error().message.find("Åtgärder!H3"), std::string::npos) << bytes.error().message;
}

TEST(PlanXlsx, LeavesNoTemporaryFileBehind) {
  std::string dir = (std::filesystem::temp_directory_path() / "halsonav-xlsx-test-XXXXXX").string();
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  {
    const ScopedEnv tmpdir("TMPDIR", dir.c_str());
    EXPECT_TRUE(WritePlanXlsx(testing::SamplePlan(), "2024-05-01").has_value());
    auto plan = testing::SamplePlan();
    plan.framework.title = std::string(40000, 'a');  // fails at the "Om" sheet
    EXPECT_FALSE(WritePlanXlsx(plan, "2024-05-01").has_value());
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  std::filesystem::remove_all(dir);
}

TEST(PlanXlsx, AMissingTemporaryDirectoryIsAnInternalError) {
  const ScopedEnv tmpdir("TMPDIR", "/nonexistent/halsonav-test");
  const auto bytes = WritePlanXlsx(testing::SamplePlan(), "2024-05-01");
  ASSERT_FALSE(bytes.has_value());
  EXPECT_EQ(bytes.error().code, ErrorCode::kInternal);
  EXPECT_NE(bytes.error().message.find("/nonexistent/halsonav-test"), std::string::npos)
      << bytes.error().message;
}

}  // namespace
}  // namespace halsonav::plan
