#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace halsonav {

// Every expected failure in Hälsonav has one of these codes. Each code has a stable string (the
// `code` of the API's error body) and one HTTP status; the table lives in error.cpp.
enum class ErrorCode {
  kBadRequest,       // the HTTP request itself could not be read
  kUnauthenticated,  // no valid session or token, or a failed sign-in
  kForbidden,        // signed in, but the caller's roles or organisation do not reach this
  kTooManyRequests,  // sign-in attempts throttled: retry after the delay in details
  kMalformedJson,
  kUnknownField,
  kWrongType,
  kMissingField,
  kInvalidValue,
  kInvalidParameter,
  kImmutableField,
  kReadOnly,
  kNotFound,
  kMethodNotAllowed,
  kVersionConflict,
  kDuplicate,
  kInUse,
  kEntityDeleted,
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kReferenceNotFound,
  kRuleViolation,
  kUpstream,     // a service the app fetches from (Kolada, PxWeb) failed or answered wrongly
  kDatabase,     // the database file is missing, not SQLite, or from a newer schema
  kBusy,         // the database is locked by another writer: retry after Retry-After
  kUnavailable,  // the server cannot take the request now (its queue is full, or as many fetches
                 // running as allowed): retry after Retry-After
  kInterrupted,  // work stopped before its end: cancelled, or its server process stopped
  kInternal,
};

// An expected failure: what went wrong (code), in words (message), and machine-readable
// specifics (details: a JSON object, e.g. {"field": "/name"}).
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  nlohmann::json details = nlohmann::json::object();
};

template <typename T>
using Result = tl::expected<T, Error>;

// Builds the unexpected value of a Result: `return Fail(ErrorCode::kNotFound, "...", {...});`
tl::unexpected<Error> Fail(ErrorCode code, std::string message,
                           nlohmann::json details = nlohmann::json::object());

// The stable lowercase identifier of a code ("version_conflict").
std::string_view ErrorCodeName(ErrorCode code);

// The HTTP status the API answers with for a code.
int HttpStatus(ErrorCode code);

// The API's error body: {"error": {"code", "message", "details"}}.
nlohmann::json ErrorBody(const Error& error);

}  // namespace halsonav
