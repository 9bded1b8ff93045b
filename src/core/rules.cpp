#include "core/rules.hpp"

#include <algorithm>
#include <set>
#include <string>

#include <fmt/format.h>

namespace halsonav {
namespace {

tl::unexpected<Error> Violation(std::string field, std::string rule, std::string message) {
  return Fail(ErrorCode::kRuleViolation, std::move(message),
              {{"field", std::move(field)}, {"rule", std::move(rule)}});
}

tl::unexpected<Error> Empty(std::string field) {
  return Fail(ErrorCode::kInvalidValue, fmt::format("{} must not be empty", field),
              {{"field", field}});
}

bool IsBlank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
}

Result<void> CheckYear(const std::optional<std::int64_t>& year, const std::string& field) {
  if (year && (*year < kMinYear || *year > kMaxYear)) {
    return Violation(field, "year_range",
                     fmt::format("{} is {}: a year must lie between {} and {}", field, *year,
                                 kMinYear, kMaxYear));
  }
  return {};
}

const NodeKind* FindKind(const Framework& framework, const std::string& key) {
  for (const auto& kind : framework.node_kinds) {
    if (kind.key == key) return &kind;
  }
  return nullptr;
}

bool MayStandUnder(const NodeKind& kind, const std::string& parent_kind) {
  return std::find(kind.parents.begin(), kind.parents.end(), parent_kind) != kind.parents.end();
}

}  // namespace

Result<void> ValidateActor(const Actor& actor) {
  if (IsBlank(actor.name)) return Empty("/name");
  if (actor.area_code) {
    const auto& code = *actor.area_code;
    if (code.empty() || code.size() > 10 ||
        !std::all_of(code.begin(), code.end(), [](unsigned char c) { return std::isdigit(c); })) {
      return Fail(ErrorCode::kInvalidValue,
                  fmt::format("/area_code \"{}\" is not an official area code (digits only)", code),
                  {{"field", "/area_code"}});
    }
  }
  return {};
}

Result<void> ValidateUnit(const Unit& unit) {
  if (IsBlank(unit.name)) return Empty("/name");
  if (unit.parent_id && *unit.parent_id == unit.meta.id) {
    return Violation("/parent_id", "cycle", "a unit cannot be its own parent");
  }
  return {};
}

Result<void> ValidateFramework(const Framework& framework) {
  if (IsBlank(framework.title)) return Empty("/title");
  if (auto ok = CheckYear(framework.valid_from, "/valid_from"); !ok) return ok;
  if (auto ok = CheckYear(framework.valid_to, "/valid_to"); !ok) return ok;
  if (framework.valid_from && framework.valid_to && *framework.valid_from > *framework.valid_to) {
    return Violation("/valid_to", "period_order",
                     fmt::format("the validity period ends ({}) before it begins ({})",
                                 *framework.valid_to, *framework.valid_from));
  }
  if (framework.node_kinds.empty()) {
    return Violation("/node_kinds", "node_kinds_empty", "a framework needs at least one node kind");
  }
  std::set<std::string> keys;
  bool any_root = false;
  for (std::size_t kind_idx = 0; kind_idx < framework.node_kinds.size(); ++kind_idx) {
    const auto& kind = framework.node_kinds[kind_idx];
    const auto pointer = fmt::format("/node_kinds/{}", kind_idx);
    if (IsBlank(kind.key)) return Empty(pointer + "/key");
    if (IsBlank(kind.label)) return Empty(pointer + "/label");
    if (!keys.insert(kind.key).second) {
      return Violation(pointer + "/key", "node_kind_unique",
                       fmt::format("node kind \"{}\" is defined twice", kind.key));
    }
    any_root = any_root || kind.root;
  }
  for (std::size_t kind_idx = 0; kind_idx < framework.node_kinds.size(); ++kind_idx) {
    const auto& kind = framework.node_kinds[kind_idx];
    for (std::size_t parent_idx = 0; parent_idx < kind.parents.size(); ++parent_idx) {
      if (!keys.contains(kind.parents[parent_idx])) {
        return Violation(fmt::format("/node_kinds/{}/parents/{}", kind_idx, parent_idx),
                         "node_kind_parent",
                         fmt::format("node kind \"{}\" names \"{}\" as parent, which is not a "
                                     "node kind of this framework",
                                     kind.key, kind.parents[parent_idx]));
      }
    }
    if (!kind.root && kind.parents.empty()) {
      return Violation(fmt::format("/node_kinds/{}", kind_idx), "node_kind_unplaceable",
                       fmt::format("node kind \"{}\" may stand neither at the top nor under "
                                   "another kind",
                                   kind.key));
    }
  }
  if (!any_root) {
    return Violation("/node_kinds", "node_kind_root",
                     "at least one node kind must be allowed at the top of the tree");
  }
  return {};
}

