#include "io/plan_file.hpp"

#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/json_codec.hpp"
#include "core/json_reader.hpp"
#include "core/rules.hpp"

namespace halsonav::plan {

using json_read::ObjectReader;

// ---- reading: shape (stops at the first problem) ----
// Found by json_read::ReadValue through argument-dependent lookup.

Result<void> ReadObject(const Json& value, const std::string& pointer, UnitSpec& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("name", out.name)
      .OptionalText("description", out.description)
      .Optional("units", out.units)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, ActorSpec& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("name", out.name)
      .Required("kind", out.kind)
      .OptionalText("short_name", out.short_name)
      .OptionalText("area_code", out.area_code)
      .OptionalText("description", out.description)
      .Optional("units", out.units)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, ActorUnits& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("actor", out.actor)
      .Optional("units", out.units)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, PartnerSpec& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("actor", out.actor)
      .Required("role", out.role)
      .Optional("units", out.units)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, ContactSpec& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("actor", out.actor)
      .OptionalText("unit", out.unit)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, NodeRef& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("kind", out.kind)
      .Required("code", out.code)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, MeasureSpec& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .OptionalText("code", out.code)
      .OptionalText("target_group", out.target_group)
      .OptionalText("expected_result", out.expected_result)
      .Optional("expected_result_year", out.expected_result_year)
      .Required("text", out.text)
      .Optional("status", out.status)
      .Optional("responsible", out.responsible)
      .Optional("partners", out.partners)
      .Optional("tags", out.tags)
      .Optional("classifications", out.classifications)
      .Optional("suggested_classifications", out.suggested_classifications)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, NodeSpec& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("kind", out.kind)
      .OptionalText("code", out.code)
      .Required("title", out.title)
      .OptionalText("text", out.text)
      .OptionalText("coordinating_actor", out.coordinating_actor)
      .OptionalText("contact_unit", out.contact_unit)
      .Optional("contacts", out.contacts)
      .Optional("actors", out.actors)
      .Optional("cross_cutting", out.cross_cutting)
      .Optional("links", out.links)
      .Optional("classifications", out.classifications)
      .Optional("suggested_classifications", out.suggested_classifications)
      .Optional("children", out.children)
      .Optional("measures", out.measures)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, FrameworkSpec& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("kind", out.kind)
      .Required("title", out.title)
      .OptionalText("short_title", out.short_title)
      .OptionalText("description", out.description)
      .OptionalText("owner", out.owner)
      .Optional("valid_from", out.valid_from)
      .Optional("valid_to", out.valid_to)
      .Optional("status", out.status)
      .Required("node_kinds", out.node_kinds)
      .Optional("classifications", out.classifications)
      .Optional("suggested_classifications", out.suggested_classifications)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, AdoptionSpec& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("actor", out.actor)
      .OptionalText("body", out.body)
      .OptionalText("date", out.date)
      .OptionalText("reference", out.reference)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, ResultGoalSpec& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .OptionalText("code", out.code)
      .Required("title", out.title)
      .OptionalText("text", out.text)
      .Optional("nodes", out.nodes)
      .Optional("indicators", out.indicators)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, FollowUpItemSpec& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("kind", out.kind)
      .OptionalText("code", out.code)
      .Required("text", out.text)
      .Required("nodes", out.nodes)
      .Optional("indicator", out.indicator)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, FollowUpSpec& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Optional("baseline_year", out.baseline_year)
      .Optional("follow_up_year", out.follow_up_year)
      .OptionalText("text", out.text)
      .Optional("items", out.items)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, ForumMemberSpec& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("actor", out.actor)
      .Optional("units", out.units)
      .OptionalText("role", out.role)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, ForumGroupSpec& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("name", out.name)
      .Optional("members", out.members)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, ForumSpec& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("name", out.name)
      .OptionalText("text", out.text)
      .Optional("purposes", out.purposes)
      .Optional("groups", out.groups)
      .Finish();
}

namespace {

// ---- reading: consistency (collects every problem) ----

std::string Join(const std::string& pointer, std::string_view key) {
  return fmt::format("{}/{}", pointer, key);
}

std::string At(const std::string& pointer, std::size_t idx) {
  return fmt::format("{}/{}", pointer, idx);
}

bool IsTrimmed(const std::string& text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  return !text.empty() && !blank(text.front()) && !blank(text.back());
}

void CollectUnitPaths(const std::vector<UnitSpec>& units, const std::string& prefix,
                      std::vector<std::string>& out) {
  for (const auto& unit : units) {
    auto path = prefix.empty() ? unit.name : prefix + std::string(kUnitSeparator) + unit.name;
    out.push_back(path);
    CollectUnitPaths(unit.units, path, out);
  }
}

class Checker {
 public:
  explicit Checker(const PlanFile& plan) : plan_(plan) {}

