// Exporting a framework as a plan file (docs/plan-format.md): ids become names, the tree is
// nested, and the file is canonical, so that export → import into an empty database → export
// gives the same bytes.

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "app/access.hpp"
#include "app/app.hpp"
#include "app/import_support.hpp"
#include "io/plan_file.hpp"
#include "io/plan_xlsx.hpp"
#include "store/store.hpp"

namespace halsonav {
namespace {

class PlanExporter {
 public:
  explicit PlanExporter(Transaction& tx) : tx_(tx) {}

  Result<plan::PlanFile> Run(Id framework_id) {
    auto framework = tx_.Get<Framework>(framework_id);
    if (!framework) return tl::unexpected(framework.error());
    if (framework->meta.deleted) {
      return Fail(ErrorCode::kEntityDeleted,
                  fmt::format("framework {} is deleted; restore it to export it", framework_id));
    }
    auto nodes = tx_.FrameworkNodes(framework_id);
    if (!nodes) return tl::unexpected(nodes.error());
    auto measures = tx_.FrameworkMeasures(framework_id);
    if (!measures) return tl::unexpected(measures.error());
    AdoptionFilter adoption_filter;
    adoption_filter.framework_id = framework_id;
    auto adoptions = tx_.List(adoption_filter, PageRequest{1'000'000, 0});
    if (!adoptions) return tl::unexpected(adoptions.error());
    FrameworkContent content;
    if (auto ok = tx_.Load(framework_id, content); !ok) return tl::unexpected(ok.error());

    // Every actor the plan names, so that the file's actor list can be written.
    std::set<Id> used;
    if (framework->owner_actor_id) used.insert(*framework->owner_actor_id);
    for (const auto& node : *nodes) {
      if (node.coordinating_actor_id) used.insert(*node.coordinating_actor_id);
      for (const auto& contact : node.contacts) used.insert(contact.actor_id);
      used.insert(node.actor_ids.begin(), node.actor_ids.end());
    }
    for (const auto& measure : *measures) {
      for (const auto& r : measure.responsible) used.insert(r.actor_id);
      for (const auto& p : measure.partners) used.insert(p.actor_id);
    }
    for (const auto& adoption : adoptions->items) used.insert(adoption.actor_id);
    for (const auto& forum : content.forums) {
      for (const auto& group : forum.groups) {
        for (const auto& member : group.members) used.insert(member.actor_id);
      }
    }
    plan::PlanFile file;
    for (const Id actor_id : used) {  // a std::set: in id order, the order of creation
      auto actor = LoadActor(actor_id);
      if (!actor) return tl::unexpected(actor.error());
      file.actors.push_back(std::move(*actor));
    }

    file.framework = ExportFramework(*framework);
    for (const auto& node : *nodes) nodes_by_id_[node.meta.id] = &node;
    for (const auto& measure : *measures) measures_by_node_[measure.node_id].push_back(&measure);
    for (const auto& node : *nodes) children_[node.parent_id.value_or(0)].push_back(&node);
    for (const Node* root : children_[0]) {
      auto exported = ExportNode(*root);
      if (!exported) return tl::unexpected(exported.error());
      file.nodes.push_back(std::move(*exported));
    }
    for (const auto& adoption : adoptions->items) {
      file.adoptions.push_back(
          plan::AdoptionSpec{actor_names_.at(adoption.actor_id), adoption.body.value_or(""),
                             adoption.date.value_or(""), adoption.reference.value_or("")});
    }
    if (auto ok = ExportContent(content, file); !ok) return tl::unexpected(ok.error());
    return file;
  }