Result<void> ValidateNodePlacement(const Framework& framework, const Node& node, const Node* parent,
                                   const std::vector<Node>& linked_nodes) {
  if (IsBlank(node.title)) return Empty("/title");
  const NodeKind* kind = FindKind(framework, node.kind);
  if (kind == nullptr) {
    std::vector<std::string> allowed;
    for (const auto& k : framework.node_kinds) allowed.push_back(k.key);
    return Fail(
        ErrorCode::kInvalidValue,
        fmt::format("\"{}\" is not a node kind of framework {}", node.kind, framework.meta.id),
        {{"field", "/kind"}, {"allowed", allowed}});
  }
  if (node.cross_cutting) {
    if (parent != nullptr) {
      return Violation("/parent_id", "cross_cutting_parent",
                       "a cross-cutting node is linked to nodes instead of having a parent");
    }
    if (linked_nodes.empty()) {
      return Violation("/linked_node_ids", "cross_cutting_links",
                       "a cross-cutting node must be linked to at least one node");
    }
    for (std::size_t link_idx = 0; link_idx < linked_nodes.size(); ++link_idx) {
      const auto& linked = linked_nodes[link_idx];
      if (linked.meta.id == node.meta.id) {
        return Violation(fmt::format("/linked_node_ids/{}", link_idx), "cycle",
                         "a node cannot be linked to itself");
      }
      if (!MayStandUnder(*kind, linked.kind)) {
        return Violation(fmt::format("/linked_node_ids/{}", link_idx), "kind_placement",
                         fmt::format("a node of kind \"{}\" may not stand under one of kind \"{}\"",
                                     node.kind, linked.kind));
      }
    }
    return {};
  }
  if (!node.linked_node_ids.empty()) {
    return Violation("/linked_node_ids", "links_need_cross_cutting",
                     "only a cross-cutting node is linked to other nodes");
  }
  if (parent == nullptr) {
    if (!kind->root) {
      return Violation(
          "/parent_id", "kind_placement",
          fmt::format("a node of kind \"{}\" may not stand at the top of the tree", node.kind));
    }
    return {};
  }
  if (!MayStandUnder(*kind, parent->kind)) {
    return Violation("/parent_id", "kind_placement",
                     fmt::format("a node of kind \"{}\" may not stand under one of kind \"{}\"",
                                 node.kind, parent->kind));
  }
  return {};
}

Result<void> CheckNoCycle(Id node_id, std::optional<Id> new_parent_id,
                          const std::function<std::optional<Id>(Id)>& parent_of) {
  std::set<Id> seen;
  for (auto ancestor = new_parent_id; ancestor; ancestor = parent_of(*ancestor)) {
    if (*ancestor == node_id) {
      return Violation("/parent_id", "cycle",
                       "a node cannot be placed under itself or its own "
                       "descendant");
    }
    if (!seen.insert(*ancestor).second) break;  // an existing cycle: stop rather than loop
  }
  return {};
}

Result<void> ValidateMeasure(const Measure& measure) {
  if (IsBlank(measure.text)) return Empty("/text");
  if (auto ok = CheckYear(measure.expected_result_year, "/expected_result_year"); !ok) return ok;
  std::set<Id> actors;
  for (std::size_t idx = 0; idx < measure.responsible.size(); ++idx) {
    if (!actors.insert(measure.responsible[idx].actor_id).second) {
      return Violation(fmt::format("/responsible/{}/actor_id", idx), "actor_once",
                       "an actor is named twice among the responsible");
    }
  }
  std::set<Id> partners;
  for (std::size_t idx = 0; idx < measure.partners.size(); ++idx) {
    const Id actor_id = measure.partners[idx].actor_id;
    if (actors.contains(actor_id) || !partners.insert(actor_id).second) {
      return Violation(fmt::format("/partners/{}/actor_id", idx), "actor_once",
                       "an actor is named twice among the responsible and partners");
    }
  }
  for (std::size_t idx = 0; idx < measure.tags.size(); ++idx) {
    if (IsBlank(measure.tags[idx])) return Empty(fmt::format("/tags/{}", idx));
  }
  return {};
}

std::optional<InheritedResponsible> InheritResponsible(const Measure& measure,
                                                       const std::vector<Node>& chain) {
  if (!measure.responsible.empty()) return std::nullopt;
  for (const auto& node : chain) {
    if (node.coordinating_actor_id) {
      return InheritedResponsible{*node.coordinating_actor_id, node.contact_unit_id, node.meta.id};
    }
  }
  return std::nullopt;
}

Result<void> CheckHasResponsible(const Measure& measure) {
  if (measure.responsible.empty() && !measure.inherited_responsible) {
    return Violation("/responsible", "responsible_required",
                     "the measure names no responsible actor, and no node above it has a "
                     "coordinating actor to inherit");
  }
  return {};
}

bool IsIsoDate(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t idx : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(text[idx]))) return false;
  }
  const int year = std::stoi(text.substr(0, 4));
  const int month = std::stoi(text.substr(5, 2));
  const int day = std::stoi(text.substr(8, 2));
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days_in_month = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= days_in_month;
}

Result<void> ValidateAdoption(const Adoption& adoption) {
  if (adoption.date) {
    if (!IsIsoDate(*adoption.date)) {
      return Fail(ErrorCode::kInvalidValue,
                  fmt::format("/date \"{}\" is not a date written YYYY-MM-DD", *adoption.date),
                  {{"field", "/date"}});
    }
    if (auto ok = CheckYear(std::stoll(adoption.date->substr(0, 4)), "/date"); !ok) return ok;
  }
  return {};
}

}  // namespace halsonav
