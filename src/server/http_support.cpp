#include "server/http_support.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "core/text.hpp"

namespace halsonav::http {

void SendJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), kJsonType.data());
}

void SendError(httplib::Response& res, const Error& error) {
  // 503 (busy, unavailable) says when to come back: details.retry_after seconds, else 1.
  if (HttpStatus(error.code) == 503) {
    const auto& details = error.details;
    const bool given = details.is_object() && details.contains("retry_after") &&
                       details["retry_after"].is_number_integer();
    res.set_header("Retry-After", std::to_string(given ? details["retry_after"].get<int>() : 1));
  }
  SendJson(res, HttpStatus(error.code), ErrorBody(error));
}

void SendResult(httplib::Response& res, const Result<Json>& result, int status) {
  if (result) {
    SendJson(res, status, *result);
  } else {
    SendError(res, result.error());
  }
}

tl::unexpected<Error> NotFound(const std::string& path) {
  return Fail(ErrorCode::kNotFound, fmt::format("there is nothing at {}", path), {{"path", path}});
}

Result<void> RequireMediaType(const httplib::Request& req, std::string_view expected) {
  const auto type = req.get_header_value("Content-Type");
  std::string lowered = LowerCase(type.substr(0, type.find(';')));
  lowered.erase(lowered.find_last_not_of(' ') + 1);
  if (lowered != expected) {
    return Fail(ErrorCode::kUnsupportedMediaType,
                fmt::format("the body must be sent as {}, not \"{}\"", expected, type),
                {{"content_type", type}});
  }
  return {};
}

std::optional<Id> ParseId(std::string_view text) {
  Id value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

bool Allowed::Has(std::string_view method) const {
  return std::find(methods.begin(), methods.end(), method) != methods.end();
}

}  // namespace halsonav::http