  std::vector<Problem> Run() {
    CheckActors();
    CheckFramework();
    CollectNodes(plan_.nodes, "/nodes", 1);
    for (const auto& visit : VisitNodes(plan_)) CheckNode(*visit.node, visit.parent, visit.pointer);
    CheckAdoptions();
    CheckContent();
    return std::move(problems_);
  }

 private:
  void Add(std::string pointer, std::string message) {
    problems_.push_back(Problem{std::move(pointer), std::move(message)});
  }

  void CheckName(const std::string& name, const std::string& pointer) {
    if (!IsTrimmed(name)) {
      Add(pointer, "a name must not be empty or begin or end with a blank");
    } else if (name.find(kUnitSeparator) != std::string::npos) {
      Add(pointer, fmt::format("a name must not contain \"{}\" (it separates unit names in paths)",
                               kUnitSeparator));
    }
  }

  void CheckUnits(const std::vector<UnitSpec>& units, const std::string& pointer) {
    std::set<std::string> names;
    for (std::size_t idx = 0; idx < units.size(); ++idx) {
      const auto at = At(pointer, idx);
      CheckName(units[idx].name, Join(at, "name"));
      if (!names.insert(units[idx].name).second) {
        Add(Join(at, "name"), fmt::format("unit \"{}\" is given twice here", units[idx].name));
      }
      CheckUnits(units[idx].units, Join(at, "units"));
    }
  }

  void CheckActors() {
    for (std::size_t idx = 0; idx < plan_.actors.size(); ++idx) {
      const auto& actor = plan_.actors[idx];
      const auto at = At("/actors", idx);
      CheckName(actor.name, Join(at, "name"));
      if (!unit_paths_.emplace(actor.name, std::set<std::string>{}).second) {
        Add(Join(at, "name"), fmt::format("actor \"{}\" is listed twice", actor.name));
        continue;
      }
      if (!actor.area_code.empty() &&
          actor.area_code.find_first_not_of("0123456789") != std::string::npos) {
        Add(Join(at, "area_code"), "an area code has digits only (Kolada: \"2480\", \"0024\")");
      }
      CheckUnits(actor.units, Join(at, "units"));
      std::vector<std::string> paths;
      CollectUnitPaths(actor.units, "", paths);
      unit_paths_[actor.name].insert(paths.begin(), paths.end());
    }
  }

  // An actor named somewhere in the file must be in its actor list.
  bool ActorKnown(const std::string& name, const std::string& pointer) {
    if (unit_paths_.contains(name)) return true;
    Add(pointer, fmt::format("actor \"{}\" is not in the file's actors list", name));
    return false;
  }

  void CheckUnitPath(const std::string& actor, const std::string& path,
                     const std::string& pointer) {
    const auto it = unit_paths_.find(actor);
    if (it == unit_paths_.end() || it->second.contains(path)) return;
    Add(pointer,
        fmt::format("actor \"{}\" has no unit \"{}\" in the file's actors list", actor, path));
  }

