#include "core/error.hpp"

#include <array>

namespace halsonav {
namespace {

struct ErrorCodeInfo {
  ErrorCode code;
  std::string_view name;
  int http_status;
};

// The one table of error codes (docs/api.md lists the same, for clients).
constexpr std::array kErrorCodes = {
    ErrorCodeInfo{ErrorCode::kBadRequest, "bad_request", 400},
    ErrorCodeInfo{ErrorCode::kUnauthenticated, "unauthenticated", 401},
    ErrorCodeInfo{ErrorCode::kForbidden, "forbidden", 403},
    ErrorCodeInfo{ErrorCode::kTooManyRequests, "too_many_requests", 429},
    ErrorCodeInfo{ErrorCode::kMalformedJson, "malformed_json", 400},
    ErrorCodeInfo{ErrorCode::kUnknownField, "unknown_field", 400},
    ErrorCodeInfo{ErrorCode::kWrongType, "wrong_type", 400},
    ErrorCodeInfo{ErrorCode::kMissingField, "missing_field", 400},
    ErrorCodeInfo{ErrorCode::kInvalidValue, "invalid_value", 400},
    ErrorCodeInfo{ErrorCode::kInvalidParameter, "invalid_parameter", 400},
    ErrorCodeInfo{ErrorCode::kImmutableField, "immutable_field", 400},
    ErrorCodeInfo{ErrorCode::kReadOnly, "read_only", 403},
    ErrorCodeInfo{ErrorCode::kNotFound, "not_found", 404},
    ErrorCodeInfo{ErrorCode::kMethodNotAllowed, "method_not_allowed", 405},
    ErrorCodeInfo{ErrorCode::kVersionConflict, "version_conflict", 409},
    ErrorCodeInfo{ErrorCode::kDuplicate, "duplicate", 409},
    ErrorCodeInfo{ErrorCode::kInUse, "in_use", 409},
    ErrorCodeInfo{ErrorCode::kEntityDeleted, "entity_deleted", 409},
    ErrorCodeInfo{ErrorCode::kPayloadTooLarge, "payload_too_large", 413},
    ErrorCodeInfo{ErrorCode::kUnsupportedMediaType, "unsupported_media_type", 415},
    ErrorCodeInfo{ErrorCode::kReferenceNotFound, "reference_not_found", 422},
    ErrorCodeInfo{ErrorCode::kRuleViolation, "rule_violation", 422},
    ErrorCodeInfo{ErrorCode::kUpstream, "upstream", 502},
    ErrorCodeInfo{ErrorCode::kDatabase, "database", 500},
    ErrorCodeInfo{ErrorCode::kBusy, "busy", 503},
    ErrorCodeInfo{ErrorCode::kUnavailable, "unavailable", 503},
    ErrorCodeInfo{ErrorCode::kInterrupted, "interrupted", 503},
    ErrorCodeInfo{ErrorCode::kInternal, "internal", 500},
};

const ErrorCodeInfo& Info(ErrorCode code) {
  for (const auto& info : kErrorCodes) {
    if (info.code == code) return info;
  }
  return kErrorCodes.back();
}

}  // namespace

tl::unexpected<Error> Fail(ErrorCode code, std::string message, nlohmann::json details) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(details)});
}

std::string_view ErrorCodeName(ErrorCode code) { return Info(code).name; }

int HttpStatus(ErrorCode code) { return Info(code).http_status; }

nlohmann::json ErrorBody(const Error& error) {
  return {{"error",
           {{"code", ErrorCodeName(error.code)},
            {"message", error.message},
            {"details", error.details.is_object() ? error.details : nlohmann::json::object()}}}};
}

}  // namespace halsonav
