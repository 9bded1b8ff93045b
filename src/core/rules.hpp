#pragma once

// The rules of the domain, as pure functions. Each returns nothing on success and a
// kRuleViolation / kInvalidValue error naming the field (a JSON pointer) and the rule otherwise.
// Rules that need other entities (the parent node, the framework) take them as arguments:
// the caller looks them up.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/domain.hpp"
#include "core/error.hpp"

namespace halsonav {

inline constexpr std::int64_t kMinYear = 1900;
inline constexpr std::int64_t kMaxYear = 2100;

// Name present; area code, when given, digits only.
Result<void> ValidateActor(const Actor& actor);

// Name present.
Result<void> ValidateUnit(const Unit& unit);

// Title present; sane validity years (from <= to); node kinds non-empty with unique keys, each
// parent key a kind of the framework, and at least one kind allowed at the top.
Result<void> ValidateFramework(const Framework& framework);

// Title present; the node's kind is one of the framework's; it may stand at the top (no parent)
// or under its parent's kind; a cross-cutting node has no parent and at least one linked node,
// and may stand under the kind of each linked node. `parent` is null for a node at the top.
Result<void> ValidateNodePlacement(const Framework& framework, const Node& node, const Node* parent,
                                   const std::vector<Node>& linked_nodes);

// Moving `node_id` under `new_parent_id` must not make it its own ancestor. `parent_of` gives
// the current parent of any node (nullopt at the top).
Result<void> CheckNoCycle(Id node_id, std::optional<Id> new_parent_id,
                          const std::function<std::optional<Id>(Id)>& parent_of);

// Text present; a sane expected-result year; no actor twice among the responsible or partners.
Result<void> ValidateMeasure(const Measure& measure);

// The responsibility a measure inherits when it names no responsible actor: the coordinating
// actor (and contact unit) of the nearest node in `chain` (the measure's node first, then its
// ancestors) that has one. nullopt when the measure names its own or nothing can be inherited.
std::optional<InheritedResponsible> InheritResponsible(const Measure& measure,
                                                       const std::vector<Node>& chain);

// A measure must name at least one responsible actor or inherit one.
Result<void> CheckHasResponsible(const Measure& measure);

// A date, when given, is a real calendar date YYYY-MM-DD within the sane years.
Result<void> ValidateAdoption(const Adoption& adoption);

// True for a real calendar date written YYYY-MM-DD.
bool IsIsoDate(const std::string& text);

}  // namespace halsonav
