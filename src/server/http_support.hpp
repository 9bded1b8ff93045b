#pragma once

// Private to the server: answering in JSON, and what every route handler shares.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <httplib.h>

#include "core/domain.hpp"
#include "core/error.hpp"
#include "core/json_codec.hpp"

namespace halsonav::http {

// JSON is UTF-8 by definition (RFC 8259), so no charset parameter: cpp-httplib gzips a response
// (when the client accepts it) only for exact media types, "application/json" among them.
inline constexpr std::string_view kJsonType = "application/json";

void SendJson(httplib::Response& res, int status, const Json& body);
void SendError(httplib::Response& res, const Error& error);
void SendResult(httplib::Response& res, const Result<Json>& result, int status = 200);
tl::unexpected<Error> NotFound(const std::string& path);

// kUnsupportedMediaType unless the body is sent as `expected` (parameters such as charset
// aside).
Result<void> RequireMediaType(const httplib::Request& req, std::string_view expected);

// A path segment as an id (a positive integer); nullopt for anything else.
std::optional<Id> ParseId(std::string_view text);

// The HTTP method names a route accepts, for 405 answers.
struct Allowed {
  std::vector<std::string_view> methods;
  bool Has(std::string_view method) const;
};

}  // namespace halsonav::http
