#pragma once

// Plan files (docs/plan-format.md): one framework with everything that belongs to it, as JSON
// with no database ids. Actors and units are named, nodes nested, cross-references made by a
// node's kind and code. This layer reads and writes the file and checks what the file alone can
// show (types, unknown fields, kinds, codes, references inside the file); resolving names against
// the actor registry and storing is the app's (app/plan_import.cpp).
//
// Optional texts are empty strings here; the file writes them as null.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.hpp"
#include "core/error.hpp"
#include "io/problems.hpp"

namespace halsonav::plan {

inline constexpr std::string_view kFormat = "halsonav-plan";
inline constexpr std::int64_t kVersion = 1;
// Joins unit names into a path: "Utvecklingsavdelningen / Folkhälsocentrum".
inline constexpr std::string_view kUnitSeparator = " / ";

struct UnitSpec {
  std::string name;
  std::string description;
  std::vector<UnitSpec> units;
};

struct ActorSpec {
  std::string name;
  ActorKind kind = ActorKind::kOther;
  std::string short_name;
  std::string area_code;
  std::string description;
  std::vector<UnitSpec> units;
};

// An actor with some of its units, by path (a measure's responsible actor).
struct ActorUnits {
  std::string actor;
  std::vector<std::string> units;
};

struct PartnerSpec {
  std::string actor;
  PartRole role = PartRole::kParticipant;
  std::vector<std::string> units;
};

struct ContactSpec {
  std::string actor;
  std::string unit;  // a unit path, or empty
};

struct NodeRef {
  std::string kind;
  std::string code;
};

struct MeasureSpec {
  std::string code;
  std::string target_group;
  std::string expected_result;
  std::optional<std::int64_t> expected_result_year;
  std::string text;
  MeasureStatus status = MeasureStatus::kNotStated;
  std::vector<ActorUnits> responsible;
  std::vector<PartnerSpec> partners;
  std::vector<std::string> tags;
  std::vector<std::string> classifications;
  std::vector<std::string> suggested_classifications;
};

struct NodeSpec {
  std::string kind;
  std::string code;
  std::string title;
  std::string text;
  std::string coordinating_actor;
  std::string contact_unit;
  std::vector<ContactSpec> contacts;
  std::vector<std::string> actors;
  bool cross_cutting = false;
  std::vector<NodeRef> links;
  std::vector<std::string> classifications;
  std::vector<std::string> suggested_classifications;
  std::vector<NodeSpec> children;
  std::vector<MeasureSpec> measures;
};

struct FrameworkSpec {
  FrameworkKind kind = FrameworkKind::kProgramme;
  std::string title;
  std::string short_title;
  std::string description;
  std::string owner;
  std::optional<std::int64_t> valid_from;
  std::optional<std::int64_t> valid_to;
  FrameworkStatus status = FrameworkStatus::kDraft;
  std::vector<NodeKind> node_kinds;
  std::vector<std::string> classifications;
  std::vector<std::string> suggested_classifications;
};

struct AdoptionSpec {
  std::string actor;
  std::string body;
  std::string date;
  std::string reference;
};

struct ResultGoalSpec {
  std::string code;
  std::string title;
  std::string text;
  std::vector<NodeRef> nodes;
  std::vector<IndicatorRef> indicators;
};

struct FollowUpItemSpec {
  FollowUpKind kind = FollowUpKind::kIndicator;
  std::string code;
  std::string text;
  std::vector<NodeRef> nodes;
  std::optional<IndicatorRef> indicator;
};

struct FollowUpSpec {
  std::optional<std::int64_t> baseline_year;
  std::optional<std::int64_t> follow_up_year;
  std::string text;
  std::vector<FollowUpItemSpec> items;
};

struct ForumMemberSpec {
  std::string actor;
  std::vector<std::string> units;
  std::string role;
};

struct ForumGroupSpec {
  std::string name;
  std::vector<ForumMemberSpec> members;
};

struct ForumSpec {
  std::string name;
  std::string text;
  std::vector<std::string> purposes;
  std::vector<ForumGroupSpec> groups;
};

struct PlanFile {
  std::vector<ActorSpec> actors;
  FrameworkSpec framework;
  std::vector<NodeSpec> nodes;
  std::vector<AdoptionSpec> adoptions;
  std::vector<std::string> commitments;
  std::vector<ResultGoalSpec> result_goals;
  FollowUpSpec follow_up;
  std::vector<ForumSpec> forums;
};

// Problems are reported with a JSON pointer ("/nodes/3/measures/0/responsible/1/actor").
using halsonav::Problem;

// Reads a plan file. The first problem of syntax or shape (not JSON, wrong type, unknown or
// missing field, unknown enum value) stops reading; then every consistency problem the file
// alone shows is collected: duplicate actor names, node codes or measure codes, a node kind the
// framework lacks or at a level where it may not stand, a link or node reference that matches
// no node, an actor not in the file's actor list, a unit path its actor lacks, a date or year
// out of range. The error is kInvalidValue with details {"problems": [{pointer, message}…]}
// (kMalformedJson for a syntax error).
Result<PlanFile> ReadPlanFile(std::string_view text);

// The canonical file (docs/plan-format.md, "Canonical form"): every key in schema order,
// 2-space indentation, UTF-8, one trailing newline.
std::string WritePlanFile(const PlanFile& plan);

// Every node of the tree in document order (parents before children), with its pointer.
struct NodeVisit {
  const NodeSpec* node = nullptr;
  const NodeSpec* parent = nullptr;
  std::string pointer;  // "/nodes/0/children/2"
};
std::vector<NodeVisit> VisitNodes(const PlanFile& plan);

// The paths of every unit in a unit tree ("A", "A / B", …), in document order.
std::vector<std::string> UnitPaths(const std::vector<UnitSpec>& units);

using halsonav::ProblemsError;

}  // namespace halsonav::plan
