// Filtered, paginated lists; classifications; the change history.

#include <sstream>

#include <fmt/format.h>

#include "store/sql_rows.hpp"
#include "store/sql_transaction.hpp"

namespace halsonav {
namespace {

using rows::RunPaged;
using sql::Column;

// Columns of `table` qualified with alias `alias`: "m.id, m.version, …".
std::string Qualified(const std::string& columns, const std::string& alias) {
  std::string out;
  std::stringstream stream(columns);
  std::string column;
  while (std::getline(stream, column, ',')) {
    const auto start = column.find_first_not_of(' ');
    if (!out.empty()) out += ", ";
    out += alias + "." + column.substr(start);
  }
  return out;
}

// A visitor's list leaves out every framework in status draft (core/queries.hpp, Audience);
// `status` names the framework's status column.
void PublicOnly(sql::Query& query, Audience audience, const std::string& status) {
  if (audience != Audience::kPublic) return;
  query.Sql(" AND " + status + " <> ").Param(std::string(ToString(FrameworkStatus::kDraft)));
}

// Leaves out the history of draft frameworks and of the nodes, measures and adoptions in one,
// by what they are now. Each subquery is uncorrelated: SQLite builds its list once.
void HideDraftHistory(sql::Query& query) {
  const std::string draft(ToString(FrameworkStatus::kDraft));
  query
      .Sql(
          " AND NOT (entity = 'framework' AND entity_id IN (SELECT id FROM framework WHERE "
          "status = ")
      .Param(draft)
      .Sql("))");
  for (const std::string table : {"node", "measure", "adoption"}) {
    query
        .Sql(" AND NOT (entity = '" + table + "' AND entity_id IN (SELECT x.id FROM " + table +
             " x JOIN framework f ON f.id = x.framework_id WHERE f.status = ")
        .Param(draft)
        .Sql("))");
  }
}

std::vector<Id> IdsOf(const auto& items) {
  std::vector<Id> ids;
  for (const auto& item : items) ids.push_back(item.meta.id);
  return ids;
}

}  // namespace

Result<Page<Actor>> SqlTransaction::List(const ActorFilter& filter, const PageRequest& page) {
  return RunPaged<Actor>(
      session_, rows::kActorColumns, "FROM actor",
      [&](sql::Query& query) {
        if (!filter.include_deleted) query.Sql(" AND deleted = 0");
        if (filter.kind) query.Sql(" AND kind = ").Param(std::string(ToString(*filter.kind)));
        if (rows::NotUtf8(filter.name_contains)) {
          query.Sql(" AND FALSE");
        } else if (!filter.name_contains.empty()) {
          query
              .Sql(backend_ == Backend::kSqlite ? " AND instr(lower(name), lower("
                                                : " AND strpos(lower(name), lower(")
              .Param(filter.name_contains)
              .Sql(")) > 0");
        }
      },
      "name, id", page, rows::ActorTypes(), rows::ReadActor);
}

Result<Page<Unit>> SqlTransaction::List(const UnitFilter& filter, const PageRequest& page) {
  auto result = RunPaged<Unit>(
      session_, rows::kUnitColumns, "FROM unit",
      [&](sql::Query& query) {
        if (!filter.include_deleted) query.Sql(" AND deleted = 0");
        if (filter.actor_id) query.Sql(" AND actor_id = ").Param(*filter.actor_id);
      },
      "actor_id, name, id", page, rows::UnitTypes(), rows::ReadUnit);
  FillUnitPaths(result.items);
  return result;
}

Result<Page<Framework>> SqlTransaction::List(const FrameworkFilter& filter,
                                             const PageRequest& page) {
  auto result = RunPaged<Framework>(
      session_, rows::kFrameworkColumns, "FROM framework",
      [&](sql::Query& query) {
        if (!filter.include_deleted) query.Sql(" AND deleted = 0");
        if (filter.kind) query.Sql(" AND kind = ").Param(std::string(ToString(*filter.kind)));
        if (filter.status) {
          query.Sql(" AND status = ").Param(std::string(ToString(*filter.status)));
        }
        PublicOnly(query, filter.audience, "status");
      },
      "id", page, rows::FrameworkTypes(), rows::ReadFramework);
  FillFrameworkChildren(result.items);
  return result;
}

Result<Page<Node>> SqlTransaction::List(const NodeFilter& filter, const PageRequest& page) {
  auto result = RunPaged<Node>(
      session_, Qualified(rows::kNodeColumns, "n"),
      "FROM node n JOIN framework f ON f.id = n.framework_id",
      [&](sql::Query& query) {
        if (!filter.include_deleted) query.Sql(" AND n.deleted = 0 AND f.deleted = 0");
        if (filter.framework_id) query.Sql(" AND n.framework_id = ").Param(*filter.framework_id);
        if (filter.only_roots) query.Sql(" AND n.parent_id IS NULL");
        if (filter.parent_id) query.Sql(" AND n.parent_id = ").Param(*filter.parent_id);
        PublicOnly(query, filter.audience, "f.status");
      },
      "n.framework_id, n.ord, n.id", page, rows::NodeTypes(), rows::ReadNode);
  FillNodeChildren(result.items, rows::IdSet(IdsOf(result.items)));
  return result;
}

Result<Page<Measure>> SqlTransaction::List(const MeasureFilter& filter, const PageRequest& page) {
  auto result = RunPaged<Measure>(
      session_, Qualified(rows::kMeasureColumns, "m"),
      "FROM measure m JOIN framework f ON f.id = m.framework_id",
      [&](sql::Query& query) {
        if (!filter.include_deleted) query.Sql(" AND m.deleted = 0 AND f.deleted = 0");
        if (filter.framework_id) query.Sql(" AND m.framework_id = ").Param(*filter.framework_id);
        PublicOnly(query, filter.audience, "f.status");
        if (filter.node_id) {
          // The subtree: children by parent, and cross-cutting nodes linked into it.
          // PostgreSQL allows one recursive reference: both edges in one derived table.
          query.Sql(" AND m.node_id IN (WITH RECURSIVE sub(id) AS (SELECT CAST(")
              .Param(*filter.node_id)
              .Sql(backend_ == Backend::kSqlite
                       ? " AS BIGINT) UNION SELECT n.id FROM node n JOIN sub ON n.parent_id = "
                         "sub.id UNION SELECT l.node_id FROM node_link l JOIN sub ON "
                         "l.linked_node_id = sub.id"
                       : " AS BIGINT) UNION SELECT e.child FROM (SELECT id AS child, parent_id "
                         "AS via FROM node UNION ALL SELECT node_id, linked_node_id FROM "
                         "node_link) e JOIN sub ON e.via = sub.id")
              .Sql(") SELECT id FROM sub)");
        }
        if (filter.actor_id) {
          query
              .Sql(
                  " AND EXISTS (SELECT 1 FROM measure_actor ma WHERE ma.measure_id = m.id AND "
                  "ma.actor_id = ")
              .Param(*filter.actor_id)
              .Sql(")");
        }
        if (filter.status) {
          query.Sql(" AND m.status = ").Param(std::string(ToString(*filter.status)));
        }
        for (const auto& classification : filter.classifications) {
          query
              .Sql(
                  " AND (EXISTS (SELECT 1 FROM measure_classification mc WHERE mc.measure_id = "
                  "m.id AND mc.classification_id = ")
              .Param(classification)
              .Sql(
                  ") OR EXISTS (SELECT 1 FROM node_classification nc WHERE nc.node_id = "
                  "m.node_id AND nc.classification_id = ")
              .Param(classification)
              .Sql("))");
        }
        if (rows::NotUtf8(filter.tag)) {
          query.Sql(" AND FALSE");
        } else if (!filter.tag.empty()) {
          query
              .Sql(
                  " AND EXISTS (SELECT 1 FROM measure_tag mt WHERE mt.measure_id = m.id AND "
                  "mt.tag = ")
              .Param(filter.tag)
              .Sql(")");
        }
        if (const auto fts = rows::FtsQuery(filter.text, backend_); !fts.empty()) {
          query
              .Sql(backend_ == Backend::kSqlite
                       ? " AND m.id IN (SELECT rowid FROM measure_fts WHERE measure_fts MATCH "
                       : " AND m.id IN (SELECT id FROM measure_fts WHERE document @@ "
                         "to_tsquery('simple', ")
              .Param(fts)
              .Sql(backend_ == Backend::kSqlite ? ")" : "))");
        } else if (!filter.text.empty()) {
          query.Sql(" AND FALSE");  // only punctuation: nothing can match
        }
      },
      "m.framework_id, m.ord, m.id", page, rows::MeasureTypes(), rows::ReadMeasure);
  FillMeasureChildren(result.items, rows::IdSet(IdsOf(result.items)));
  return result;
}

Result<Page<Adoption>> SqlTransaction::List(const AdoptionFilter& filter, const PageRequest& page) {
  return RunPaged<Adoption>(
      session_, Qualified(rows::kAdoptionColumns, "a"),
      "FROM adoption a JOIN framework f ON f.id = a.framework_id",
      [&](sql::Query& query) {
        if (!filter.include_deleted) query.Sql(" AND a.deleted = 0 AND f.deleted = 0");
        if (filter.framework_id) query.Sql(" AND a.framework_id = ").Param(*filter.framework_id);
        if (filter.actor_id) query.Sql(" AND a.actor_id = ").Param(*filter.actor_id);
        PublicOnly(query, filter.audience, "f.status");
      },
      "a.framework_id, a.id", page, rows::AdoptionTypes(), rows::ReadAdoption);
}

Result<std::vector<Classification>> SqlTransaction::Classifications() {
  std::vector<Classification> all;
  Q("SELECT id, scheme, code, label_sv, label_en FROM classification ORDER BY ord")
      .ForEach({Column::kText, Column::kText, Column::kText, Column::kText, Column::kText},
               [&](const sql::Row& row) {
                 all.push_back({row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4)});
               });
  return all;
}

