// Importing a plan file (docs/plan-format.md): names resolved against the actor registry, then
// the framework, its nodes, measures, adoptions and content created in one transaction with the
// same checks as the API's. Every problem found is reported with the file's JSON pointer; any
// problem means nothing is stored.

#include <map>
#include <set>

#include <fmt/format.h>

#include "app/access.hpp"
#include "app/app.hpp"
#include "app/demo_content.hpp"
#include "app/import_support.hpp"
#include "io/plan_file.hpp"
#include "store/store.hpp"

namespace halsonav {
namespace {

using plan::Problem;

constexpr std::size_t kMaxProblems = 200;

class PlanImporter {
 public:
  PlanImporter(Transaction& tx, const plan::PlanFile& file, const PlanImportOptions& options,
               const Caller& caller, std::string now)
      : tx_(tx), file_(file), options_(options), caller_(caller), now_(std::move(now)) {}

  // Resolves and creates everything; the problems found, or none. On success `report_` tells
  // what was created.
  Result<std::vector<Problem>> Run() {
    if (auto ok = ResolveActors(); !ok) return tl::unexpected(ok.error());
    if (!problems_.empty()) return std::move(problems_);
    if (auto ok = CreateFramework(); !ok) return tl::unexpected(ok.error());
    if (!problems_.empty()) return std::move(problems_);
    // Cross-cutting nodes link to others, so they are created after the rest.
    for (const bool cross_cutting : {false, true}) {
      for (std::size_t idx = 0; idx < file_.nodes.size(); ++idx) {
        if (file_.nodes[idx].cross_cutting != cross_cutting) continue;
        if (auto ok = CreateNode(file_.nodes[idx], std::nullopt, static_cast<std::int64_t>(idx),
                                 fmt::format("/nodes/{}", idx));
            !ok) {
          return tl::unexpected(ok.error());
        }
      }
    }
    if (auto ok = CreateAdoptions(); !ok) return tl::unexpected(ok.error());
    if (auto ok = SaveContent(); !ok) return tl::unexpected(ok.error());
    return std::move(problems_);
  }

  Json Report() const {
    return {{"framework_id", framework_id_},
            {"title", file_.framework.title},
            {"created",
             {{"frameworks", 1},
              {"actors", actors_created_.size()},
              {"units", units_created_.size()},
              {"nodes", nodes_created_},
              {"measures", measures_created_},
              {"adoptions", adoptions_created_}}},
            {"actors_created", actors_created_},
            {"units_created", units_created_},
            {"actors_matched", actors_matched_}};
  }

 private:
  void Add(std::string pointer, std::string message) {
    if (problems_.size() < kMaxProblems) {
      problems_.push_back(Problem{std::move(pointer), std::move(message)});
    }
  }

  // Inserts with the API's checks; a failed check is a problem at `pointer` and sets `failed`.
  template <typename T>
  Result<Id> InsertRecorded(T& item, const std::string& pointer, bool& failed) {
    auto rejected = import_support::InsertChecked(tx_, item, now_, caller_);
    if (!rejected) return tl::unexpected(rejected.error());
    failed = rejected->has_value();
    if (failed) Add(pointer, (*rejected)->message);
    return item.meta.id;
  }

  // ---- actors and units ----

  Result<void> ResolveActors() {
    // The registry's live actors by exact name.
    ActorFilter filter;
    auto all = tx_.List(filter, PageRequest{1'000'000, 0});
    if (!all) return tl::unexpected(all.error());
    std::map<std::string, const Actor*> registry;
    for (const auto& actor : all->items) registry.emplace(actor.name, &actor);
    for (std::size_t idx = 0; idx < file_.actors.size(); ++idx) {
      const auto& spec = file_.actors[idx];
      const auto pointer = fmt::format("/actors/{}", idx);
      const auto found = registry.find(spec.name);
      if (found != registry.end()) {
        if (found->second->kind != spec.kind) {
          Add(pointer + "/kind",
              fmt::format("actor \"{}\" is a {} in the registry, not a {}", spec.name,
                          ToString(found->second->kind), ToString(spec.kind)));
          continue;
        }
        actor_ids_[spec.name] = found->second->meta.id;
        actors_matched_.push_back(spec.name);
      } else if (!options_.create_actors) {
        Add(pointer + "/name", fmt::format("actor \"{}\" is not in the registry (an import may "
                                           "create missing actors only when asked to)",
                                           spec.name));
        continue;
      } else {
        Actor actor;
        actor.kind = spec.kind;
        actor.name = spec.name;
        if (!spec.short_name.empty()) actor.short_name = spec.short_name;
        if (!spec.area_code.empty()) actor.area_code = spec.area_code;
        actor.description = spec.description;
        bool failed = false;
        auto id = InsertRecorded(actor, pointer, failed);
        if (!id) return tl::unexpected(id.error());
        if (failed) continue;
        actor_ids_[spec.name] = *id;
        actors_created_.push_back(spec.name);
      }
      if (auto ok = ResolveUnits(spec, pointer); !ok) return ok;
    }
    return {};
  }

