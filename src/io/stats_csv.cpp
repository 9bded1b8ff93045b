#include "io/stats_csv.hpp"

// Transitional: replaced by the statistics CSV reader within this change.
namespace halsonav::statsio {
Result<StatsBatch> ReadStatsCsv(std::string_view, std::string_view, const StatsCsvOptions&) {
  return tl::unexpected<Error>(
      Error{ErrorCode::kInternal, "the CSV reader is being written (session 3)"});
}
}  // namespace halsonav::statsio