Result<void> SqlTransaction::Insert(const Classification& classification) {
  auto query = Q("INSERT INTO classification (id, scheme, code, label_sv, label_en, ord) VALUES (");
  query.Param(classification.id).Sql(", ").Param(classification.scheme).Sql(", ");
  query.Param(classification.code).Sql(", ").Param(classification.label_sv).Sql(", ");
  query.Param(classification.label_en)
      .Sql(", (SELECT coalesce(max(ord), 0) + 1 FROM classification))")
      .Execute();
  return {};
}

Result<void> SqlTransaction::Record(const ChangeRecord& change) {
  auto query =
      Q("INSERT INTO change_log (entity, entity_id, action, user_name, at, version, "
        "before, after) VALUES (");
  query.Param(change.entity).Sql(", ").Param(change.entity_id).Sql(", ");
  query.Param(change.action).Sql(", ").Param(change.user).Sql(", ").Param(change.at).Sql(", ");
  query.Param(change.version).Sql(", ").Param(change.before).Sql(", ").Param(change.after);
  query.Sql(")").Execute();
  return {};
}

Result<std::int64_t> SqlTransaction::LatestChange() {
  return Q("SELECT coalesce(max(seq), 0) FROM change_log").ScalarInt().value_or(0);
}

Result<Page<ChangeRecord>> SqlTransaction::History(const HistoryFilter& filter,
                                                   const PageRequest& page) {
  const auto read = +[](const sql::Row& row) {
    return ChangeRecord{row.Int(0),  row.Text(1), row.Int(2),     row.Text(3),   row.Text(4),
                        row.Text(5), row.Int(6),  row.OptText(7), row.OptText(8)};
  };
  return RunPaged<ChangeRecord>(
      session_, "seq, entity, entity_id, action, user_name, at, version, before, after",
      "FROM change_log",
      [&](sql::Query& query) {
        if (filter.entity) query.Sql(" AND entity = ").Param(*filter.entity);
        if (filter.entity_id) query.Sql(" AND entity_id = ").Param(*filter.entity_id);
        if (filter.audience == Audience::kPublic) HideDraftHistory(query);
      },
      "seq DESC", page,
      {Column::kInt, Column::kText, Column::kInt, Column::kText, Column::kText, Column::kText,
       Column::kInt, Column::kText, Column::kText},
      read);
}

}  // namespace halsonav