  Result<void> ResolveUnits(const plan::ActorSpec& spec, const std::string& pointer) {
    const Id actor_id = actor_ids_.at(spec.name);
    auto existing = import_support::UnitIdsByPath(tx_, actor_id, spec.name);
    if (!existing) return tl::unexpected(existing.error());
    unit_ids_[spec.name] = std::move(*existing);
    return CreateUnits(spec.name, actor_id, spec.units, std::nullopt, "", pointer + "/units");
  }

  Result<void> CreateUnits(const std::string& actor_name, Id actor_id,
                           const std::vector<plan::UnitSpec>& units, std::optional<Id> parent_id,
                           const std::string& prefix, const std::string& pointer) {
    auto& paths = unit_ids_[actor_name];
    for (std::size_t idx = 0; idx < units.size(); ++idx) {
      const auto& spec = units[idx];
      const auto at = fmt::format("{}/{}", pointer, idx);
      const auto path =
          prefix.empty() ? spec.name : prefix + std::string(plan::kUnitSeparator) + spec.name;
      std::optional<Id> id;
      if (const auto it = paths.find(path); it != paths.end()) {
        id = it->second;
      } else if (!options_.create_actors) {
        Add(at + "/name", fmt::format("actor \"{}\" has no unit \"{}\" in the registry (an import "
                                      "may create missing units only when asked to)",
                                      actor_name, path));
        continue;
      } else {
        Unit unit;
        unit.actor_id = actor_id;
        unit.parent_id = parent_id;
        unit.name = spec.name;
        unit.description = spec.description;
        bool failed = false;
        auto created = InsertRecorded(unit, at, failed);
        if (!created) return tl::unexpected(created.error());
        if (failed) continue;
        id = *created;
        paths[path] = *created;
        units_created_.push_back(actor_name + std::string(plan::kUnitSeparator) + path);
      }
      if (auto ok = CreateUnits(actor_name, actor_id, spec.units, id, path, at + "/units"); !ok) {
        return ok;
      }
    }
    return {};
  }

  Id ActorId(const std::string& name) const { return actor_ids_.at(name); }

  std::vector<Id> UnitIds(const std::string& actor, const std::vector<std::string>& paths) const {
    std::vector<Id> ids;
    for (const auto& path : paths) ids.push_back(unit_ids_.at(actor).at(path));
    return ids;
  }

  // ---- framework, nodes, measures ----

  Result<void> CreateFramework() {
    const auto& spec = file_.framework;
    Framework framework;
    framework.kind = spec.kind;
    framework.title = spec.title;
    if (!spec.short_title.empty()) framework.short_title = spec.short_title;
    framework.description = spec.description;
    if (!spec.owner.empty()) framework.owner_actor_id = ActorId(spec.owner);
    framework.valid_from = spec.valid_from;
    framework.valid_to = spec.valid_to;
    framework.status = spec.status;
    framework.node_kinds = spec.node_kinds;
    framework.classifications = spec.classifications;
    framework.suggested_classifications = spec.suggested_classifications;
    bool failed = false;
    auto id = InsertRecorded(framework, "/framework", failed);
    if (!id) return tl::unexpected(id.error());
    framework_id_ = *id;
    return {};
  }

