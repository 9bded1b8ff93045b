#pragma once

// The Swedish words for the closed vocabularies a spreadsheet shows, in one place: the measure
// CSV (io/measure_csv) accepts them besides the API identifiers, and the XLSX export
// (io/plan_xlsx) writes them. All in lower case, as they stand in a sentence.

#include <array>
#include <cstddef>
#include <string_view>
#include <utility>

#include "core/enums.hpp"

namespace halsonav::plan {

inline constexpr std::array<std::pair<MeasureStatus, std::string_view>, 6> kMeasureStatusSv{{
    {MeasureStatus::kUnderWay, "pågår"},
    {MeasureStatus::kNewAnchored, "ny/förankrad"},
    {MeasureStatus::kDone, "klar"},
    {MeasureStatus::kPaused, "pausad"},
    {MeasureStatus::kCancelled, "avbruten"},
    {MeasureStatus::kNotStated, "ej angiven"},
}};

// Norrbotten's wording: "huvudaktör", "samordnande aktör", "samverkan är en förutsättning",
// "samverkan är önskvärd", and plain "i samverkan med" for a participant.
inline constexpr std::array<std::pair<PartRole, std::string_view>, 5> kPartRoleSv{{
    {PartRole::kLead, "huvudaktör"},
    {PartRole::kCoordinating, "samordnande"},
    {PartRole::kPrerequisite, "förutsättning"},
    {PartRole::kDesirable, "önskvärd"},
    {PartRole::kParticipant, "i samverkan"},
}};

inline constexpr std::array<std::pair<FrameworkKind, std::string_view>, 4> kFrameworkKindSv{{
    {FrameworkKind::kDeclaration, "avsiktsförklaring"},
    {FrameworkKind::kProgramme, "program"},
    {FrameworkKind::kActionPlan, "handlingsplan"},
    {FrameworkKind::kStrategy, "strategi"},
}};

inline constexpr std::array<std::pair<FrameworkStatus, std::string_view>, 3> kFrameworkStatusSv{{
    {FrameworkStatus::kDraft, "utkast"},
    {FrameworkStatus::kAdopted, "antagen"},
    {FrameworkStatus::kArchived, "arkiverad"},
}};

// The Swedish word for a value, from one of the tables above.
template <typename E, std::size_t N>
constexpr std::string_view SwedishTerm(const std::array<std::pair<E, std::string_view>, N>& table,
                                       E value) {
  for (const auto& [candidate, word] : table) {
    if (candidate == value) return word;
  }
  return {};
}

}  // namespace halsonav::plan
