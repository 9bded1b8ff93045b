#pragma once

// Disclosure control: which figures may leave the engine (docs/METHODS.md, "Disclosure
// control"). Pure functions.

#include <cstddef>
#include <span>

#include "core/statistics.hpp"

namespace halsonav::stats {

// The primary rule: a cell whose numerator or number of respondents is below `min_count` is
// suppressed (an absent count never triggers it).
struct DisclosureRule {
  double min_count = 5;
};

// One cell of a table: all cells given to ApplyDisclosureControl together share indicator, area
// and period and differ only in breakdown.
struct DisclosureCell {
  const Breakdown* breakdown = nullptr;
  double numerator = kAbsent;
  double respondents = kAbsent;
  bool suppressed = false;     // in: already suppressed (by the source); out: suppressed
  bool complementary = false;  // out: suppressed only so that others cannot be recovered
};

// Applies the primary rule, then complementary suppression: along every dimension, a total and
// its parts (total − women = men) must never have exactly one suppressed cell, so the smallest
// unsuppressed part (else the total) is suppressed too, until no cell can be recovered.
// Returns the number of cells newly suppressed.
std::size_t ApplyDisclosureControl(std::span<DisclosureCell> cells, const DisclosureRule& rule);

}  // namespace halsonav::stats