  Result<void> CreateNode(const plan::NodeSpec& spec, std::optional<Id> parent_id,
                          std::int64_t order, const std::string& pointer) {
    Node node;
    node.framework_id = framework_id_;
    node.parent_id = parent_id;
    node.kind = spec.kind;
    node.code = spec.code;
    node.title = spec.title;
    node.text = spec.text;
    node.order = order;
    if (!spec.coordinating_actor.empty()) {
      node.coordinating_actor_id = ActorId(spec.coordinating_actor);
      if (!spec.contact_unit.empty()) {
        node.contact_unit_id = unit_ids_.at(spec.coordinating_actor).at(spec.contact_unit);
      }
    }
    for (const auto& contact : spec.contacts) {
      NodeContact resolved{ActorId(contact.actor), std::nullopt};
      if (!contact.unit.empty()) resolved.unit_id = unit_ids_.at(contact.actor).at(contact.unit);
      node.contacts.push_back(resolved);
    }
    for (const auto& actor : spec.actors) node.actor_ids.push_back(ActorId(actor));
    node.cross_cutting = spec.cross_cutting;
    for (const auto& link : spec.links) {
      const auto it = node_ids_.find({link.kind, link.code});
      if (it == node_ids_.end()) {
        Add(pointer + "/links",
            fmt::format("the {} \"{}\" it links to could not be created", link.kind, link.code));
        return {};
      }
      node.linked_node_ids.push_back(it->second);
    }
    node.classifications = spec.classifications;
    node.suggested_classifications = spec.suggested_classifications;
    bool failed = false;
    auto id = InsertRecorded(node, pointer, failed);
    if (!id) return tl::unexpected(id.error());
    if (failed) return {};  // its children and measures cannot be placed
    ++nodes_created_;
    if (!spec.code.empty()) node_ids_[{spec.kind, spec.code}] = *id;
    for (std::size_t idx = 0; idx < spec.children.size(); ++idx) {
      if (auto ok = CreateNode(spec.children[idx], *id, static_cast<std::int64_t>(idx),
                               fmt::format("{}/children/{}", pointer, idx));
          !ok) {
        return ok;
      }
    }
    for (std::size_t idx = 0; idx < spec.measures.size(); ++idx) {
      if (auto ok = CreateMeasure(spec.measures[idx], *id, static_cast<std::int64_t>(idx),
                                  fmt::format("{}/measures/{}", pointer, idx));
          !ok) {
        return ok;
      }
    }
    return {};
  }

  Result<void> CreateMeasure(const plan::MeasureSpec& spec, Id node_id, std::int64_t order,
                             const std::string& pointer) {
    Measure measure = import_support::MeasureFields(spec);
    measure.node_id = node_id;
    measure.order = order;
    for (const auto& responsible : spec.responsible) {
      measure.responsible.push_back(
          {ActorId(responsible.actor), UnitIds(responsible.actor, responsible.units)});
    }
    for (const auto& partner : spec.partners) {
      measure.partners.push_back(
          {ActorId(partner.actor), partner.role, UnitIds(partner.actor, partner.units)});
    }
    bool failed = false;
    auto id = InsertRecorded(measure, pointer, failed);
    if (!id) return tl::unexpected(id.error());
    if (!failed) ++measures_created_;
    return {};
  }

  Result<void> CreateAdoptions() {
    for (std::size_t idx = 0; idx < file_.adoptions.size(); ++idx) {
      const auto& spec = file_.adoptions[idx];
      Adoption adoption;
      adoption.framework_id = framework_id_;
      adoption.actor_id = ActorId(spec.actor);
      if (!spec.body.empty()) adoption.body = spec.body;
      if (!spec.date.empty()) adoption.date = spec.date;
      if (!spec.reference.empty()) adoption.reference = spec.reference;
      bool failed = false;
      auto id = InsertRecorded(adoption, fmt::format("/adoptions/{}", idx), failed);
      if (!id) return tl::unexpected(id.error());
      if (!failed) ++adoptions_created_;
    }
    return {};
  }

  // ---- content ----

  std::vector<Id> NodeIds(const std::vector<plan::NodeRef>& refs, const std::string& pointer) {
    std::vector<Id> ids;
    for (std::size_t idx = 0; idx < refs.size(); ++idx) {
      const auto it = node_ids_.find({refs[idx].kind, refs[idx].code});
      if (it == node_ids_.end()) {
        Add(fmt::format("{}/{}", pointer, idx),
            fmt::format("the {} \"{}\" could not be created", refs[idx].kind, refs[idx].code));
        continue;
      }
      ids.push_back(it->second);
    }
    return ids;
  }

