#pragma once

// The domain of Hälsonav: frameworks and their nodes, measures, actors and their units,
// adoptions and classifications. Plain values: no I/O, no knowledge of storage or HTTP.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/enums.hpp"

namespace halsonav {

using Id = std::int64_t;

// What every stored entity carries. `version` starts at 1 and grows by one on every change
// (update, delete, restore); a write that names a stale version is refused.
struct Meta {
  Id id = 0;
  std::int64_t version = 0;
  bool deleted = false;
  std::string created_at;  // UTC, YYYY-MM-DDTHH:MM:SSZ
  std::string updated_at;
};

// An organisation: a region, a municipality, a civil-society organisation, or a collective.
struct Actor {
  Meta meta;
  ActorKind kind = ActorKind::kOther;
  std::string name;
  std::optional<std::string> short_name;
  std::optional<std::string> area_code;  // official code, e.g. Kolada's "2480" for Umeå
  std::string description;
};

// A unit inside an actor ("Utvecklingsavdelningen / Folkhälsocentrum"), in a tree per actor.
struct Unit {
  Meta meta;
  Id actor_id = 0;
  std::optional<Id> parent_id;
  std::string name;
  std::string description;
  std::string path;  // derived: "Actor / Parent unit / Unit"
};

// A level of a framework's tree ("Delmål", "Arena", "Grupp") and where it may stand.
struct NodeKind {
  std::string key;                   // stable identifier within the framework: "sub_goal"
  std::string label;                 // what the framework calls it: "Delmål"
  bool root = false;                 // may stand at the top of the tree
  std::vector<std::string> parents;  // keys of the kinds it may stand under
};

// A declaration of intent, programme, action plan or strategy.
struct Framework {
  Meta meta;
  FrameworkKind kind = FrameworkKind::kProgramme;
  std::string title;
  std::optional<std::string> short_title;
  std::string description;
  std::optional<Id> owner_actor_id;
  std::optional<std::int64_t> valid_from;  // year
  std::optional<std::int64_t> valid_to;    // year
  FrameworkStatus status = FrameworkStatus::kDraft;
  bool read_only = false;  // the national framework: never written through the API
  std::vector<NodeKind> node_kinds;
  // Links to classifications (ids "<scheme>:<code>"): the ones the document states, and the ones
  // proposed by whoever entered it, for a person to confirm. An id is in at most one of the two.
  std::vector<std::string> classifications;
  std::vector<std::string> suggested_classifications;
};

// A further contact for a node: an actor, and optionally one of its units (Norrbotten's table
// names the region's own contact for a sub-goal another organisation coordinates).
struct NodeContact {
  Id actor_id = 0;
  std::optional<Id> unit_id;
  bool operator==(const NodeContact&) const = default;
};

// A node of a framework's tree: a sub-goal, perspective, focus area, arena, group…
// A cross-cutting node has no parent; it is linked to the nodes it spans instead.
// How deep a framework's nodes may nest (a root is level 1). Plans deeper than this are refused
// where they come in, so the tree can show every node.
inline constexpr int kMaxNodeDepth = 64;

struct Node {
  Meta meta;
  Id framework_id = 0;
  std::optional<Id> parent_id;
  std::string kind;  // a NodeKind key of the framework
  std::string code;
  std::string title;
  std::string text;
  std::int64_t order = 0;
  std::optional<Id> coordinating_actor_id;
  std::optional<Id> contact_unit_id;
  bool cross_cutting = false;
  std::vector<Id> linked_node_ids;
  std::vector<std::string> classifications;
  std::vector<std::string> suggested_classifications;
  std::vector<NodeContact> contacts;
  std::vector<Id> actor_ids;  // the actors the node is about (a role, a partner)
};

// An actor responsible for a measure, with zero or more of its units.
struct Responsible {
  Id actor_id = 0;
  std::vector<Id> unit_ids;
};

// An actor taking part in a measure, and its part.
struct Partner {
  Id actor_id = 0;
  PartRole role = PartRole::kParticipant;
  std::vector<Id> unit_ids;
};

// Where a measure's responsibility comes from when it names no actor itself.
struct InheritedResponsible {
  Id actor_id = 0;
  std::optional<Id> unit_id;
  Id node_id = 0;
};

// A measure (åtgärd / erbjudande) under a node.
struct Measure {
  Meta meta;
  Id framework_id = 0;  // derived from the node
  Id node_id = 0;
  std::string code;  // "10 B"
  std::string target_group;
  std::string expected_result;
  std::optional<std::int64_t> expected_result_year;
  std::string text;
  MeasureStatus status = MeasureStatus::kNotStated;
  std::int64_t order = 0;
  std::vector<Responsible> responsible;
  std::vector<Partner> partners;
  std::vector<std::string> tags;
  std::vector<std::string> classifications;
  std::vector<std::string> suggested_classifications;
  std::optional<InheritedResponsible> inherited_responsible;  // derived
};

// An actor adopted a framework: decision body, date, reference (each may be unknown).
struct Adoption {
  Meta meta;
  Id framework_id = 0;
  Id actor_id = 0;
  std::optional<std::string> body;
  std::optional<std::string> date;  // YYYY-MM-DD
  std::optional<std::string> reference;
};

// An indicator named by a plan (code, title, unit); definitions are matched by code when they
// exist. Strings are empty when the plan gives none.
struct IndicatorRef {
  std::string code;
  std::string title;
  std::string unit;
};

// A result goal of a framework, for the whole framework (no nodes) or for some nodes.
struct ResultGoal {
  std::string code;
  std::string title;
  std::string text;
  std::vector<Id> node_ids;
  std::vector<IndicatorRef> indicators;
};

// One follow-up indicator or question, attached to one or more nodes.
struct FollowUpItem {
  FollowUpKind kind = FollowUpKind::kIndicator;
  std::string code;
  std::string text;
  std::vector<Id> node_ids;
  std::optional<IndicatorRef> indicator;
};

// How a framework is followed up: baseline and follow-up years, the plan's text, the items.
struct FollowUp {
  std::optional<std::int64_t> baseline_year;
  std::optional<std::int64_t> follow_up_year;
  std::string text;
  std::vector<FollowUpItem> items;
};

// A member of a forum group: an organisation (and units), and the function it sits there in
// ("landshövding"), never a person's name.
struct ForumMember {
  Id actor_id = 0;
  std::vector<Id> unit_ids;
  std::string role;
};

struct ForumGroup {
  std::string name;
  std::vector<ForumMember> members;
};

// A coordination forum around a framework (Forum för folkhälsa i Västerbotten).
struct Forum {
  std::string name;
  std::string text;
  std::vector<std::string> purposes;
  std::vector<ForumGroup> groups;
};

// What a plan holds beyond its tree: joint commitments, result goals, follow-up, forums. Stored
// and replaced as one document per framework.
struct FrameworkContent {
  Id framework_id = 0;
  std::vector<std::string> commitments;
  std::vector<ResultGoal> result_goals;
  FollowUp follow_up;
  std::vector<Forum> forums;
};

// A preloaded, read-only classification: a national target area, an Agenda 2030 goal, a
// prevention level. Its id is "<scheme>:<code>".
struct Classification {
  std::string id;
  std::string scheme;
  std::string code;
  std::string label_sv;
  std::string label_en;
};

}  // namespace halsonav
