#include "app/entity_checks.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/rules.hpp"

namespace halsonav::checks {
namespace {

// Loads the live entity a field refers to; a missing or deleted one is kReferenceNotFound
// naming the field.
template <typename T>
Result<T> Referenced(Transaction& tx, Id id, const std::string& field) {
  auto loaded = tx.Get<T>(id);
  if (!loaded || loaded->meta.deleted) {
    return Fail(ErrorCode::kReferenceNotFound,
                fmt::format("{} refers to id {}, which does not exist{}", field, id,
                            loaded ? " any more (it is deleted)" : ""),
                {{"field", field}, {"id", id}});
  }
  return loaded;
}

tl::unexpected<Error> Violation(const std::string& field, const std::string& rule,
                                std::string message) {
  return Fail(ErrorCode::kRuleViolation, std::move(message), {{"field", field}, {"rule", rule}});
}

tl::unexpected<Error> Duplicate(const std::string& field, const std::string& value, Id existing,
                                std::string message) {
  return Fail(ErrorCode::kDuplicate, std::move(message),
              {{"field", field}, {"value", value}, {"existing_id", existing}});
}

tl::unexpected<Error> ReadOnly(const std::string& what) {
  return Fail(ErrorCode::kReadOnly, fmt::format("{} is read-only", what));
}

// The stated and the suggested classifications: each known, and each id in one list once.
template <typename T>
Result<void> CheckClassifications(Transaction& tx, const T& item) {
  auto all = tx.Classifications();
  if (!all) return tl::unexpected(all.error());
  std::set<std::string> seen;
  for (const auto& [name, ids] :
       {std::pair{"classifications", &item.classifications},
        std::pair{"suggested_classifications", &item.suggested_classifications}}) {
    for (std::size_t idx = 0; idx < ids->size(); ++idx) {
      const auto& id = (*ids)[idx];
      const auto field = fmt::format("/{}/{}", name, idx);
      const bool known = std::any_of(all->begin(), all->end(),
                                     [&](const Classification& c) { return c.id == id; });
      if (!known) {
        return Fail(ErrorCode::kReferenceNotFound,
                    fmt::format("{} \"{}\" is not a classification (see /api/v1/classifications)",
                                field, id),
                    {{"field", field}, {"id", id}});
      }
      if (!seen.insert(id).second) {
        return Violation(field, "classification_once",
                         fmt::format("classification \"{}\" is given twice (stated and "
                                     "suggested count together)",
                                     id));
      }
    }
  }
  return {};
}

// The actor and its units, as a measure names them: all live, each unit the actor's own.
Result<void> CheckActorUnits(Transaction& tx, Id actor_id, const std::vector<Id>& unit_ids,
                             const std::string& pointer) {
  if (auto actor = Referenced<Actor>(tx, actor_id, pointer + "/actor_id"); !actor) {
    return tl::unexpected(actor.error());
  }
  for (std::size_t idx = 0; idx < unit_ids.size(); ++idx) {
    const auto field = fmt::format("{}/unit_ids/{}", pointer, idx);
    auto unit = Referenced<Unit>(tx, unit_ids[idx], field);
    if (!unit) return tl::unexpected(unit.error());
    if (unit->actor_id != actor_id) {
      return Violation(
          field, "unit_of_actor",
          fmt::format("unit {} ({}) belongs to another actor", unit->meta.id, unit->path));
    }
  }
  return {};
}

Result<Framework> WritableFramework(Transaction& tx, Id framework_id, const std::string& field) {
  auto framework = Referenced<Framework>(tx, framework_id, field);
  if (!framework) return framework;
  if (framework->read_only) {
    return ReadOnly(fmt::format("framework {} ({})", framework_id, framework->title));
  }
  return framework;
}

}  // namespace

NodeLookup::NodeLookup(const std::vector<Node>& nodes) {
  for (const auto& node : nodes) nodes_.emplace(node.meta.id, node);
}

Result<std::vector<Node>> NodeLookup::Chain(Id node_id) {
  std::vector<Node> chain;
  std::set<Id> seen;
  for (std::optional<Id> next = node_id; next && seen.insert(*next).second;) {
    auto it = nodes_.find(*next);
    if (it == nodes_.end()) {
      if (tx_ == nullptr) break;
      auto node = tx_->Get<Node>(*next);
      if (!node) return tl::unexpected(node.error());
      it = nodes_.emplace(*next, std::move(*node)).first;
    }
    chain.push_back(it->second);
    next = it->second.parent_id;
  }
  return chain;
}

Result<void> Check(Transaction& /*tx*/, Actor& item, const Actor* /*before*/) {
  return ValidateActor(item);
}

Result<void> Check(Transaction& tx, Unit& item, const Unit* /*before*/) {
  if (auto ok = ValidateUnit(item); !ok) return ok;
  if (auto actor = Referenced<Actor>(tx, item.actor_id, "/actor_id"); !actor) {
    return tl::unexpected(actor.error());
  }
  std::set<Id> seen = {item.meta.id};
  for (auto parent_id = item.parent_id; parent_id;) {
    auto parent = Referenced<Unit>(tx, *parent_id, "/parent_id");
    if (!parent) return tl::unexpected(parent.error());
    if (parent->actor_id != item.actor_id) {
      return Violation("/parent_id", "same_actor",
                       "a unit's parent must be a unit of the same "
                       "actor");
    }
    if (!seen.insert(parent->meta.id).second) {
      return Violation("/parent_id", "cycle",
                       "a unit cannot be placed under itself or its own "
                       "sub-unit");
    }
    parent_id = parent->parent_id;
  }
  return {};
}

Result<void> Check(Transaction& tx, Framework& item, const Framework* before) {
  if (auto ok = ValidateFramework(item); !ok) return ok;
  if (item.owner_actor_id) {
    if (auto owner = Referenced<Actor>(tx, *item.owner_actor_id, "/owner_actor_id"); !owner) {
      return tl::unexpected(owner.error());
    }
  }
  if (auto ok = CheckClassifications(tx, item); !ok) return ok;
  if (before == nullptr) return {};
  // Changed node kinds must still hold every node the framework has.
  auto nodes = tx.FrameworkNodes(item.meta.id);
  if (!nodes) return tl::unexpected(nodes.error());
  for (const auto& node : *nodes) {
    const Node* parent = nullptr;
    std::vector<Node> linked;
    for (const auto& other : *nodes) {
      if (node.parent_id && other.meta.id == *node.parent_id) parent = &other;
      if (std::find(node.linked_node_ids.begin(), node.linked_node_ids.end(), other.meta.id) !=
          node.linked_node_ids.end()) {
        linked.push_back(other);
      }
    }
    if (auto ok = ValidateNodePlacement(item, node, parent, linked); !ok) {
      return Violation("/node_kinds", "node_kinds_in_use",
                       fmt::format("the new node kinds do not hold node {} (\"{}\"): {}",
                                   node.meta.id, node.title, ok.error().message));
    }
  }
  return {};
}

Result<void> Check(Transaction& tx, Node& item, const Node* before) {
  auto framework = WritableFramework(tx, item.framework_id, "/framework_id");
  if (!framework) return tl::unexpected(framework.error());
  std::optional<Node> parent;
  if (item.parent_id) {
    auto loaded = Referenced<Node>(tx, *item.parent_id, "/parent_id");
    if (!loaded) return tl::unexpected(loaded.error());
    if (loaded->framework_id != item.framework_id) {
      return Violation("/parent_id", "same_framework", "a node's parent must be in its framework");
    }
    parent = std::move(*loaded);
  }
  std::vector<Node> linked;
  for (std::size_t idx = 0; idx < item.linked_node_ids.size(); ++idx) {
    const auto field = fmt::format("/linked_node_ids/{}", idx);
    auto loaded = Referenced<Node>(tx, item.linked_node_ids[idx], field);
    if (!loaded) return tl::unexpected(loaded.error());
    if (loaded->framework_id != item.framework_id) {
      return Violation(field, "same_framework", "linked nodes must be in the node's framework");
    }
    linked.push_back(std::move(*loaded));
  }
  if (auto ok = ValidateNodePlacement(*framework, item, parent ? &*parent : nullptr, linked); !ok) {
    return ok;
  }
  // The tree shows kMaxNodeDepth levels: a node is not placed deeper (issue 15: no silent loss).
  int level = 1;
  for (std::optional<Node> above = parent; above;) {
    if (++level > kMaxNodeDepth) {
      return Violation("/parent_id", "max_depth",
                       fmt::format("nodes may nest at most {} levels deep", kMaxNodeDepth));
    }
    if (!above->parent_id) break;
    auto next = tx.Get<Node>(*above->parent_id);
    if (!next) return tl::unexpected(next.error());
    above = std::move(*next);
  }
  if (before != nullptr) {
    const auto parent_of = [&tx](Id id) -> std::optional<Id> {
      auto node = tx.Get<Node>(id);
      return node ? node->parent_id : std::nullopt;
    };
    if (auto ok = CheckNoCycle(item.meta.id, item.parent_id, parent_of); !ok) return ok;
    // A changed kind must still hold the node's children.
    NodeFilter child_filter;
    child_filter.parent_id = item.meta.id;
    auto children = tx.List(child_filter, PageRequest{100000, 0});
    if (!children) return tl::unexpected(children.error());
    for (const auto& child : children->items) {
      if (auto ok = ValidateNodePlacement(*framework, child, &item, {}); !ok) {
        return Violation("/kind", "kind_placement",
                         fmt::format("child node {} (\"{}\") could no longer stand under it: {}",
                                     child.meta.id, child.title, ok.error().message));
      }
    }
  }
  if (item.coordinating_actor_id) {
    auto actor = Referenced<Actor>(tx, *item.coordinating_actor_id, "/coordinating_actor_id");
    if (!actor) return tl::unexpected(actor.error());
  }
  if (item.contact_unit_id) {
    auto unit = Referenced<Unit>(tx, *item.contact_unit_id, "/contact_unit_id");
    if (!unit) return tl::unexpected(unit.error());
    if (!item.coordinating_actor_id || unit->actor_id != *item.coordinating_actor_id) {
      return Violation("/contact_unit_id", "unit_of_actor",
                       "the contact unit must be a unit of the coordinating actor");
    }
  }
  if (auto ok = CheckClassifications(tx, item); !ok) return ok;
  for (std::size_t idx = 0; idx < item.contacts.size(); ++idx) {
    const auto& contact = item.contacts[idx];
    std::vector<Id> units;
    if (contact.unit_id) units.push_back(*contact.unit_id);
    if (auto ok = CheckActorUnits(tx, contact.actor_id, units, fmt::format("/contacts/{}", idx));
        !ok) {
      return ok;
    }
  }
  std::set<Id> about;
  for (std::size_t idx = 0; idx < item.actor_ids.size(); ++idx) {
    const auto field = fmt::format("/actor_ids/{}", idx);
    if (auto actor = Referenced<Actor>(tx, item.actor_ids[idx], field); !actor) {
      return tl::unexpected(actor.error());
    }
    if (!about.insert(item.actor_ids[idx]).second) {
      return Violation(field, "actor_once",
                       fmt::format("actor {} is given twice", item.actor_ids[idx]));
    }
  }
  if (!item.code.empty()) {
    auto existing = tx.FindNodeByCode(item.framework_id, item.kind, item.code);
    if (!existing) return tl::unexpected(existing.error());
    if (*existing && **existing != item.meta.id) {
      return Duplicate("/code", item.code, **existing,
                       fmt::format("framework {} already has a {} with code \"{}\"",
                                   item.framework_id, item.kind, item.code));
    }
  }
  return {};
}

Result<void> Check(Transaction& tx, Measure& item, const Measure* /*before*/) {
  if (auto ok = ValidateMeasure(item); !ok) return ok;
  auto node = Referenced<Node>(tx, item.node_id, "/node_id");
  if (!node) return tl::unexpected(node.error());
  auto framework = WritableFramework(tx, node->framework_id, "/node_id");
  if (!framework) return tl::unexpected(framework.error());
  item.framework_id = node->framework_id;
  for (std::size_t idx = 0; idx < item.responsible.size(); ++idx) {
    const auto& responsible = item.responsible[idx];
    if (auto ok = CheckActorUnits(tx, responsible.actor_id, responsible.unit_ids,
                                  fmt::format("/responsible/{}", idx));
        !ok) {
      return ok;
    }
  }
  for (std::size_t idx = 0; idx < item.partners.size(); ++idx) {
    const auto& partner = item.partners[idx];
    if (auto ok = CheckActorUnits(tx, partner.actor_id, partner.unit_ids,
                                  fmt::format("/partners/{}", idx));
        !ok) {
      return ok;
    }
  }
  if (auto ok = CheckClassifications(tx, item); !ok) return ok;
  auto chain = NodeLookup(tx).Chain(item.node_id);
  if (!chain) return tl::unexpected(chain.error());
  item.inherited_responsible = InheritResponsible(item, *chain);
  if (auto ok = CheckHasResponsible(item); !ok) return ok;
  if (!item.code.empty()) {
    auto existing = tx.FindMeasureByCode(item.framework_id, item.code);
    if (!existing) return tl::unexpected(existing.error());
    if (*existing && **existing != item.meta.id) {
      return Duplicate("/code", item.code, **existing,
                       fmt::format("framework {} already has a measure with code \"{}\"",
                                   item.framework_id, item.code));
    }
  }
  return {};
}

Result<void> Check(Transaction& tx, Adoption& item, const Adoption* /*before*/) {
  if (auto ok = ValidateAdoption(item); !ok) return ok;
  if (auto framework = Referenced<Framework>(tx, item.framework_id, "/framework_id"); !framework) {
    return tl::unexpected(framework.error());
  }
  if (auto actor = Referenced<Actor>(tx, item.actor_id, "/actor_id"); !actor) {
    return tl::unexpected(actor.error());
  }
  auto existing = tx.FindAdoption(item.framework_id, item.actor_id);
  if (!existing) return tl::unexpected(existing.error());
  if (*existing && **existing != item.meta.id) {
    return Duplicate(
        "/actor_id", std::to_string(item.actor_id), **existing,
        fmt::format("actor {} has already adopted framework {}", item.actor_id, item.framework_id));
  }
  return {};
}

Result<void> CheckWritable(Transaction& /*tx*/, const Actor& /*item*/) { return {}; }
Result<void> CheckWritable(Transaction& /*tx*/, const Unit& /*item*/) { return {}; }
Result<void> CheckWritable(Transaction& /*tx*/, const Adoption& /*item*/) { return {}; }

Result<void> CheckWritable(Transaction& /*tx*/, const Framework& item) {
  if (item.read_only) return ReadOnly(fmt::format("framework {} ({})", item.meta.id, item.title));
  return {};
}

Result<void> CheckWritable(Transaction& tx, const Node& item) {
  auto framework = tx.Get<Framework>(item.framework_id);
  if (!framework) return tl::unexpected(framework.error());
  return CheckWritable(tx, *framework);
}

Result<void> CheckWritable(Transaction& tx, const Measure& item) {
  auto framework = tx.Get<Framework>(item.framework_id);
  if (!framework) return tl::unexpected(framework.error());
  return CheckWritable(tx, *framework);
}

}  // namespace halsonav::checks
