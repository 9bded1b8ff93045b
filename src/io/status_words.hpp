#pragma once

// The words statistics files use for an observation's status, shared by the Kolada and tidy CSV
// readers (docs/kolada-and-csv.md has the list).

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/statistics.hpp"

namespace halsonav::statsio {

// The flag one status word stands for, matched on the word as csv::Fold gives it (lower case,
// single spaces): the API names ("missing", "suppressed", "provisional", "break"), Swedish words
// and the usual symbols. nullopt for an unknown word; the empty word is no flag (0).
inline std::optional<std::uint8_t> StatusWordFlag(std::string_view folded) {
  struct Word {
    std::string_view word;
    std::uint8_t flag;
  };
  static constexpr Word kWords[] = {
      {"", 0},
      {"missing", kObservationMissing},
      {"saknas", kObservationMissing},
      {"saknas.", kObservationMissing},
      {"..", kObservationMissing},
      {"na", kObservationMissing},
      {"suppressed", kObservationSuppressed},
      {"sekretess", kObservationSuppressed},
      {"sekretessmarkerad", kObservationSuppressed},
      {"prickad", kObservationSuppressed},
      {"provisional", kObservationProvisional},
      {"preliminary", kObservationProvisional},
      {"preliminär", kObservationProvisional},
      {"prel", kObservationProvisional},
      {"prel.", kObservationProvisional},
      {"break", kObservationBreak},
      {"break in series", kObservationBreak},
      {"tidsseriebrott", kObservationBreak},
  };
  for (const auto& candidate : kWords) {
    if (candidate.word == folded) return candidate.flag;
  }
  return std::nullopt;
}

}  // namespace halsonav::statsio
