#pragma once

// Disclosure control: which figures may leave the engine (docs/METHODS.md, "Disclosure
// control"). Pure functions.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/statistics.hpp"

namespace halsonav::stats {

// The primary rule: a cell whose numerator or number of respondents is below `min_count` is
// suppressed (an absent count never triggers it).
struct DisclosureRule {
  double min_count = 5;
};

// Whether the primary rule suppresses a figure with these counts (absent counts never do).
bool BelowRule(double numerator, double respondents, const DisclosureRule& rule);

// One cell of a table: all cells given to ApplyDisclosureControl together share indicator and
// period and differ in area and breakdown.
struct DisclosureCell {
  const Breakdown* breakdown = nullptr;
  double numerator = kAbsent;
  double respondents = kAbsent;
  bool suppressed = false;     // in: already suppressed (by the source); out: suppressed
  bool complementary = false;  // out: suppressed only so that others cannot be recovered
  std::int64_t area = 0;       // the cell's area (any key; cells of one area share it)
  bool missing = false;        // no figure at all: hides what a subtraction needs, as suppression
};

// A total across areas and the areas it sums (a region and its municipalities; Riket and the
// regions), by the cells' area keys: for every breakdown, the total's cell and its parts' cells
// form a line as a breakdown's total and its categories do.
struct AreaLine {
  std::int64_t total = 0;
  std::vector<std::int64_t> parts;
};

// Applies the primary rule, then complementary suppression: along every breakdown dimension
// within an area, and along every area line within a breakdown, a total and its parts
// (total − women = men; a county − its other municipalities = the last one) must never have
// exactly one hidden cell that is suppressed, so the smallest unsuppressed part (else the total)
// is suppressed too, until no cell can be recovered. Returns the number of cells newly suppressed.
std::size_t ApplyDisclosureControl(std::span<DisclosureCell> cells, const DisclosureRule& rule,
                                   std::span<const AreaLine> area_lines = {});

}  // namespace halsonav::stats