  void CheckActorUnits(const std::string& actor, const std::vector<std::string>& units,
                       const std::string& pointer) {
    if (!ActorKnown(actor, Join(pointer, "actor"))) return;
    for (std::size_t idx = 0; idx < units.size(); ++idx) {
      CheckUnitPath(actor, units[idx], At(Join(pointer, "units"), idx));
    }
  }

  void CheckYear(const std::optional<std::int64_t>& year, const std::string& pointer) {
    if (year && (*year < kMinYear || *year > kMaxYear)) {
      Add(pointer, fmt::format("year {} is outside {}–{}", *year, kMinYear, kMaxYear));
    }
  }

  void CheckFramework() {
    const auto& framework = plan_.framework;
    if (!IsTrimmed(framework.title)) Add("/framework/title", "the title must not be empty");
    if (!framework.owner.empty()) ActorKnown(framework.owner, "/framework/owner");
    CheckYear(framework.valid_from, "/framework/valid_from");
    CheckYear(framework.valid_to, "/framework/valid_to");
    for (std::size_t idx = 0; idx < framework.node_kinds.size(); ++idx) {
      const auto& kind = framework.node_kinds[idx];
      if (!kinds_.emplace(kind.key, &kind).second) {
        Add(At("/framework/node_kinds", idx) + "/key",
            fmt::format("node kind \"{}\" is given twice", kind.key));
      }
    }
    for (std::size_t idx = 0; idx < framework.node_kinds.size(); ++idx) {
      const auto& parents = framework.node_kinds[idx].parents;
      for (std::size_t p = 0; p < parents.size(); ++p) {
        if (!kinds_.contains(parents[p])) {
          Add(At(At("/framework/node_kinds", idx) + "/parents", p),
              fmt::format("\"{}\" is not a node kind of the framework", parents[p]));
        }
      }
    }
  }

  // First pass: every node's (kind, code) and every measure code, so that references may point
  // forward.
  void CollectNodes(const std::vector<NodeSpec>& nodes, const std::string& pointer, int depth) {
    for (std::size_t idx = 0; idx < nodes.size(); ++idx) {
      const auto at = At(pointer, idx);
      const auto& node = nodes[idx];
      if (depth > kMaxNodeDepth) {
        Add(at, fmt::format("nodes may nest at most {} levels deep; this one is at level {}",
                            kMaxNodeDepth, depth));
        return;
      }
      if (!node.code.empty() && !node_codes_.emplace(std::pair{node.kind, node.code}, at).second) {
        Add(Join(at, "code"), fmt::format("{} \"{}\" is given twice (first at {})", node.kind,
                                          node.code, node_codes_[{node.kind, node.code}]));
      }
      for (std::size_t m = 0; m < node.measures.size(); ++m) {
        const auto& code = node.measures[m].code;
        const auto mat = At(Join(at, "measures"), m);
        if (!code.empty() && !measure_codes_.emplace(code, mat).second) {
          Add(Join(mat, "code"), fmt::format("measure code \"{}\" is given twice (first at {})",
                                             code, measure_codes_[code]));
        }
      }
      CollectNodes(node.children, Join(at, "children"), depth + 1);
    }
  }

  void CheckNodeRef(const NodeRef& ref, const std::string& pointer) {
    if (!node_codes_.contains({ref.kind, ref.code})) {
      Add(pointer, fmt::format("there is no {} with code \"{}\" in the file", ref.kind, ref.code));
    }
  }

