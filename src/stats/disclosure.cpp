#include "stats/disclosure.hpp"

// Transitional: replaced by disclosure control within this change.
namespace halsonav::stats {
std::size_t ApplyDisclosureControl(std::span<DisclosureCell>, const DisclosureRule&) { return 0; }
}  // namespace halsonav::stats
