#include "io/problems.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/json_codec.hpp"

namespace halsonav {

tl::unexpected<Error> ProblemsError(const std::vector<Problem>& problems, std::string_view what) {
  Json list = Json::array();
  for (const auto& problem : problems) {
    list.push_back({{"pointer", problem.pointer}, {"message", problem.message}});
  }
  std::vector<std::string> shown;
  for (std::size_t idx = 0; idx < problems.size() && idx < 3; ++idx) {
    shown.push_back(fmt::format("{}: {}", problems[idx].pointer, problems[idx].message));
  }
  auto message = fmt::format("{} has {} problem{}: {}{}", what, problems.size(),
                             problems.size() == 1 ? "" : "s", fmt::join(shown, "; "),
                             problems.size() > shown.size() ? "; …" : "");
  return tl::unexpected<Error>(
      Error{ErrorCode::kInvalidValue, std::move(message), {{"problems", std::move(list)}}});
}

}  // namespace halsonav