  void CheckNode(const NodeSpec& node, const NodeSpec* parent, const std::string& at) {
    if (!IsTrimmed(node.title)) Add(Join(at, "title"), "the title must not be empty");
    const auto kind = kinds_.find(node.kind);
    if (kind == kinds_.end()) {
      Add(Join(at, "kind"), fmt::format("\"{}\" is not a node kind of the framework (it has: {})",
                                        node.kind, KindKeys()));
    } else if (parent == nullptr && !kind->second->root && !node.cross_cutting) {
      Add(Join(at, "kind"),
          fmt::format("a {} may not stand at the top of the tree", kind->second->label));
    } else if (parent != nullptr &&
               std::find(kind->second->parents.begin(), kind->second->parents.end(),
                         parent->kind) == kind->second->parents.end()) {
      Add(Join(at, "kind"), fmt::format("a {} may not stand under a {}", node.kind, parent->kind));
    }
    if (node.cross_cutting && parent != nullptr) {
      Add(Join(at, "cross_cutting"), "a cross-cutting node must stand at the top of the tree");
    }
    if (!node.coordinating_actor.empty() &&
        ActorKnown(node.coordinating_actor, Join(at, "coordinating_actor")) &&
        !node.contact_unit.empty()) {
      CheckUnitPath(node.coordinating_actor, node.contact_unit, Join(at, "contact_unit"));
    }
    if (node.coordinating_actor.empty() && !node.contact_unit.empty()) {
      Add(Join(at, "contact_unit"), "a contact unit needs a coordinating actor");
    }
    for (std::size_t idx = 0; idx < node.contacts.size(); ++idx) {
      const auto cat = At(Join(at, "contacts"), idx);
      const auto& contact = node.contacts[idx];
      if (ActorKnown(contact.actor, Join(cat, "actor")) && !contact.unit.empty()) {
        CheckUnitPath(contact.actor, contact.unit, Join(cat, "unit"));
      }
    }
    std::set<std::string> about;
    for (std::size_t idx = 0; idx < node.actors.size(); ++idx) {
      const auto aat = At(Join(at, "actors"), idx);
      if (ActorKnown(node.actors[idx], aat) && !about.insert(node.actors[idx]).second) {
        Add(aat, fmt::format("actor \"{}\" is given twice", node.actors[idx]));
      }
    }
    for (std::size_t idx = 0; idx < node.links.size(); ++idx) {
      CheckNodeRef(node.links[idx], At(Join(at, "links"), idx));
    }
    if (!node.links.empty() && !node.cross_cutting) {
      Add(Join(at, "links"), "only a cross-cutting node has links");
    }
    for (std::size_t idx = 0; idx < node.measures.size(); ++idx) {
      CheckMeasure(node.measures[idx], At(Join(at, "measures"), idx));
    }
  }

  void CheckMeasure(const MeasureSpec& measure, const std::string& at) {
    if (!IsTrimmed(measure.text)) Add(Join(at, "text"), "the measure text must not be empty");
    CheckYear(measure.expected_result_year, Join(at, "expected_result_year"));
    for (std::size_t idx = 0; idx < measure.responsible.size(); ++idx) {
      CheckActorUnits(measure.responsible[idx].actor, measure.responsible[idx].units,
                      At(Join(at, "responsible"), idx));
    }
    for (std::size_t idx = 0; idx < measure.partners.size(); ++idx) {
      CheckActorUnits(measure.partners[idx].actor, measure.partners[idx].units,
                      At(Join(at, "partners"), idx));
    }
  }

  void CheckAdoptions() {
    std::set<std::string> adopted;
    for (std::size_t idx = 0; idx < plan_.adoptions.size(); ++idx) {
      const auto& adoption = plan_.adoptions[idx];
      const auto at = At("/adoptions", idx);
      if (ActorKnown(adoption.actor, Join(at, "actor")) && !adopted.insert(adoption.actor).second) {
        Add(Join(at, "actor"), fmt::format("\"{}\" has adopted the framework already (one adoption "
                                           "per actor)",
                                           adoption.actor));
      }
      if (!adoption.date.empty() && !IsIsoDate(adoption.date)) {
        Add(Join(at, "date"), fmt::format("\"{}\" is not a date YYYY-MM-DD", adoption.date));
      }
    }
  }

