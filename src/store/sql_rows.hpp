#pragma once

// Private to the store: the column lists of each entity table and how a row becomes a value.
// Every entity table starts with the same five meta columns.

#include <functional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/domain.hpp"
#include "core/queries.hpp"
#include "store/row_statement.hpp"
#include "store/sql_query.hpp"

namespace halsonav::rows {

using sql::Column;

inline const std::string kMeta = "id, version, deleted, created_at, updated_at";

std::vector<Column> MetaColumns(std::initializer_list<Column> more);
void ReadMeta(const sql::Row& row, Meta& meta);

// Runs `where` twice: once to count all matches, once for the page in `order`.
template <typename T>
Page<T> RunPaged(soci::session& session, const std::string& select, const std::string& from,
                 const std::function<void(sql::Query&)>& where, const std::string& order,
                 const PageRequest& page, const std::vector<Column>& types,
                 T (*read)(const sql::Row&)) {
  Page<T> result;
  sql::Query count(session, "SELECT count(*) " + from + " WHERE 1 = 1");
  where(count);
  result.total = count.ScalarInt().value_or(0);
  sql::Query rows(session, "SELECT " + select + " " + from + " WHERE 1 = 1");
  where(rows);
  rows.Sql(" ORDER BY " + order + " LIMIT ").Param(page.limit).Sql(" OFFSET ").Param(page.offset);
  rows.ForEach(types, [&](const sql::Row& row) { result.items.push_back(read(row)); });
  return result;
}

inline const std::string kActorColumns = kMeta + ", kind, name, short_name, area_code, description";
inline const std::string kUnitColumns = kMeta + ", actor_id, parent_id, name, description";
inline const std::string kFrameworkColumns =
    kMeta +
    ", kind, title, short_title, description, owner_actor_id, valid_from, valid_to, status, "
    "read_only, node_kinds";
inline const std::string kNodeColumns =
    kMeta +
    ", framework_id, parent_id, kind, code, title, text, ord, coordinating_actor_id, "
    "contact_unit_id, cross_cutting";
inline const std::string kMeasureColumns =
    kMeta +
    ", framework_id, node_id, code, target_group, expected_result, expected_result_year, text, "
    "status, ord";
inline const std::string kAdoptionColumns =
    kMeta + ", framework_id, actor_id, body, date, reference";

const std::vector<Column>& ActorTypes();
const std::vector<Column>& UnitTypes();
const std::vector<Column>& FrameworkTypes();
const std::vector<Column>& NodeTypes();
const std::vector<Column>& MeasureTypes();
const std::vector<Column>& AdoptionTypes();

Actor ReadActor(const sql::Row& row);
Unit ReadUnit(const sql::Row& row);
Framework ReadFramework(const sql::Row& row);
Node ReadNode(const sql::Row& row);
Measure ReadMeasure(const sql::Row& row);
Adoption ReadAdoption(const sql::Row& row);

// Framework node kinds are stored as one JSON text column.
std::string NodeKindsToText(const std::vector<NodeKind>& kinds);
std::vector<NodeKind> NodeKindsFromText(const std::string& text);

// "(1,2,3)" for a non-empty list of ids; "(NULL)" for an empty one (matches nothing).
std::string IdSet(const std::vector<Id>& ids);

// Whether a filter's text is not valid UTF-8: then no stored text (all UTF-8) can match it, and
// PostgreSQL would refuse the query, so the filter matches nothing on either back end.
bool NotUtf8(const std::string& text);

// A full-text query for words typed by a user (FTS5's syntax or PostgreSQL's tsquery): every
// word must occur, words of 3+ characters as prefixes. Empty when the text has no words (or is
// not UTF-8).
std::string FtsQuery(const std::string& text, Backend backend);

// PostgreSQL: the text given to to_tsvector('simple', …) for these fields, with ASCII
// punctuation made spaces, so that its words are FTS5's (unicode61) words: PostgreSQL's parser
// would keep "1.2" or "e-post" whole, where FTS5 and FtsQuery split them.
std::string FtsDocument(const std::vector<std::string>& fields);

}  // namespace halsonav::rows
