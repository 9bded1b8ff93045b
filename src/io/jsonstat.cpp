#include "io/jsonstat.hpp"

// Transitional: replaced by the JSON-stat reader within this change.
namespace halsonav::statsio {
Result<JsonStatMapping> ReadJsonStatMapping(std::string_view, std::string_view) {
  return tl::unexpected<Error>(
      Error{ErrorCode::kInternal, "the JSON-stat reader is being written (session 3)"});
}
Result<StatsBatch> ReadJsonStat(std::string_view, std::string_view, const JsonStatOptions&) {
  return tl::unexpected<Error>(
      Error{ErrorCode::kInternal, "the JSON-stat reader is being written (session 3)"});
}
Result<std::vector<FlatCell>> FlattenJsonStat(std::string_view, std::string_view) {
  return tl::unexpected<Error>(
      Error{ErrorCode::kInternal, "the JSON-stat reader is being written (session 3)"});
}
}  // namespace halsonav::statsio