  void CheckContent() {
    for (std::size_t idx = 0; idx < plan_.commitments.size(); ++idx) {
      if (!IsTrimmed(plan_.commitments[idx])) {
        Add(At("/commitments", idx), "a commitment must not be empty");
      }
    }
    for (std::size_t idx = 0; idx < plan_.result_goals.size(); ++idx) {
      const auto at = At("/result_goals", idx);
      for (std::size_t n = 0; n < plan_.result_goals[idx].nodes.size(); ++n) {
        CheckNodeRef(plan_.result_goals[idx].nodes[n], At(Join(at, "nodes"), n));
      }
    }
    CheckYear(plan_.follow_up.baseline_year, "/follow_up/baseline_year");
    CheckYear(plan_.follow_up.follow_up_year, "/follow_up/follow_up_year");
    for (std::size_t idx = 0; idx < plan_.follow_up.items.size(); ++idx) {
      const auto at = At("/follow_up/items", idx);
      const auto& item = plan_.follow_up.items[idx];
      if (item.nodes.empty()) Add(Join(at, "nodes"), "a follow-up item is attached to a node");
      for (std::size_t n = 0; n < item.nodes.size(); ++n) {
        CheckNodeRef(item.nodes[n], At(Join(at, "nodes"), n));
      }
    }
    for (std::size_t f = 0; f < plan_.forums.size(); ++f) {
      const auto& forum = plan_.forums[f];
      for (std::size_t g = 0; g < forum.groups.size(); ++g) {
        const auto gat = At(Join(At("/forums", f), "groups"), g);
        for (std::size_t m = 0; m < forum.groups[g].members.size(); ++m) {
          const auto& member = forum.groups[g].members[m];
          CheckActorUnits(member.actor, member.units, At(Join(gat, "members"), m));
        }
      }
    }
  }

  std::string KindKeys() const {
    std::vector<std::string> keys;
    for (const auto& kind : plan_.framework.node_kinds) keys.push_back(kind.key);
    return fmt::format("{}", fmt::join(keys, ", "));
  }

