#pragma once

// The words statistics files use for an observation's status, shared by the Kolada and tidy CSV
// readers (docs/kolada-and-csv.md has the lists), and SDMX's observation statuses (tidy CSV).

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

// An SDMX observation status (code list CL_OBS_STATUS, version 2.2), as Open SDG platforms and
// other SDMX-based publications write it: by its code ("E") or its name ("Estimated value").
struct SdmxStatus {
  char code;              // 'A', 'B', 'D', …
  std::string_view name;  // the code list's name, in lower case
  std::uint8_t flag;      // the store's flag it stands for; 0 when it has none
  bool note;              // it says what no flag holds (estimated, forecast…): kept as a note
};

// The SDMX status a word stands for: its code in either case ("e", "E") or its name as
// csv::Fold gives it ("estimated value"); nullopt for another word. Missing values (O, M, L, H)
// are missing, Q ("missing value; suppressed") suppressed, P provisional, B a break, A (normal)
// nothing; every other status is a note.
inline std::optional<SdmxStatus> SdmxStatusOf(std::string_view folded) {
  static constexpr SdmxStatus kCodes[] = {
      {'A', "normal value", 0, false},
      {'B', "time series break", kObservationBreak, false},
      {'D', "definition differs", 0, true},
      {'E', "estimated value", 0, true},
      {'F', "forecast value", 0, true},
      {'G', "experimental value", 0, true},
      {'H', "missing value; holiday or weekend", kObservationMissing, false},
      {'I', "imputed value (ccsa definition)", 0, true},
      {'J', "derogation", 0, true},
      {'K', "data included in another category", 0, true},
      {'L', "missing value; data exist but were not collected", kObservationMissing, false},
      {'M', "missing value; data cannot exist", kObservationMissing, false},
      {'N', "not significant", 0, true},
      {'O', "missing value", kObservationMissing, false},
      {'P', "provisional value", kObservationProvisional, false},
      {'Q', "missing value; suppressed", kObservationSuppressed, false},
      {'S', "strike and other special events", 0, true},
      {'U', "low reliability", 0, true},
      {'V', "unvalidated value", 0, true},
      {'W', "includes data from another category", 0, true},
  };
  for (const auto& status : kCodes) {
    const bool by_code = folded.size() == 1 && folded[0] == status.code - 'A' + 'a';
    // "Imputed value" is written without the code list's "(CCSA definition)" too.
    const bool by_short_name = status.code == 'I' && folded == "imputed value";
    if (by_code || by_short_name || folded == status.name) return status;
  }
  return std::nullopt;
}

}  // namespace halsonav::statsio