 private:
  Result<plan::ActorSpec> LoadActor(Id actor_id) {
    auto actor = tx_.Get<Actor>(actor_id);
    if (!actor) return tl::unexpected(actor.error());
    actor_names_[actor_id] = actor->name;
    UnitFilter filter;
    filter.actor_id = actor_id;
    auto units = tx_.List(filter, PageRequest{1'000'000, 0});
    if (!units) return tl::unexpected(units.error());
    std::vector<Unit> sorted = units->items;
    std::sort(sorted.begin(), sorted.end(),
              [](const Unit& a, const Unit& b) { return a.meta.id < b.meta.id; });
    std::map<Id, std::vector<const Unit*>> children;
    for (const auto& unit : sorted) {
      children[unit.parent_id.value_or(0)].push_back(&unit);
      unit_paths_[unit.meta.id] = import_support::PathBelowActor(unit, actor->name);
    }
    plan::ActorSpec spec;
    spec.name = actor->name;
    spec.kind = actor->kind;
    spec.short_name = actor->short_name.value_or("");
    spec.area_code = actor->area_code.value_or("");
    spec.description = actor->description;
    spec.units = UnitTree(children, 0);
    return spec;
  }

  static std::vector<plan::UnitSpec> UnitTree(std::map<Id, std::vector<const Unit*>>& children,
                                              Id parent) {
    std::vector<plan::UnitSpec> out;
    for (const Unit* unit : children[parent]) {
      out.push_back(
          plan::UnitSpec{unit->name, unit->description, UnitTree(children, unit->meta.id)});
    }
    return out;
  }

  std::vector<std::string> UnitPaths(const std::vector<Id>& ids) const {
    std::vector<std::string> out;
    for (const Id id : ids) out.push_back(unit_paths_.at(id));
    return out;
  }

  plan::FrameworkSpec ExportFramework(const Framework& framework) const {
    plan::FrameworkSpec spec;
    spec.kind = framework.kind;
    spec.title = framework.title;
    spec.short_title = framework.short_title.value_or("");
    spec.description = framework.description;
    if (framework.owner_actor_id) spec.owner = actor_names_.at(*framework.owner_actor_id);
    spec.valid_from = framework.valid_from;
    spec.valid_to = framework.valid_to;
    spec.status = framework.status;
    spec.node_kinds = framework.node_kinds;
    spec.classifications = framework.classifications;
    spec.suggested_classifications = framework.suggested_classifications;
    return spec;
  }

  // A reference to a node by kind and code; a node without a code cannot be referred to.
  Result<plan::NodeRef> Ref(Id node_id) const {
    const auto it = nodes_by_id_.find(node_id);
    if (it == nodes_by_id_.end() || it->second->code.empty()) {
      return Fail(ErrorCode::kRuleViolation,
                  fmt::format("node {} is referred to in the framework but {}, so a plan file "
                              "cannot name it; give it a code first",
                              node_id, it == nodes_by_id_.end() ? "is deleted" : "has no code"),
                  {{"node_id", node_id}});
    }
    return plan::NodeRef{it->second->kind, it->second->code};
  }

  Result<std::vector<plan::NodeRef>> Refs(const std::vector<Id>& ids) const {
    std::vector<plan::NodeRef> out;
    for (const Id id : ids) {
      auto ref = Ref(id);
      if (!ref) return tl::unexpected(ref.error());
      out.push_back(std::move(*ref));
    }
    return out;
  }

  Result<plan::NodeSpec> ExportNode(const Node& node) {
    plan::NodeSpec spec;
    spec.kind = node.kind;
    spec.code = node.code;
    spec.title = node.title;
    spec.text = node.text;
    if (node.coordinating_actor_id) {
      spec.coordinating_actor = actor_names_.at(*node.coordinating_actor_id);
    }
    if (node.contact_unit_id) spec.contact_unit = unit_paths_.at(*node.contact_unit_id);
    for (const auto& contact : node.contacts) {
      spec.contacts.push_back(
          plan::ContactSpec{actor_names_.at(contact.actor_id),
                            contact.unit_id ? unit_paths_.at(*contact.unit_id) : std::string()});
    }
    for (const Id actor : node.actor_ids) spec.actors.push_back(actor_names_.at(actor));
    spec.cross_cutting = node.cross_cutting;
    auto links = Refs(node.linked_node_ids);
    if (!links) return tl::unexpected(links.error());
    spec.links = std::move(*links);
    spec.classifications = node.classifications;
    spec.suggested_classifications = node.suggested_classifications;
    for (const Node* child : children_[node.meta.id]) {
      auto exported = ExportNode(*child);
      if (!exported) return exported;
      spec.children.push_back(std::move(*exported));
    }
    for (const Measure* measure : measures_by_node_[node.meta.id]) {
      spec.measures.push_back(ExportMeasure(*measure));
    }
    return spec;
  }

