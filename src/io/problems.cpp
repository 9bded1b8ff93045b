#include "io/problems.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/json_codec.hpp"
#include "io/csv.hpp"

namespace halsonav {

bool ProblemList::Add(std::string place, std::string message) {
  if (list_.size() < limit_) {
    list_.push_back({std::move(place), std::move(message)});
  } else {
    ++unlisted_;
  }
  return list_.size() < limit_;
}

void ProblemList::NoteUnlisted(std::string place) {
  if (unlisted_ == 0) return;
  list_.push_back({std::move(place), fmt::format("{} more problems not listed", unlisted_)});
}

TextPlace PlaceOf(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  TextPlace place;
  std::size_t line_start = 0;
  for (std::size_t pos = 0; pos < offset; ++pos) {
    if (text[pos] == '\n') {
      ++place.line;
      line_start = pos + 1;
    }
  }
  place.column = offset - line_start + 1;
  return place;
}

std::string TextPosition(std::string_view file_name, std::string_view text, std::size_t offset) {
  const auto place = PlaceOf(text, offset);
  return csv::Where(file_name, place.line, place.column);
}

std::string PointerPlace(std::string_view file_name, std::string_view pointer) {
  return fmt::format("{}#{}", file_name, pointer);
}

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
