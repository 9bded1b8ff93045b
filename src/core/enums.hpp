#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace halsonav {

// The closed vocabularies of the domain. In the API each value is a stable lowercase English
// identifier (the second member of each pair); Swedish labels belong to the interface.

enum class ActorKind {
  kRegion,
  kCountyAdministrativeBoard,
  kMunicipality,
  kUniversity,
  kCivilSociety,
  kWorkingLife,
  kStateAgency,
  kFaithCommunity,
  kCollective,  // a group the documents name by role: "intresserade kommuner", "civilsamhället"
  kOther,
};

enum class FrameworkKind { kDeclaration, kProgramme, kActionPlan, kStrategy };

enum class FrameworkStatus { kDraft, kAdopted, kArchived };

enum class MeasureStatus { kUnderWay, kNewAnchored, kDone, kPaused, kCancelled, kNotStated };

// The part a partner plays in a measure (Norrbotten: "samverkan är en förutsättning / önskvärd").
enum class PartRole { kLead, kCoordinating, kPrerequisite, kDesirable, kParticipant };

// A follow-up item measured by an indicator, or a question answered yes / partly / no.
enum class FollowUpKind { kIndicator, kQuestion };

// Names of every enumerator, in declaration order; specialised below for each enum.
template <typename E>
struct EnumNames;

template <>
struct EnumNames<ActorKind> {
  static constexpr std::array<std::pair<ActorKind, std::string_view>, 10> kValues{{
      {ActorKind::kRegion, "region"},
      {ActorKind::kCountyAdministrativeBoard, "county_administrative_board"},
      {ActorKind::kMunicipality, "municipality"},
      {ActorKind::kUniversity, "university"},
      {ActorKind::kCivilSociety, "civil_society"},
      {ActorKind::kWorkingLife, "working_life"},
      {ActorKind::kStateAgency, "state_agency"},
      {ActorKind::kFaithCommunity, "faith_community"},
      {ActorKind::kCollective, "collective"},
      {ActorKind::kOther, "other"},
  }};
};

template <>
struct EnumNames<FrameworkKind> {
  static constexpr std::array<std::pair<FrameworkKind, std::string_view>, 4> kValues{{
      {FrameworkKind::kDeclaration, "declaration"},
      {FrameworkKind::kProgramme, "programme"},
      {FrameworkKind::kActionPlan, "action_plan"},
      {FrameworkKind::kStrategy, "strategy"},
  }};
};

template <>
struct EnumNames<FrameworkStatus> {
  static constexpr std::array<std::pair<FrameworkStatus, std::string_view>, 3> kValues{{
      {FrameworkStatus::kDraft, "draft"},
      {FrameworkStatus::kAdopted, "adopted"},
      {FrameworkStatus::kArchived, "archived"},
  }};
};

template <>
struct EnumNames<MeasureStatus> {
  static constexpr std::array<std::pair<MeasureStatus, std::string_view>, 6> kValues{{
      {MeasureStatus::kUnderWay, "under_way"},
      {MeasureStatus::kNewAnchored, "new_anchored"},
      {MeasureStatus::kDone, "done"},
      {MeasureStatus::kPaused, "paused"},
      {MeasureStatus::kCancelled, "cancelled"},
      {MeasureStatus::kNotStated, "not_stated"},
  }};
};

template <>
struct EnumNames<PartRole> {
  static constexpr std::array<std::pair<PartRole, std::string_view>, 5> kValues{{
      {PartRole::kLead, "lead"},
      {PartRole::kCoordinating, "coordinating"},
      {PartRole::kPrerequisite, "prerequisite"},
      {PartRole::kDesirable, "desirable"},
      {PartRole::kParticipant, "participant"},
  }};
};

template <>
struct EnumNames<FollowUpKind> {
  static constexpr std::array<std::pair<FollowUpKind, std::string_view>, 2> kValues{{
      {FollowUpKind::kIndicator, "indicator"},
      {FollowUpKind::kQuestion, "question"},
  }};
};

// The API identifier of a value.
template <typename E>
constexpr std::string_view ToString(E value) {
  for (const auto& [candidate, name] : EnumNames<E>::kValues) {
    if (candidate == value) return name;
  }
  return {};
}

// The value an API identifier names, or nullopt for an unknown one.
template <typename E>
constexpr std::optional<E> ParseEnum(std::string_view name) {
  for (const auto& [candidate, candidate_name] : EnumNames<E>::kValues) {
    if (candidate_name == name) return candidate;
  }
  return std::nullopt;
}

}  // namespace halsonav
