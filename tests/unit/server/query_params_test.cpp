#include "server/query_params.hpp"

#include <gtest/gtest.h>

namespace halsonav {
namespace {

using Params = std::multimap<std::string, std::string>;

TEST(QueryParams, TypedValues) {
  const Params raw = {
      {"framework_id", "3"}, {"status", "under_way"}, {"include_deleted", "true"}, {"limit", "10"}};
  QueryParams params(raw, {"framework_id", "status", "include_deleted"});
  const auto page = params.Page();
  EXPECT_EQ(params.EntityId("framework_id"), 3);
  EXPECT_EQ(params.Enum<MeasureStatus>("status"), MeasureStatus::kUnderWay);
  EXPECT_TRUE(params.Flag("include_deleted"));
  EXPECT_EQ(page.limit, 10);
  EXPECT_EQ(page.offset, 0);
  EXPECT_TRUE(params.Finish());
}

TEST(QueryParams, BadValuesNameTheParameter) {
  struct Case {
    Params raw;
    const char* parameter;
  };
  const Case cases[] = {
      {{{"framework_id", "tre"}}, "framework_id"},
      {{{"framework_id", "0"}}, "framework_id"},
      {{{"framework_id", "99999999999999999999"}}, "framework_id"},
      {{{"limit", "1001"}}, "limit"},
      {{{"offset", "-1"}}, "offset"},
      {{{"status", "klar"}}, "status"},
      {{{"include_deleted", "ja"}}, "include_deleted"},
      {{{"stauts", "done"}}, "stauts"},
      {{{"framework_id", "1"}, {"framework_id", "2"}}, "framework_id"},
  };
  for (const auto& c : cases) {
    QueryParams params(c.raw, {"framework_id", "status", "include_deleted"});
    params.Page();
    params.EntityId("framework_id");
    params.Enum<MeasureStatus>("status");
    params.Flag("include_deleted");
    const auto result = params.Finish();
    ASSERT_FALSE(result) << c.parameter;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidParameter) << c.parameter;
    EXPECT_EQ(result.error().details["parameter"], c.parameter);
  }
}

}  // namespace
}  // namespace halsonav
