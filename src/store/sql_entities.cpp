// Load, insert and update of each entity, and the child tables they own.

#include <map>

#include <fmt/format.h>

#include "core/json_codec.hpp"
#include "store/sql_rows.hpp"
#include "store/sql_transaction.hpp"

namespace halsonav {
namespace {

using sql::Column;

template <typename T>
Result<void> LoadOne(sql::Query query, const std::vector<Column>& types, T (*read)(const sql::Row&),
                     EntityKind kind, Id id, T& out) {
  bool found = false;
  query.ForEach(types, [&](const sql::Row& row) {
    out = read(row);
    found = true;
  });
  if (!found) return tl::unexpected(EntityNotFound(kind, id));
  return {};
}

Id Returned(sql::Query query) { return query.Sql(" RETURNING id").ScalarInt().value_or(0); }

}  // namespace

// ---- actors ----

Result<void> SqlTransaction::Load(Id id, Actor& out) {
  auto query = Q("SELECT " + rows::kActorColumns + " FROM actor WHERE id = ");
  query.Param(id);
  return LoadOne(std::move(query), rows::ActorTypes(), rows::ReadActor, EntityKind::kActor, id,
                 out);
}

Result<Id> SqlTransaction::Insert(const Actor& actor) {
  auto query =
      Q("INSERT INTO actor (version, deleted, created_at, updated_at, kind, name, "
        "short_name, area_code, description) VALUES (");
  query.Param(actor.meta.version).Sql(", ").Param(actor.meta.deleted).Sql(", ");
  query.Param(actor.meta.created_at).Sql(", ").Param(actor.meta.updated_at).Sql(", ");
  query.Param(std::string(ToString(actor.kind))).Sql(", ").Param(actor.name).Sql(", ");
  query.Param(actor.short_name).Sql(", ").Param(actor.area_code).Sql(", ");
  query.Param(actor.description).Sql(")");
  return Returned(std::move(query));
}

Result<void> SqlTransaction::Update(const Actor& actor) {
  auto query = Q("UPDATE actor SET version = ");
  query.Param(actor.meta.version).Sql(", deleted = ").Param(actor.meta.deleted);
  query.Sql(", updated_at = ").Param(actor.meta.updated_at);
  query.Sql(", kind = ").Param(std::string(ToString(actor.kind)));
  query.Sql(", name = ").Param(actor.name).Sql(", short_name = ").Param(actor.short_name);
  query.Sql(", area_code = ").Param(actor.area_code);
  query.Sql(", description = ").Param(actor.description);
  query.Sql(" WHERE id = ").Param(actor.meta.id);
  query.Execute();
  return {};
}

// ---- units ----

Result<void> SqlTransaction::Load(Id id, Unit& out) {
  auto query = Q("SELECT " + rows::kUnitColumns + " FROM unit WHERE id = ");
  query.Param(id);
  if (auto ok =
          LoadOne(std::move(query), rows::UnitTypes(), rows::ReadUnit, EntityKind::kUnit, id, out);
      !ok) {
    return ok;
  }
  std::vector<Unit> one = {out};
  FillUnitPaths(one);
  out = std::move(one.front());
  return {};
}

Result<Id> SqlTransaction::Insert(const Unit& unit) {
  auto query =
      Q("INSERT INTO unit (version, deleted, created_at, updated_at, actor_id, "
        "parent_id, name, description) VALUES (");
  query.Param(unit.meta.version).Sql(", ").Param(unit.meta.deleted).Sql(", ");
  query.Param(unit.meta.created_at).Sql(", ").Param(unit.meta.updated_at).Sql(", ");
  query.Param(unit.actor_id).Sql(", ").Param(unit.parent_id).Sql(", ");
  query.Param(unit.name).Sql(", ").Param(unit.description).Sql(")");
  return Returned(std::move(query));
}

Result<void> SqlTransaction::Update(const Unit& unit) {
  auto query = Q("UPDATE unit SET version = ");
  query.Param(unit.meta.version).Sql(", deleted = ").Param(unit.meta.deleted);
  query.Sql(", updated_at = ").Param(unit.meta.updated_at);
  query.Sql(", parent_id = ").Param(unit.parent_id).Sql(", name = ").Param(unit.name);
  query.Sql(", description = ").Param(unit.description);
  query.Sql(" WHERE id = ").Param(unit.meta.id);
  query.Execute();
  return {};
}

void SqlTransaction::FillUnitPaths(std::vector<Unit>& units) {
  if (units.empty()) return;
  std::vector<Id> actor_ids;
  for (const auto& unit : units) actor_ids.push_back(unit.actor_id);
  const auto actors = rows::IdSet(actor_ids);
  std::map<Id, std::string> actor_names;
  Q("SELECT id, name FROM actor WHERE id IN " + actors)
      .ForEach({Column::kInt, Column::kText},
               [&](const sql::Row& row) { actor_names[row.Int(0)] = row.Text(1); });
  struct Link {
    std::optional<Id> parent_id;
    std::string name;
  };
  std::map<Id, Link> all_units;
  Q("SELECT id, parent_id, name FROM unit WHERE actor_id IN " + actors)
      .ForEach({Column::kInt, Column::kInt, Column::kText}, [&](const sql::Row& row) {
        all_units[row.Int(0)] = Link{row.OptInt(1), row.Text(2)};
      });
  for (auto& unit : units) {
    std::vector<std::string> parts = {unit.name};
    auto parent = unit.parent_id;
    for (std::size_t depth = 0; parent && depth < 64; ++depth) {
      const auto it = all_units.find(*parent);
      if (it == all_units.end()) break;
      parts.insert(parts.begin(), it->second.name);
      parent = it->second.parent_id;
    }
    parts.insert(parts.begin(), actor_names[unit.actor_id]);
    unit.path = fmt::format("{}", fmt::join(parts, " / "));
  }
}

// ---- frameworks ----

Result<void> SqlTransaction::Load(Id id, Framework& out) {
  auto query = Q("SELECT " + rows::kFrameworkColumns + " FROM framework WHERE id = ");
  query.Param(id);
  if (auto ok = LoadOne(std::move(query), rows::FrameworkTypes(), rows::ReadFramework,
                        EntityKind::kFramework, id, out);
      !ok) {
    return ok;
  }
  std::vector<Framework> one = {out};
  FillFrameworkChildren(one);
  out = std::move(one.front());
  return {};
}

Result<Id> SqlTransaction::Insert(const Framework& framework) {
  auto query =
      Q("INSERT INTO framework (version, deleted, created_at, updated_at, kind, title, "
        "short_title, description, owner_actor_id, valid_from, valid_to, status, "
        "read_only, node_kinds) VALUES (");
  query.Param(framework.meta.version).Sql(", ").Param(framework.meta.deleted).Sql(", ");
  query.Param(framework.meta.created_at).Sql(", ").Param(framework.meta.updated_at).Sql(", ");
  query.Param(std::string(ToString(framework.kind))).Sql(", ").Param(framework.title).Sql(", ");
  query.Param(framework.short_title).Sql(", ").Param(framework.description).Sql(", ");
  query.Param(framework.owner_actor_id).Sql(", ").Param(framework.valid_from).Sql(", ");
  query.Param(framework.valid_to).Sql(", ").Param(std::string(ToString(framework.status)));
  query.Sql(", ").Param(framework.read_only).Sql(", ");
  query.Param(rows::NodeKindsToText(framework.node_kinds)).Sql(")");
  Framework stored = framework;
  stored.meta.id = Returned(std::move(query));
  WriteFrameworkChildren(stored);
  return stored.meta.id;
}

Result<void> SqlTransaction::Update(const Framework& framework) {
  auto query = Q("UPDATE framework SET version = ");
  query.Param(framework.meta.version).Sql(", deleted = ").Param(framework.meta.deleted);
  query.Sql(", updated_at = ").Param(framework.meta.updated_at);
  query.Sql(", kind = ").Param(std::string(ToString(framework.kind)));
  query.Sql(", title = ").Param(framework.title);
  query.Sql(", short_title = ").Param(framework.short_title);
  query.Sql(", description = ").Param(framework.description);
  query.Sql(", owner_actor_id = ").Param(framework.owner_actor_id);
  query.Sql(", valid_from = ").Param(framework.valid_from);
  query.Sql(", valid_to = ").Param(framework.valid_to);
  query.Sql(", status = ").Param(std::string(ToString(framework.status)));
  query.Sql(", node_kinds = ").Param(rows::NodeKindsToText(framework.node_kinds));
  query.Sql(" WHERE id = ").Param(framework.meta.id);
  query.Execute();
  WriteFrameworkChildren(framework);
  return {};
}

void SqlTransaction::WriteFrameworkChildren(const Framework& framework) {
  WriteClassifications("framework_classification", "framework_id", framework.meta.id,
                       framework.classifications, framework.suggested_classifications);
}

void SqlTransaction::FillFrameworkChildren(std::vector<Framework>& frameworks) {
  if (frameworks.empty()) return;
  std::map<Id, Framework*> by_id;
  std::vector<Id> ids;
  for (auto& framework : frameworks) {
    by_id[framework.meta.id] = &framework;
    ids.push_back(framework.meta.id);
  }
  FillClassifications("framework_classification", "framework_id", rows::IdSet(ids), by_id);
}

void SqlTransaction::WriteClassifications(std::string_view table, std::string_view owner, Id id,
                                          const std::vector<std::string>& stated,
                                          const std::vector<std::string>& suggested) {
  Q(fmt::format("DELETE FROM {} WHERE {} = {}", table, owner, id)).Execute();
  std::int64_t ord = 0;
  for (const auto* list : {&stated, &suggested}) {
    for (const auto& classification : *list) {
      auto query =
          Q(fmt::format("INSERT INTO {} ({}, classification_id, suggested, ord) VALUES "
                        "({}, ",
                        table, owner, id));
      query.Param(classification).Sql(", ").Param(list == &suggested).Sql(", ").Param(ord++);
      query.Sql(")").Execute();
    }
  }
}

template <typename T>
void SqlTransaction::FillClassifications(std::string_view table, std::string_view owner,
                                         const std::string& ids_sql,
                                         const std::map<Id, T*>& by_id) {
  Q(fmt::format("SELECT {0}, classification_id, suggested FROM {1} WHERE {0} IN {2} "
                "ORDER BY {0}, ord",
                owner, table, ids_sql))
      .ForEach({Column::kInt, Column::kText, Column::kInt}, [&](const sql::Row& row) {
        if (auto it = by_id.find(row.Int(0)); it != by_id.end()) {
          auto& list =
              row.Int(2) != 0 ? it->second->suggested_classifications : it->second->classifications;
          list.push_back(row.Text(1));
        }
      });
}

Result<void> SqlTransaction::Load(Id framework_id, FrameworkContent& out) {
  out = FrameworkContent{.framework_id = framework_id};
  auto query = Q("SELECT document FROM framework_content WHERE framework_id = ");
  query.Param(framework_id);
  std::optional<std::string> document;
  query.ForEach({Column::kText}, [&](const sql::Row& row) { document = row.Text(0); });
  if (!document) return {};
  auto parsed = ParseJson(*document);
  if (!parsed) return tl::unexpected<Error>(parsed.error());
  if (auto ok = Decode(*parsed, DecodeMode::kCreate, out); !ok) {
    return Fail(ErrorCode::kDatabase,
                fmt::format("the stored content of framework {} is unreadable: {}", framework_id,
                            ok.error().message));
  }
  return {};
}

Result<void> SqlTransaction::Save(const FrameworkContent& content) {
  auto query = Q("INSERT INTO framework_content (framework_id, document) VALUES (");
  query.Param(content.framework_id).Sql(", ").Param(ToJson(content).dump());
  query.Sql(") ON CONFLICT (framework_id) DO UPDATE SET document = excluded.document").Execute();
  return {};
}

// ---- nodes ----

Result<void> SqlTransaction::Load(Id id, Node& out) {
  auto query = Q("SELECT " + rows::kNodeColumns + " FROM node WHERE id = ");
  query.Param(id);
  if (auto ok =
          LoadOne(std::move(query), rows::NodeTypes(), rows::ReadNode, EntityKind::kNode, id, out);
      !ok) {
    return ok;
  }
  std::vector<Node> one = {out};
  FillNodeChildren(one, rows::IdSet({id}));
  out = std::move(one.front());
  return {};
}

Result<Id> SqlTransaction::Insert(const Node& node) {
  auto query =
      Q("INSERT INTO node (version, deleted, created_at, updated_at, framework_id, "
        "parent_id, kind, code, title, text, ord, coordinating_actor_id, "
        "contact_unit_id, cross_cutting) VALUES (");
  query.Param(node.meta.version).Sql(", ").Param(node.meta.deleted).Sql(", ");
  query.Param(node.meta.created_at).Sql(", ").Param(node.meta.updated_at).Sql(", ");
  query.Param(node.framework_id).Sql(", ").Param(node.parent_id).Sql(", ");
  query.Param(node.kind).Sql(", ").Param(node.code).Sql(", ").Param(node.title).Sql(", ");
  query.Param(node.text).Sql(", ").Param(node.order).Sql(", ");
  query.Param(node.coordinating_actor_id).Sql(", ").Param(node.contact_unit_id).Sql(", ");
  query.Param(node.cross_cutting).Sql(")");
  Node stored = node;
  stored.meta.id = Returned(std::move(query));
  WriteNodeChildren(stored);
  return stored.meta.id;
}

Result<void> SqlTransaction::Update(const Node& node) {
  auto query = Q("UPDATE node SET version = ");
  query.Param(node.meta.version).Sql(", deleted = ").Param(node.meta.deleted);
  query.Sql(", updated_at = ").Param(node.meta.updated_at);
  query.Sql(", parent_id = ").Param(node.parent_id).Sql(", kind = ").Param(node.kind);
  query.Sql(", code = ").Param(node.code).Sql(", title = ").Param(node.title);
  query.Sql(", text = ").Param(node.text).Sql(", ord = ").Param(node.order);
  query.Sql(", coordinating_actor_id = ").Param(node.coordinating_actor_id);
  query.Sql(", contact_unit_id = ").Param(node.contact_unit_id);
  query.Sql(", cross_cutting = ").Param(node.cross_cutting);
  query.Sql(" WHERE id = ").Param(node.meta.id);
  query.Execute();
  WriteNodeChildren(node);
  return {};
}

void SqlTransaction::WriteNodeChildren(const Node& node) {
  const auto id = std::to_string(node.meta.id);
  for (const char* table : {"node_link", "node_contact", "node_actor"}) {
    Q(fmt::format("DELETE FROM {} WHERE node_id = {}", table, id)).Execute();
  }
  for (std::size_t idx = 0; idx < node.linked_node_ids.size(); ++idx) {
    auto query = Q("INSERT INTO node_link (node_id, linked_node_id, ord) VALUES (" + id + ", ");
    query.Param(node.linked_node_ids[idx]).Sql(", ").Param(static_cast<std::int64_t>(idx)).Sql(")");
    query.Execute();
  }
  WriteClassifications("node_classification", "node_id", node.meta.id, node.classifications,
                       node.suggested_classifications);
  for (std::size_t idx = 0; idx < node.contacts.size(); ++idx) {
    auto query =
        Q("INSERT INTO node_contact (node_id, ord, actor_id, unit_id) VALUES (" + id + ", ");
    query.Param(static_cast<std::int64_t>(idx)).Sql(", ").Param(node.contacts[idx].actor_id);
    query.Sql(", ").Param(node.contacts[idx].unit_id).Sql(")").Execute();
  }
  for (std::size_t idx = 0; idx < node.actor_ids.size(); ++idx) {
    auto query = Q("INSERT INTO node_actor (node_id, actor_id, ord) VALUES (" + id + ", ");
    query.Param(node.actor_ids[idx]).Sql(", ").Param(static_cast<std::int64_t>(idx)).Sql(")");
    query.Execute();
  }
}

void SqlTransaction::FillNodeChildren(std::vector<Node>& nodes, const std::string& ids_sql) {
  std::map<Id, Node*> by_id;
  for (auto& node : nodes) by_id[node.meta.id] = &node;
  Q("SELECT node_id, linked_node_id FROM node_link WHERE node_id IN " + ids_sql +
    " ORDER BY node_id, ord")
      .ForEach({Column::kInt, Column::kInt}, [&](const sql::Row& row) {
        if (auto it = by_id.find(row.Int(0)); it != by_id.end()) {
          it->second->linked_node_ids.push_back(row.Int(1));
        }
      });
  FillClassifications("node_classification", "node_id", ids_sql, by_id);
  Q("SELECT node_id, actor_id, unit_id FROM node_contact WHERE node_id IN " + ids_sql +
    " ORDER BY node_id, ord")
      .ForEach({Column::kInt, Column::kInt, Column::kInt}, [&](const sql::Row& row) {
        if (auto it = by_id.find(row.Int(0)); it != by_id.end()) {
          it->second->contacts.push_back(NodeContact{row.Int(1), row.OptInt(2)});
        }
      });
  Q("SELECT node_id, actor_id FROM node_actor WHERE node_id IN " + ids_sql +
    " ORDER BY node_id, ord")
      .ForEach({Column::kInt, Column::kInt}, [&](const sql::Row& row) {
        if (auto it = by_id.find(row.Int(0)); it != by_id.end()) {
          it->second->actor_ids.push_back(row.Int(1));
        }
      });
}

Result<std::vector<Node>> SqlTransaction::FrameworkNodes(Id framework_id) {
  std::vector<Node> nodes;
  const auto fw = std::to_string(framework_id);
  Q("SELECT " + rows::kNodeColumns + " FROM node WHERE deleted = 0 AND framework_id = " + fw +
    " ORDER BY ord, id")
      .ForEach(rows::NodeTypes(),
               [&](const sql::Row& row) { nodes.push_back(rows::ReadNode(row)); });
  FillNodeChildren(nodes, "(SELECT id FROM node WHERE framework_id = " + fw + ")");
  return nodes;
}

// ---- measures ----

Result<void> SqlTransaction::Load(Id id, Measure& out) {
  auto query = Q("SELECT " + rows::kMeasureColumns + " FROM measure WHERE id = ");
  query.Param(id);
  if (auto ok = LoadOne(std::move(query), rows::MeasureTypes(), rows::ReadMeasure,
                        EntityKind::kMeasure, id, out);
      !ok) {
    return ok;
  }
  std::vector<Measure> one = {out};
  FillMeasureChildren(one, rows::IdSet({id}));
  out = std::move(one.front());
  return {};
}

Result<Id> SqlTransaction::Insert(const Measure& measure) {
  auto query =
      Q("INSERT INTO measure (version, deleted, created_at, updated_at, framework_id, "
        "node_id, code, target_group, expected_result, expected_result_year, text, "
        "status, ord) VALUES (");
  query.Param(measure.meta.version).Sql(", ").Param(measure.meta.deleted).Sql(", ");
  query.Param(measure.meta.created_at).Sql(", ").Param(measure.meta.updated_at).Sql(", ");
  query.Param(measure.framework_id).Sql(", ").Param(measure.node_id).Sql(", ");
  query.Param(measure.code).Sql(", ").Param(measure.target_group).Sql(", ");
  query.Param(measure.expected_result).Sql(", ").Param(measure.expected_result_year).Sql(", ");
  query.Param(measure.text).Sql(", ").Param(std::string(ToString(measure.status))).Sql(", ");
  query.Param(measure.order).Sql(")");
  Measure stored = measure;
  stored.meta.id = Returned(std::move(query));
  WriteMeasureChildren(stored);
  return stored.meta.id;
}

Result<void> SqlTransaction::Update(const Measure& measure) {
  auto query = Q("UPDATE measure SET version = ");
  query.Param(measure.meta.version).Sql(", deleted = ").Param(measure.meta.deleted);
  query.Sql(", updated_at = ").Param(measure.meta.updated_at);
  query.Sql(", framework_id = ").Param(measure.framework_id);
  query.Sql(", node_id = ").Param(measure.node_id).Sql(", code = ").Param(measure.code);
  query.Sql(", target_group = ").Param(measure.target_group);
  query.Sql(", expected_result = ").Param(measure.expected_result);
  query.Sql(", expected_result_year = ").Param(measure.expected_result_year);
  query.Sql(", text = ").Param(measure.text);
  query.Sql(", status = ").Param(std::string(ToString(measure.status)));
  query.Sql(", ord = ").Param(measure.order);
  query.Sql(" WHERE id = ").Param(measure.meta.id);
  query.Execute();
  WriteMeasureChildren(measure);
  return {};
}

void SqlTransaction::WriteMeasureChildren(const Measure& measure) {
  const auto id = std::to_string(measure.meta.id);
  for (const char* table : {"measure_actor_unit", "measure_actor", "measure_tag"}) {
    Q(fmt::format("DELETE FROM {} WHERE measure_id = {}", table, id)).Execute();
  }
  std::int64_t actor_ord = 0;
  const auto insert_actor = [&](Id actor_id, const std::string& part,
                                const std::vector<Id>& unit_ids) {
    auto query =
        Q("INSERT INTO measure_actor (measure_id, actor_id, part, ord) VALUES (" + id + ", ");
    query.Param(actor_id).Sql(", ").Param(part).Sql(", ").Param(actor_ord++).Sql(")").Execute();
    for (std::size_t idx = 0; idx < unit_ids.size(); ++idx) {
      auto unit = Q("INSERT INTO measure_actor_unit (measure_id, actor_id, unit_id, ord) VALUES (" +
                    id + ", ");
      unit.Param(actor_id).Sql(", ").Param(unit_ids[idx]).Sql(", ");
      unit.Param(static_cast<std::int64_t>(idx)).Sql(")").Execute();
    }
  };
  for (const auto& responsible : measure.responsible) {
    insert_actor(responsible.actor_id, "responsible", responsible.unit_ids);
  }
  for (const auto& partner : measure.partners) {
    insert_actor(partner.actor_id, std::string(ToString(partner.role)), partner.unit_ids);
  }
  for (std::size_t idx = 0; idx < measure.tags.size(); ++idx) {
    auto query = Q("INSERT INTO measure_tag (measure_id, tag, ord) VALUES (" + id + ", ");
    query.Param(measure.tags[idx]).Sql(", ").Param(static_cast<std::int64_t>(idx)).Sql(")");
    query.Execute();
  }
  WriteClassifications("measure_classification", "measure_id", measure.meta.id,
                       measure.classifications, measure.suggested_classifications);
  const std::string tags = fmt::format("{}", fmt::join(measure.tags, " "));
  if (backend_ == Backend::kPostgres) {
    auto fts =
        Q("INSERT INTO measure_fts (id, document) VALUES (" + id + ", to_tsvector('simple', ");
    fts.Param(rows::FtsDocument(
        {measure.code, measure.target_group, measure.expected_result, measure.text, tags}));
    fts.Sql(")) ON CONFLICT (id) DO UPDATE SET document = excluded.document").Execute();
    return;
  }
  Q("DELETE FROM measure_fts WHERE rowid = " + id).Execute();
  auto fts =
      Q("INSERT INTO measure_fts (rowid, code, target_group, expected_result, text, tags) "
        "VALUES (" +
        id + ", ");
  fts.Param(measure.code).Sql(", ").Param(measure.target_group).Sql(", ");
  fts.Param(measure.expected_result).Sql(", ").Param(measure.text).Sql(", ");
  fts.Param(tags).Sql(")").Execute();
}

void SqlTransaction::FillMeasureChildren(std::vector<Measure>& measures,
                                         const std::string& ids_sql) {
  std::map<Id, Measure*> by_id;
  for (auto& measure : measures) by_id[measure.meta.id] = &measure;
  std::map<std::pair<Id, Id>, std::vector<Id>> units;
  Q("SELECT measure_id, actor_id, unit_id FROM measure_actor_unit WHERE measure_id IN " + ids_sql +
    " ORDER BY measure_id, actor_id, ord")
      .ForEach({Column::kInt, Column::kInt, Column::kInt}, [&](const sql::Row& row) {
        units[{row.Int(0), row.Int(1)}].push_back(row.Int(2));
      });
  Q("SELECT measure_id, actor_id, part FROM measure_actor WHERE measure_id IN " + ids_sql +
    " ORDER BY measure_id, ord")
      .ForEach({Column::kInt, Column::kInt, Column::kText}, [&](const sql::Row& row) {
        const auto it = by_id.find(row.Int(0));
        if (it == by_id.end()) return;
        auto unit_ids = units[{row.Int(0), row.Int(1)}];
        if (row.Text(2) == "responsible") {
          it->second->responsible.push_back(Responsible{row.Int(1), std::move(unit_ids)});
        } else {
          it->second->partners.push_back(
              Partner{row.Int(1), ParseEnum<PartRole>(row.Text(2)).value_or(PartRole::kParticipant),
                      std::move(unit_ids)});
        }
      });
  Q("SELECT measure_id, tag FROM measure_tag WHERE measure_id IN " + ids_sql +
    " ORDER BY measure_id, ord")
      .ForEach({Column::kInt, Column::kText}, [&](const sql::Row& row) {
        if (auto it = by_id.find(row.Int(0)); it != by_id.end()) {
          it->second->tags.push_back(row.Text(1));
        }
      });
  FillClassifications("measure_classification", "measure_id", ids_sql, by_id);
}

Result<std::vector<Measure>> SqlTransaction::FrameworkMeasures(Id framework_id) {
  std::vector<Measure> measures;
  const auto fw = std::to_string(framework_id);
  Q("SELECT " + rows::kMeasureColumns + " FROM measure WHERE deleted = 0 AND framework_id = " + fw +
    " ORDER BY ord, id")
      .ForEach(rows::MeasureTypes(),
               [&](const sql::Row& row) { measures.push_back(rows::ReadMeasure(row)); });
  FillMeasureChildren(measures, "(SELECT id FROM measure WHERE framework_id = " + fw + ")");
  return measures;
}

// ---- adoptions ----

Result<void> SqlTransaction::Load(Id id, Adoption& out) {
  auto query = Q("SELECT " + rows::kAdoptionColumns + " FROM adoption WHERE id = ");
  query.Param(id);
  return LoadOne(std::move(query), rows::AdoptionTypes(), rows::ReadAdoption, EntityKind::kAdoption,
                 id, out);
}

Result<Id> SqlTransaction::Insert(const Adoption& adoption) {
  auto query =
      Q("INSERT INTO adoption (version, deleted, created_at, updated_at, framework_id, "
        "actor_id, body, date, reference) VALUES (");
  query.Param(adoption.meta.version).Sql(", ").Param(adoption.meta.deleted).Sql(", ");
  query.Param(adoption.meta.created_at).Sql(", ").Param(adoption.meta.updated_at).Sql(", ");
  query.Param(adoption.framework_id).Sql(", ").Param(adoption.actor_id).Sql(", ");
  query.Param(adoption.body).Sql(", ").Param(adoption.date).Sql(", ");
  query.Param(adoption.reference).Sql(")");
  return Returned(std::move(query));
}

Result<void> SqlTransaction::Update(const Adoption& adoption) {
  auto query = Q("UPDATE adoption SET version = ");
  query.Param(adoption.meta.version).Sql(", deleted = ").Param(adoption.meta.deleted);
  query.Sql(", updated_at = ").Param(adoption.meta.updated_at);
  query.Sql(", body = ").Param(adoption.body).Sql(", date = ").Param(adoption.date);
  query.Sql(", reference = ").Param(adoption.reference);
  query.Sql(" WHERE id = ").Param(adoption.meta.id);
  query.Execute();
  return {};
}

// ---- look-ups ----

Result<std::optional<Id>> SqlTransaction::FindNodeByCode(Id framework_id, const std::string& kind,
                                                         const std::string& code) {
  auto query = Q("SELECT id FROM node WHERE deleted = 0 AND framework_id = ");
  query.Param(framework_id).Sql(" AND kind = ").Param(kind).Sql(" AND code = ").Param(code);
  return query.Sql(" LIMIT 1").ScalarInt();
}

Result<std::optional<Id>> SqlTransaction::FindMeasureByCode(Id framework_id,
                                                            const std::string& code) {
  auto query = Q("SELECT id FROM measure WHERE deleted = 0 AND framework_id = ");
  query.Param(framework_id).Sql(" AND code = ").Param(code);
  return query.Sql(" LIMIT 1").ScalarInt();
}

Result<std::optional<Id>> SqlTransaction::FindAdoption(Id framework_id, Id actor_id) {
  auto query = Q("SELECT id FROM adoption WHERE deleted = 0 AND framework_id = ");
  query.Param(framework_id).Sql(" AND actor_id = ").Param(actor_id);
  return query.Sql(" LIMIT 1").ScalarInt();
}

Result<std::vector<Reference>> SqlTransaction::LiveReferences(EntityKind kind, Id id) {
  const auto ref = std::to_string(id);
  // Each check: the referring entity, and SQL counting its live rows that point at `id`.
  std::vector<std::pair<std::string, std::string>> checks;
  const std::string live_measure =
      "SELECT count(*) FROM measure m JOIN framework f ON f.id = m.framework_id "
      "WHERE m.deleted = 0 AND f.deleted = 0 AND m.id IN ";
  const std::string live_node =
      "SELECT count(*) FROM node n JOIN framework f ON f.id = n.framework_id "
      "WHERE n.deleted = 0 AND f.deleted = 0 AND ";
  // Frameworks whose content document names the id under a key (`list`: in an array under it).
  const auto live_content = [&](std::string_view key, bool list) {
    const std::string head =
        "SELECT count(*) FROM framework_content c JOIN framework f ON f.id = c.framework_id "
        "WHERE f.deleted = 0 AND ";
    if (backend_ == Backend::kPostgres) {
      return head + fmt::format("jsonb_path_exists(c.document::jsonb, '$.**.{}{} ? (@ == {})')",
                                key, list ? "[*]" : "", ref);
    }
    return head + "EXISTS (SELECT 1 FROM json_tree(c.document) WHERE " +
           (list ? fmt::format("fullkey LIKE '%.{}[%]'", key) : fmt::format("key = '{}'", key)) +
           " AND value = " + ref + ")";
  };
  switch (kind) {
    case EntityKind::kActor:
      checks = {
          {"unit", "SELECT count(*) FROM unit WHERE deleted = 0 AND actor_id = " + ref},
          {"framework",
           "SELECT count(*) FROM framework WHERE deleted = 0 AND owner_actor_id = " + ref},
          {"node", live_node + "(n.coordinating_actor_id = " + ref +
                       " OR n.id IN (SELECT node_id FROM node_contact WHERE actor_id = " + ref +
                       ") OR n.id IN (SELECT node_id FROM node_actor WHERE actor_id = " + ref +
                       "))"},
          {"framework_content", live_content("actor_id", false)},
          {"measure",
           live_measure + "(SELECT measure_id FROM measure_actor WHERE actor_id = " + ref + ")"},
          {"adoption", "SELECT count(*) FROM adoption WHERE deleted = 0 AND actor_id = " + ref},
      };
      break;
    case EntityKind::kUnit:
      checks = {
          {"unit", "SELECT count(*) FROM unit WHERE deleted = 0 AND parent_id = " + ref},
          {"node", live_node + "(n.contact_unit_id = " + ref +
                       " OR n.id IN (SELECT node_id FROM node_contact WHERE unit_id = " + ref +
                       "))"},
          {"framework_content", live_content("unit_ids", true)},
          {"measure", live_measure + "(SELECT measure_id FROM measure_actor_unit WHERE unit_id = " +
                          ref + ")"},
      };
      break;
    case EntityKind::kNode:
      checks = {
          {"node", "SELECT count(*) FROM node WHERE deleted = 0 AND parent_id = " + ref},
          {"node_link",
           "SELECT count(*) FROM node n JOIN node_link l ON l.node_id = n.id "
           "WHERE n.deleted = 0 AND l.linked_node_id = " +
               ref},
          {"measure", "SELECT count(*) FROM measure WHERE deleted = 0 AND node_id = " + ref},
          {"framework_content", live_content("node_ids", true)},
      };
      break;
    case EntityKind::kFramework:  // deleting a framework hides its contents with it
    case EntityKind::kMeasure:
    case EntityKind::kAdoption:
      break;
  }
  std::vector<Reference> references;
  for (const auto& [entity, count_sql] : checks) {
    const auto count = Q(count_sql).ScalarInt().value_or(0);
    if (count > 0) references.push_back(Reference{entity, count});
  }
  return references;
}

}  // namespace halsonav
