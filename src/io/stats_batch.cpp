#include "io/stats_batch.hpp"

#include <fmt/format.h>

namespace halsonav::statsio {

std::string StatsBatch::Where(const ObservationDraft& observation) const {
  switch (origin_kind) {
    case OriginKind::kLine:
      return fmt::format("{}:{}", file, observation.origin);
    case OriginKind::kJsonValue: {
      auto dataset = static_cast<std::size_t>(observation.origin >> 40);
      auto index = observation.origin & ((std::uint64_t{1} << 40) - 1);
      std::string_view prefix =
          dataset < dataset_pointers.size() ? std::string_view(dataset_pointers[dataset]) : "";
      return fmt::format("{}#{}/value/{}", file, prefix, index);
    }
    case OriginKind::kKoladaValue:
      return fmt::format("{}#/values/{}/values/{}", file, observation.origin >> 8,
                         observation.origin & 0xFF);
  }
  return file;
}

}  // namespace halsonav::statsio
