#include "io/synth.hpp"

// Transitional: replaced by the generator within this change.
namespace halsonav::statsio {
Result<SynthSummary> WriteSynthetic(const SynthOptions&, const std::filesystem::path&) {
  return tl::unexpected<Error>(
      Error{ErrorCode::kInternal, "the generator is being written (session 3)"});
}
}  // namespace halsonav::statsio