  Result<void> SaveContent() {
    FrameworkContent content;
    content.framework_id = framework_id_;
    content.commitments = file_.commitments;
    for (std::size_t idx = 0; idx < file_.result_goals.size(); ++idx) {
      const auto& spec = file_.result_goals[idx];
      content.result_goals.push_back(ResultGoal{
          spec.code, spec.title, spec.text,
          NodeIds(spec.nodes, fmt::format("/result_goals/{}/nodes", idx)), spec.indicators});
    }
    content.follow_up.baseline_year = file_.follow_up.baseline_year;
    content.follow_up.follow_up_year = file_.follow_up.follow_up_year;
    content.follow_up.text = file_.follow_up.text;
    for (std::size_t idx = 0; idx < file_.follow_up.items.size(); ++idx) {
      const auto& spec = file_.follow_up.items[idx];
      content.follow_up.items.push_back(FollowUpItem{
          spec.kind, spec.code, spec.text,
          NodeIds(spec.nodes, fmt::format("/follow_up/items/{}/nodes", idx)), spec.indicator});
    }
    for (const auto& spec : file_.forums) {
      Forum forum{spec.name, spec.text, spec.purposes, {}};
      for (const auto& group_spec : spec.groups) {
        ForumGroup group{group_spec.name, {}};
        for (const auto& member : group_spec.members) {
          group.members.push_back(
              ForumMember{ActorId(member.actor), UnitIds(member.actor, member.units), member.role});
        }
        forum.groups.push_back(std::move(group));
      }
      content.forums.push_back(std::move(forum));
    }
    return tx_.Save(content);
  }

  Transaction& tx_;
  const plan::PlanFile& file_;
  const PlanImportOptions& options_;
  const Caller& caller_;
  std::string now_;
  std::vector<Problem> problems_;

  std::map<std::string, Id> actor_ids_;
  std::map<std::string, std::map<std::string, Id>> unit_ids_;   // actor → unit path → id
  std::map<std::pair<std::string, std::string>, Id> node_ids_;  // (kind, code) → id
  Id framework_id_ = 0;
  std::vector<std::string> actors_created_;
  std::vector<std::string> actors_matched_;
  std::vector<std::string> units_created_;
  std::int64_t nodes_created_ = 0;
  std::int64_t measures_created_ = 0;
  std::int64_t adoptions_created_ = 0;
};

}  // namespace

Result<Json> App::ImportPlan(std::string_view text, const PlanImportOptions& options,
                             const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kCoordinator}, "import plans"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto file = plan::ReadPlanFile(text);
  if (!file) return tl::unexpected(file.error());
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  PlanImporter importer(**tx, *file, options, caller, now_());
  auto problems = importer.Run();
  if (!problems) return tl::unexpected(problems.error());
  if (!problems->empty()) return plan::ProblemsError(*problems, "the plan file");
  Json report = importer.Report();
  // A coordinator imports only plans their own organisation owns.
  if (const auto id = report.find("framework_id"); id != report.end() && id->is_number_integer()) {
    if (auto ok = access::MayCoordinate(**tx, caller, id->get<Id>(), "import this plan"); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  report["dry_run"] = options.dry_run;
  if (options.dry_run) {
    report["framework_id"] = nullptr;  // rolled back: nothing was stored
    return report;
  }
  if (auto ok = (*tx)->Commit(); !ok) return tl::unexpected(ok.error());
  return report;
}

Result<Json> App::LoadDemo(const Caller& caller) {
  if (auto ok = access::RequireOperator(caller, "load the demo plans"); !ok) {
    return tl::unexpected(ok.error());
  }
  Json reports = Json::array();
  for (const auto& demo : DemoPlans()) {
    auto report = ImportPlan(demo.text, PlanImportOptions{.create_actors = true}, caller);
    if (!report) {
      auto error = report.error();
      error.message = fmt::format("demo file {}: {}", demo.file_name, error.message);
      return tl::unexpected(std::move(error));
    }
    (*report)["file"] = demo.file_name;
    reports.push_back(std::move(*report));
  }
  return reports;
}

}  // namespace halsonav