  plan::MeasureSpec ExportMeasure(const Measure& measure) const {
    plan::MeasureSpec spec;
    spec.code = measure.code;
    spec.target_group = measure.target_group;
    spec.expected_result = measure.expected_result;
    spec.expected_result_year = measure.expected_result_year;
    spec.text = measure.text;
    spec.status = measure.status;
    for (const auto& r : measure.responsible) {
      spec.responsible.push_back(
          plan::ActorUnits{actor_names_.at(r.actor_id), UnitPaths(r.unit_ids)});
    }
    for (const auto& p : measure.partners) {
      spec.partners.push_back(
          plan::PartnerSpec{actor_names_.at(p.actor_id), p.role, UnitPaths(p.unit_ids)});
    }
    spec.tags = measure.tags;
    spec.classifications = measure.classifications;
    spec.suggested_classifications = measure.suggested_classifications;
    return spec;
  }

  Result<void> ExportContent(const FrameworkContent& content, plan::PlanFile& file) const {
    file.commitments = content.commitments;
    for (const auto& goal : content.result_goals) {
      auto refs = Refs(goal.node_ids);
      if (!refs) return tl::unexpected(refs.error());
      file.result_goals.push_back(plan::ResultGoalSpec{goal.code, goal.title, goal.text,
                                                       std::move(*refs), goal.indicators});
    }
    file.follow_up.baseline_year = content.follow_up.baseline_year;
    file.follow_up.follow_up_year = content.follow_up.follow_up_year;
    file.follow_up.text = content.follow_up.text;
    for (const auto& item : content.follow_up.items) {
      auto refs = Refs(item.node_ids);
      if (!refs) return tl::unexpected(refs.error());
      file.follow_up.items.push_back(plan::FollowUpItemSpec{item.kind, item.code, item.text,
                                                            std::move(*refs), item.indicator});
    }
    for (const auto& forum : content.forums) {
      plan::ForumSpec spec{forum.name, forum.text, forum.purposes, {}};
      for (const auto& group : forum.groups) {
        plan::ForumGroupSpec group_spec{group.name, {}};
        for (const auto& member : group.members) {
          group_spec.members.push_back(plan::ForumMemberSpec{
              actor_names_.at(member.actor_id), UnitPaths(member.unit_ids), member.role});
        }
        spec.groups.push_back(std::move(group_spec));
      }
      file.forums.push_back(std::move(spec));
    }
    return {};
  }

  Transaction& tx_;
  std::map<Id, std::string> actor_names_;
  std::map<Id, std::string> unit_paths_;  // below the actor: "A / B"
  std::map<Id, const Node*> nodes_by_id_;
  std::map<Id, std::vector<const Node*>> children_;  // parent id (0 = top) → nodes in order
  std::map<Id, std::vector<const Measure*>> measures_by_node_;
};

}  // namespace

Result<plan::PlanFile> App::PlanOf(Id framework_id, const Caller& caller) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  if (auto ok = access::ReadableFramework(**tx, caller, framework_id); !ok) {
    return tl::unexpected(ok.error());
  }
  return PlanExporter(**tx).Run(framework_id);
}

Result<std::string> App::ExportPlan(Id framework_id, const Caller& caller) {
  auto file = PlanOf(framework_id, caller);
  if (!file) return tl::unexpected(file.error());
  return plan::WritePlanFile(*file);
}

Result<std::string> App::ExportPlanXlsx(Id framework_id, const Caller& caller) {
  auto file = PlanOf(framework_id, caller);
  if (!file) return tl::unexpected(file.error());
  return plan::WritePlanXlsx(*file);
}

Result<Json> App::GetFrameworkContent(Id framework_id, const Caller& caller) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto framework = access::ReadableFramework(**tx, caller, framework_id);
  if (!framework) return tl::unexpected(framework.error());
  FrameworkContent content;
  if (auto ok = (*tx)->Load(framework_id, content); !ok) return tl::unexpected(ok.error());
  return ToJson(content);
}

}  // namespace halsonav
