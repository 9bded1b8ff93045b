#include "io/kolada.hpp"

// Transitional: replaced by the Kolada reader within this change.
namespace halsonav::statsio {
Result<StatsBatch> ReadKoladaData(std::string_view, std::string_view) {
  return tl::unexpected<Error>(
      Error{ErrorCode::kInternal, "the Kolada reader is being written (session 3)"});
}
Result<std::vector<Area>> ReadKoladaAreas(std::string_view, std::string_view) {
  return tl::unexpected<Error>(
      Error{ErrorCode::kInternal, "the Kolada reader is being written (session 3)"});
}
Result<std::vector<AreaGroup>> ReadKoladaGroups(std::string_view, std::string_view) {
  return tl::unexpected<Error>(
      Error{ErrorCode::kInternal, "the Kolada reader is being written (session 3)"});
}
Result<std::vector<Indicator>> ReadKoladaCatalogue(std::string_view, std::string_view) {
  return tl::unexpected<Error>(
      Error{ErrorCode::kInternal, "the Kolada reader is being written (session 3)"});
}
}  // namespace halsonav::statsio