  const PlanFile& plan_;
  std::vector<Problem> problems_;
  std::map<std::string, std::set<std::string>> unit_paths_;  // actor name → its unit paths
  std::map<std::string, const NodeKind*> kinds_;
  std::map<std::pair<std::string, std::string>, std::string> node_codes_;  // → first pointer
  std::map<std::string, std::string> measure_codes_;
};

void AddVisits(const std::vector<NodeSpec>& nodes, const NodeSpec* parent,
               const std::string& pointer, std::vector<NodeVisit>& out) {
  for (std::size_t idx = 0; idx < nodes.size(); ++idx) {
    const auto at = At(pointer, idx);
    out.push_back(NodeVisit{&nodes[idx], parent, at});
    AddVisits(nodes[idx].children, &nodes[idx], Join(at, "children"), out);
  }
}

// ---- writing ----

using Ordered = nlohmann::ordered_json;

Ordered Text(const std::string& text) { return text.empty() ? Ordered(nullptr) : Ordered(text); }

template <typename T>
Ordered Nullable(const std::optional<T>& value) {
  return value ? Ordered(*value) : Ordered(nullptr);
}

template <typename T, typename F>
Ordered Array(const std::vector<T>& items, F&& write) {
  Ordered out = Ordered::array();
  for (const auto& item : items) out.push_back(write(item));
  return out;
}

Ordered Strings(const std::vector<std::string>& items) {
  return Array(items, [](const std::string& item) { return Ordered(item); });
}

Ordered Write(const UnitSpec& unit) {
  return {{"name", unit.name},
          {"description", Text(unit.description)},
          {"units", Array(unit.units, [](const UnitSpec& u) { return Write(u); })}};
}

Ordered Write(const NodeRef& ref) { return {{"kind", ref.kind}, {"code", ref.code}}; }

Ordered Write(const IndicatorRef& indicator) {
  return {
      {"code", Text(indicator.code)}, {"title", indicator.title}, {"unit", Text(indicator.unit)}};
}

Ordered NodeRefs(const std::vector<NodeRef>& refs) {
  return Array(refs, [](const NodeRef& ref) { return Write(ref); });
}

Ordered Write(const MeasureSpec& measure) {
  return {{"code", Text(measure.code)},
          {"target_group", Text(measure.target_group)},
          {"expected_result", Text(measure.expected_result)},
          {"expected_result_year", Nullable(measure.expected_result_year)},
          {"text", measure.text},
          {"status", ToString(measure.status)},
          {"responsible", Array(measure.responsible,
                                [](const ActorUnits& r) {
                                  return Ordered{{"actor", r.actor}, {"units", Strings(r.units)}};
                                })},
          {"partners", Array(measure.partners,
                             [](const PartnerSpec& p) {
                               return Ordered{{"actor", p.actor},
                                              {"role", ToString(p.role)},
                                              {"units", Strings(p.units)}};
                             })},
          {"tags", Strings(measure.tags)},
          {"classifications", Strings(measure.classifications)},
          {"suggested_classifications", Strings(measure.suggested_classifications)}};
}

Ordered Write(const NodeSpec& node) {
  return {{"kind", node.kind},
          {"code", Text(node.code)},
          {"title", node.title},
          {"text", Text(node.text)},
          {"coordinating_actor", Text(node.coordinating_actor)},
          {"contact_unit", Text(node.contact_unit)},
          {"contacts", Array(node.contacts,
                             [](const ContactSpec& c) {
                               return Ordered{{"actor", c.actor}, {"unit", Text(c.unit)}};
                             })},
          {"actors", Strings(node.actors)},
          {"cross_cutting", node.cross_cutting},
          {"links", NodeRefs(node.links)},
          {"classifications", Strings(node.classifications)},
          {"suggested_classifications", Strings(node.suggested_classifications)},
          {"children", Array(node.children, [](const NodeSpec& n) { return Write(n); })},
          {"measures", Array(node.measures, [](const MeasureSpec& m) { return Write(m); })}};
}

Ordered Write(const FrameworkSpec& framework) {
  return {{"kind", ToString(framework.kind)},
          {"title", framework.title},
          {"short_title", Text(framework.short_title)},
          {"description", Text(framework.description)},
          {"owner", Text(framework.owner)},
          {"valid_from", Nullable(framework.valid_from)},
          {"valid_to", Nullable(framework.valid_to)},
          {"status", ToString(framework.status)},
          {"node_kinds", Array(framework.node_kinds,
                               [](const NodeKind& kind) {
                                 return Ordered{{"key", kind.key},
                                                {"label", kind.label},
                                                {"root", kind.root},
                                                {"parents", Strings(kind.parents)}};
                               })},
          {"classifications", Strings(framework.classifications)},
          {"suggested_classifications", Strings(framework.suggested_classifications)}};
}

Ordered Write(const ForumSpec& forum) {
  return {{"name", forum.name},
          {"text", Text(forum.text)},
          {"purposes", Strings(forum.purposes)},
          {"groups", Array(forum.groups, [](const ForumGroupSpec& group) {
             return Ordered{{"name", group.name},
                            {"members", Array(group.members, [](const ForumMemberSpec& m) {
                               return Ordered{{"actor", m.actor},
                                              {"units", Strings(m.units)},
                                              {"role", Text(m.role)}};
                             })}};
           })}};
}

}  // namespace

std::vector<std::string> UnitPaths(const std::vector<UnitSpec>& units) {
  std::vector<std::string> out;
  CollectUnitPaths(units, "", out);
  return out;
}

std::vector<NodeVisit> VisitNodes(const PlanFile& plan) {
  std::vector<NodeVisit> out;
  AddVisits(plan.nodes, nullptr, "/nodes", out);
  return out;
}

Result<PlanFile> ReadPlanFile(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  auto json = ParseJson(text);
  if (!json) return tl::unexpected(json.error());
  std::string format;
  std::int64_t version = 0;
  PlanFile plan;
  auto shape = ObjectReader(*json, DecodeMode::kCreate, "")
                   .Required("format", format)
                   .Required("version", version)
                   .Finish();
  // Unknown keys are reported after the format is known to be ours.
  if (!shape && shape.error().code != ErrorCode::kUnknownField) {
    return ProblemsError({{shape.error().details.value("field", ""), shape.error().message}},
                         "the plan file");
  }
  if (format != kFormat) {
    return ProblemsError({{"/format", fmt::format("this is not a Hälsonav plan file (format must "
                                                  "be \"{}\")",
                                                  kFormat)}},
                         "the plan file");
  }
  if (version != kVersion) {
    return ProblemsError({{"/version", fmt::format("version {} is not known to this Hälsonav (it "
                                                   "reads version {})",
                                                   version, kVersion)}},
                         "the plan file");
  }
  auto read = ObjectReader(*json, DecodeMode::kCreate, "")
                  .Required("format", format)
                  .Required("version", version)
                  .Required("actors", plan.actors)
                  .Required("framework", plan.framework)
                  .Required("nodes", plan.nodes)
                  .Optional("adoptions", plan.adoptions)
                  .Optional("commitments", plan.commitments)
                  .Optional("result_goals", plan.result_goals)
                  .Optional("follow_up", plan.follow_up)
                  .Optional("forums", plan.forums)
                  .Finish();
  if (!read) {
    return ProblemsError({{read.error().details.value("field", ""), read.error().message}},
                         "the plan file");
  }
  if (auto problems = Checker(plan).Run(); !problems.empty()) {
    return ProblemsError(problems, "the plan file");
  }
  return plan;
}

std::string WritePlanFile(const PlanFile& plan) {
  const Ordered document = {
      {"format", kFormat},
      {"version", kVersion},
      {"actors", Array(plan.actors,
                       [](const ActorSpec& actor) {
                         return Ordered{{"name", actor.name},
                                        {"kind", ToString(actor.kind)},
                                        {"short_name", Text(actor.short_name)},
                                        {"area_code", Text(actor.area_code)},
                                        {"description", Text(actor.description)},
                                        {"units", Array(actor.units, [](const UnitSpec& u) {
                                           return Write(u);
                                         })}};
                       })},
      {"framework", Write(plan.framework)},
      {"nodes", Array(plan.nodes, [](const NodeSpec& node) { return Write(node); })},
      {"adoptions", Array(plan.adoptions,
                          [](const AdoptionSpec& adoption) {
                            return Ordered{{"actor", adoption.actor},
                                           {"body", Text(adoption.body)},
                                           {"date", Text(adoption.date)},
                                           {"reference", Text(adoption.reference)}};
                          })},
      {"commitments", Strings(plan.commitments)},
      {"result_goals", Array(plan.result_goals,
                             [](const ResultGoalSpec& goal) {
                               return Ordered{
                                   {"code", Text(goal.code)},
                                   {"title", goal.title},
                                   {"text", Text(goal.text)},
                                   {"nodes", NodeRefs(goal.nodes)},
                                   {"indicators", Array(goal.indicators, [](const IndicatorRef& i) {
                                      return Write(i);
                                    })}};
                             })},
      {"follow_up",
       {{"baseline_year", Nullable(plan.follow_up.baseline_year)},
        {"follow_up_year", Nullable(plan.follow_up.follow_up_year)},
        {"text", Text(plan.follow_up.text)},
        {"items", Array(plan.follow_up.items,
                        [](const FollowUpItemSpec& item) {
                          return Ordered{{"kind", ToString(item.kind)},
                                         {"code", Text(item.code)},
                                         {"text", item.text},
                                         {"nodes", NodeRefs(item.nodes)},
                                         {"indicator", item.indicator ? Write(*item.indicator)
                                                                      : Ordered(nullptr)}};
                        })}}},
      {"forums", Array(plan.forums, [](const ForumSpec& forum) { return Write(forum); })}};
  return document.dump(2) + "\n";
}

}  // namespace halsonav::plan
