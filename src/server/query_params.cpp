#include "server/query_params.hpp"

#include <charconv>

#include <fmt/format.h>

#include "core/enums.hpp"

namespace halsonav {

QueryParams::QueryParams(const std::multimap<std::string, std::string>& params,
                         std::set<std::string> allowed)
    : params_(params), allowed_(std::move(allowed)) {}

void QueryParams::Invalid(const std::string& name, const std::string& why) {
  if (error_) return;
  error_ = Error{ErrorCode::kInvalidParameter,
                 fmt::format("query parameter {}: {}", name, why),
                 {{"parameter", name}}};
}

Result<void> QueryParams::Finish() const {
  if (error_) return tl::unexpected(*error_);
  for (const auto& [name, value] : params_) {
    if (!allowed_.contains(name)) {
      return Fail(ErrorCode::kInvalidParameter,
                  fmt::format("query parameter {} is not known here", name), {{"parameter", name}});
    }
    if (params_.count(name) > 1) {
      return Fail(ErrorCode::kInvalidParameter,
                  fmt::format("query parameter {} is given more than once", name),
                  {{"parameter", name}});
    }
  }
  return {};
}

std::optional<std::string> QueryParams::Text(const std::string& name) {
  const auto it = params_.find(name);
  if (it == params_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> QueryParams::List(const std::string& name) {
  std::vector<std::string> out;
  const auto text = Text(name);
  if (!text) return out;
  std::size_t start = 0;
  while (start <= text->size()) {
    auto end = text->find(',', start);
    if (end == std::string::npos) end = text->size();
    if (end > start) out.push_back(text->substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::optional<std::int64_t> QueryParams::Integer(const std::string& name, std::int64_t min,
                                                 std::int64_t max) {
  const auto text = Text(name);
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  const auto* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end || value < min || value > max) {
    Invalid(name, fmt::format("\"{}\" is not a whole number from {} to {}", *text, min, max));
    return std::nullopt;
  }
  return value;
}

bool QueryParams::Flag(const std::string& name) {
  const auto text = Text(name);
  if (!text) return false;
  if (*text == "true" || *text == "1") return true;
  if (*text == "false" || *text == "0") return false;
  Invalid(name, fmt::format("\"{}\" is not true or false", *text));
  return false;
}

PageRequest QueryParams::Page() {
  allowed_.insert({"limit", "offset"});
  PageRequest page;
  page.limit = Integer("limit", 1, 1000).value_or(100);
  page.offset = Integer("offset", 0, INT64_MAX).value_or(0);
  return page;
}

template <typename E>
std::optional<E> QueryParams::Enum(const std::string& name) {
  const auto text = Text(name);
  if (!text) return std::nullopt;
  const auto value = ParseEnum<E>(*text);
  if (!value) {
    std::vector<std::string> allowed;
    for (const auto& [candidate, candidate_name] : EnumNames<E>::kValues) {
      allowed.emplace_back(candidate_name);
    }
    Invalid(name, fmt::format("\"{}\" is not one of: {}", *text, fmt::join(allowed, ", ")));
  }
  return value;
}

template std::optional<ActorKind> QueryParams::Enum<ActorKind>(const std::string&);
template std::optional<FrameworkKind> QueryParams::Enum<FrameworkKind>(const std::string&);
template std::optional<FrameworkStatus> QueryParams::Enum<FrameworkStatus>(const std::string&);
template std::optional<MeasureStatus> QueryParams::Enum<MeasureStatus>(const std::string&);
template std::optional<AreaKind> QueryParams::Enum<AreaKind>(const std::string&);
template std::optional<IndicatorSource> QueryParams::Enum<IndicatorSource>(const std::string&);

}  // namespace halsonav
